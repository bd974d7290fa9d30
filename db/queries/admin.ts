import { desc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { customers, emails, invoices, jobRuns, outboxEvents, subscriptions } from "../schema";

export async function consoleCounts(tx: Executor) {
  const [row] = await tx
    .select({
      customers: sql<number>`(select count(*)::int from ${customers})`,
      activeSubscriptions: sql<number>`(select count(*)::int from ${subscriptions} where ${subscriptions.status} in ('active', 'trialing', 'past_due'))`,
      openInvoices: sql<number>`(select count(*)::int from ${invoices} where ${invoices.status} = 'open')`,
      paidInvoices: sql<number>`(select count(*)::int from ${invoices} where ${invoices.status} = 'paid')`,
    })
    .from(sql`(select 1) as one`);
  return row ?? { customers: 0, activeSubscriptions: 0, openInvoices: 0, paidInvoices: 0 };
}

export async function recentInvoices(tx: Executor, limit = 10) {
  return tx
    .select({ invoice: invoices, customer: { id: customers.id, email: customers.email, name: customers.name } })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(sql`${invoices.status} <> 'draft'`)
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(limit);
}

export async function listEmails(tx: Executor, limit = 100, customerId?: string) {
  return tx
    .select({ id: emails.id, to: emails.to, subject: emails.subject, template: emails.template, eventId: emails.eventId, status: emails.status, transport: emails.transport, createdAt: emails.createdAt })
    .from(emails)
    .where(customerId ? eq(emails.customerId, customerId) : undefined)
    .orderBy(desc(emails.createdAt), desc(emails.id))
    .limit(limit);
}

export async function findEmail(tx: Executor, id: string) {
  const [row] = await tx.select().from(emails).where(eq(emails.id, id));
  return row;
}

export async function listJobRuns(tx: Executor) {
  return tx.select().from(jobRuns).orderBy(jobRuns.name);
}

/** The billing event an email was sent for, when the email came from the outbox. */
export async function findEmailCause(tx: Executor, eventId: string | null) {
  if (!eventId) return undefined;
  const [row] = await tx.select({ id: outboxEvents.id, type: outboxEvents.type, customerId: outboxEvents.customerId, entityId: outboxEvents.entityId, createdAt: outboxEvents.createdAt }).from(outboxEvents).where(eq(outboxEvents.id, eventId));
  return row;
}
