import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { customerNotes, customers, users } from "../schema";

export type CustomerNoteRow = typeof customerNotes.$inferSelect;

export interface CustomerNoteView extends CustomerNoteRow {
  authorEmail: string | null;
  authorName: string | null;
  /** For an escalation: the note that resolved it, if any. */
  resolution: { id: string; body: string; createdAt: Date; authorEmail: string | null } | null;
}

const resolutions = alias(customerNotes, "resolution");
const resolvers = alias(users, "resolver");

/** A customer's notes, newest first, each escalation with its resolution. */
export async function listCustomerNotes(tx: Executor, customerId: string, limit = 100): Promise<CustomerNoteView[]> {
  const rows = await tx
    .select({ note: customerNotes, author: { email: users.email, name: users.name }, resolution: resolutions, resolver: { email: resolvers.email } })
    .from(customerNotes)
    .leftJoin(users, eq(users.id, customerNotes.author))
    .leftJoin(resolutions, eq(resolutions.resolves, customerNotes.id))
    .leftJoin(resolvers, eq(resolvers.id, resolutions.author))
    .where(eq(customerNotes.customerId, customerId))
    .orderBy(desc(customerNotes.createdAt), desc(customerNotes.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r.note,
    authorEmail: r.author?.email ?? null,
    authorName: r.author?.name ?? null,
    resolution: r.resolution ? { id: r.resolution.id, body: r.resolution.body, createdAt: r.resolution.createdAt, authorEmail: r.resolver?.email ?? null } : null,
  }));
}

export async function findCustomerNote(tx: Executor, id: string): Promise<CustomerNoteRow | undefined> {
  const [row] = await tx.select().from(customerNotes).where(eq(customerNotes.id, id));
  return row;
}

/** Escalations without a resolution: one customer's, or everyone's (for billing admins), oldest first. */
export async function listOpenEscalations(tx: Executor, opts: { customerId?: string; limit?: number } = {}) {
  return tx
    .select({
      note: customerNotes,
      customer: { id: customers.id, email: customers.email, name: customers.name },
      authorEmail: users.email,
    })
    .from(customerNotes)
    .innerJoin(customers, eq(customers.id, customerNotes.customerId))
    .leftJoin(users, eq(users.id, customerNotes.author))
    .leftJoin(resolutions, eq(resolutions.resolves, customerNotes.id))
    .where(and(eq(customerNotes.kind, "escalation"), isNull(resolutions.id), opts.customerId ? eq(customerNotes.customerId, opts.customerId) : undefined))
    .orderBy(customerNotes.createdAt, customerNotes.id)
    .limit(opts.limit ?? 50);
}

export async function countOpenEscalations(tx: Executor, customerId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(customerNotes)
    .leftJoin(resolutions, eq(resolutions.resolves, customerNotes.id))
    .where(and(eq(customerNotes.customerId, customerId), eq(customerNotes.kind, "escalation"), isNull(resolutions.id)));
  return row?.n ?? 0;
}

/** Refund requests (escalations naming a payment) without a resolution: one payment's, or one customer's; oldest first. */
export async function listOpenRefundRequests(tx: Executor, where: { paymentId: string } | { customerId: string }) {
  return tx
    .select({ note: customerNotes, authorEmail: users.email, authorName: users.name })
    .from(customerNotes)
    .leftJoin(users, eq(users.id, customerNotes.author))
    .leftJoin(resolutions, eq(resolutions.resolves, customerNotes.id))
    .where(
      and(
        eq(customerNotes.kind, "escalation"),
        isNotNull(customerNotes.paymentId),
        isNull(resolutions.id),
        "paymentId" in where ? eq(customerNotes.paymentId, where.paymentId) : eq(customerNotes.customerId, where.customerId),
      ),
    )
    .orderBy(customerNotes.createdAt, customerNotes.id);
}
