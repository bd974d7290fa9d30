import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { queryRows, type Executor } from "../client";
import { customers, disputes, reconciliationItems, stripeEvents } from "../schema";

export interface DunningQueueRow {
  invoice_id: string;
  invoice_number: string | null;
  customer_id: string;
  customer_name: string | null;
  customer_email: string | null;
  customer_status: "active" | "warning" | "blocked";
  /** The customer's zone: dunning days are counted in the customer's calendar. */
  customer_timezone: string;
  currency: string;
  amount_remaining: number;
  first_failed_at: Date;
  next_payment_attempt_at: Date | null;
  failures: number;
  last_decline: string | null;
  /** The customer's test clock, when it has one: its "now" is the one to count days by. */
  clock_time: Date | null;
  /** The invoice's subscription's status: "incomplete" when the failed charge was the first one. */
  subscription_status: string | null;
}

/**
 * Open invoices charged automatically whose payment failed at least once: the customers in
 * dunning, most severe stage first, then the largest amount at risk.
 */
export async function dunningQueue(db: Executor, limit = 200): Promise<DunningQueueRow[]> {
  const rows = await queryRows<
    DunningQueueRow & { first_failed_at: string | Date; next_payment_attempt_at: string | Date | null; amount_remaining: string | number; failures: string | number; clock_time: string | Date | null }
  >(
    db,
    sql`select i.id as invoice_id, i.number as invoice_number, c.id as customer_id, c.name as customer_name, c.email as customer_email,
          c.status as customer_status, c.timezone as customer_timezone, i.currency, i.amount_remaining, f.first_failed_at, i.next_payment_attempt_at, f.failures,
          f.last_decline, tc.frozen_time as clock_time, s.status as subscription_status
        from invoices i
        join customers c on c.id = i.customer_id
        left join test_clocks tc on tc.id = c.test_clock_id
        left join subscriptions s on s.id = i.subscription_id
        join lateral (
          select min(p.created_at) as first_failed_at, count(*) as failures,
                 (array_agg(coalesce(p.failure_message, p.decline_code, p.failure_code) order by p.created_at desc, p.id desc))[1] as last_decline
          from payments p where p.invoice_id = i.id and p.status = 'failed'
        ) f on f.failures > 0
        where i.status = 'open' and i.collection_method = 'charge_automatically' and i.amount_remaining > 0
        order by case c.status when 'blocked' then 0 when 'warning' then 1 else 2 end, i.amount_remaining desc, i.id
        limit ${limit}`,
  );
  return rows.map((r) => ({
    ...r,
    amount_remaining: Number(r.amount_remaining),
    failures: Number(r.failures),
    first_failed_at: new Date(r.first_failed_at),
    next_payment_attempt_at: r.next_payment_attempt_at ? new Date(r.next_payment_attempt_at) : null,
    clock_time: r.clock_time ? new Date(r.clock_time) : null,
  }));
}

/** Disputes waiting on the merchant, the nearest evidence deadline first. */
export async function disputeQueue(db: Executor) {
  return db
    .select({ dispute: disputes, customer: { id: customers.id, name: customers.name, email: customers.email } })
    .from(disputes)
    .innerJoin(customers, eq(customers.id, disputes.customerId))
    .where(inArray(disputes.status, ["needs_response", "warning_needs_response", "under_review", "warning_under_review"]))
    .orderBy(sql`${disputes.evidenceDueBy} asc nulls last`, asc(disputes.id));
}

export async function openReconciliationItems(db: Executor) {
  return db.select().from(reconciliationItems).where(eq(reconciliationItems.status, "open")).orderBy(desc(reconciliationItems.createdAt));
}

/** Stripe events Tally has not managed to process (the sweeper retries them up to 10 times). */
export async function failedStripeEvents(db: Executor, limit = 200) {
  return db
    .select({ id: stripeEvents.id, type: stripeEvents.type, receivedAt: stripeEvents.receivedAt, attempts: stripeEvents.attempts, error: stripeEvents.error, livemode: stripeEvents.livemode })
    .from(stripeEvents)
    .where(and(isNull(stripeEvents.processedAt), or(isNotNull(stripeEvents.error), sql`${stripeEvents.attempts} > 0`)))
    .orderBy(desc(stripeEvents.receivedAt))
    .limit(limit);
}

/** The Stripe event log, newest first: `status` processed | pending | failed, keyset by received time and id. */
export async function listStripeEvents(db: Executor, filters: { status?: string; type?: string; before?: { at: Date; id: string } }, limit = 50) {
  const where = [
    filters.status === "processed" ? isNotNull(stripeEvents.processedAt) : undefined,
    filters.status === "pending" ? and(isNull(stripeEvents.processedAt), isNull(stripeEvents.error)) : undefined,
    filters.status === "failed" ? and(isNull(stripeEvents.processedAt), isNotNull(stripeEvents.error)) : undefined,
    filters.type ? eq(stripeEvents.type, filters.type) : undefined,
    filters.before ? sql`(${stripeEvents.receivedAt}, ${stripeEvents.id}) < (${filters.before.at}, ${filters.before.id})` : undefined,
  ].filter((w) => w !== undefined);
  const rows = await db
    .select()
    .from(stripeEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(stripeEvents.receivedAt), desc(stripeEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? { at: last.receivedAt, id: last.id } : null };
}
