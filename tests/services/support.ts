import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invoices, outboxEvents, payments, subscriptionStatusHistory } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";

/** A fixed request time: tests never read the clock. */
export const NOW = new Date("2026-03-10T01:00:00.000Z");
export { DAY_MS } from "@/lib/time";

/** A service context acting as a system job. */
export function ctx(db: Db, now: Date = NOW): ServiceContext {
  return { db, actor: systemActor("test"), now, requestId: `req_${randomToken(8)}` };
}

export async function paymentsOf(db: Db, invoiceId: string) {
  return db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.attempt));
}

export async function invoicesOfCustomer(db: Db, customerId: string) {
  return db.select().from(invoices).where(eq(invoices.customerId, customerId)).orderBy(asc(invoices.createdAt));
}

export async function historyOf(db: Db, subscriptionId: string) {
  const rows = await db
    .select()
    .from(subscriptionStatusHistory)
    .where(eq(subscriptionStatusHistory.subscriptionId, subscriptionId))
    .orderBy(asc(subscriptionStatusHistory.id));
  return rows.map((r) => ({ from: r.fromStatus, to: r.toStatus, reason: r.reason }));
}

export async function eventsFor(db: Db, entityId: string, type?: string) {
  return db
    .select()
    .from(outboxEvents)
    .where(type ? and(eq(outboxEvents.entityId, entityId), eq(outboxEvents.type, type)) : eq(outboxEvents.entityId, entityId))
    .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id));
}

/** Needs real PostgreSQL (concurrency): declared everywhere, skipped on PGlite. */
export const needsPostgres = !process.env.DATABASE_URL;
