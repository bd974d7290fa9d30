import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";
import type { MovementKind } from "@/lib/analytics/mrr";

/** Per currency, the sum of each kind of movement over the UTC days [from, to]. */
export function movementsBetween(tx: Executor, livemode: boolean, from: string, to: string): Promise<{ currency: string; kind: MovementKind; delta: string }[]> {
  return queryRows(tx, sql`select currency, kind, sum(delta)::text as delta from mrr_movements where livemode = ${livemode} and day >= ${from}::date and day <= ${to}::date group by currency, kind`);
}

/** Customers with MRR above zero (in any currency) at the end of the day before `day`. */
export async function activeCustomersBefore(tx: Executor, livemode: boolean, day: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(distinct customer_id)::int as n from (
          select distinct on (customer_id, currency) customer_id, mrr from mrr_movements
          where livemode = ${livemode} and day < ${day}::date order by customer_id, currency, day desc) last
        where mrr > 0`,
  );
  return row?.n ?? 0;
}

/** Customers with a churn movement on the UTC days [from, to]. */
export async function churnedCustomersBetween(tx: Executor, livemode: boolean, from: string, to: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(distinct customer_id)::int as n from mrr_movements where livemode = ${livemode} and kind = 'churn' and day >= ${from}::date and day <= ${to}::date`);
  return row?.n ?? 0;
}

export interface PeriodCounts {
  trials_ended: number;
  trials_converted: number;
  payments_succeeded: number;
  payments_failed: number;
  invoices_failed: number;
  invoices_recovered: number;
}

/**
 * Over [from, to): trials that ended (a status change out of trialing) and those that went to a
 * paid status; payments created that succeeded or failed; invoices with a failed payment and those
 * of them paid before `to`.
 */
export async function periodCounts(tx: Executor, livemode: boolean, from: Date, to: Date): Promise<PeriodCounts> {
  const [row] = await queryRows<PeriodCounts>(
    tx,
    sql`select
      (select count(*)::int from subscription_status_history h join subscriptions s on s.id = h.subscription_id where s.livemode = ${livemode} and h.from_status = 'trialing' and h.to_status <> 'trialing' and h.at >= ${from} and h.at < ${to}) as trials_ended,
      (select count(*)::int from subscription_status_history h join subscriptions s on s.id = h.subscription_id where s.livemode = ${livemode} and h.from_status = 'trialing' and h.to_status in ('active', 'past_due') and h.at >= ${from} and h.at < ${to}) as trials_converted,
      (select count(*)::int from payments where livemode = ${livemode} and status = 'succeeded' and created_at >= ${from} and created_at < ${to}) as payments_succeeded,
      (select count(*)::int from payments where livemode = ${livemode} and status = 'failed' and created_at >= ${from} and created_at < ${to}) as payments_failed,
      (select count(*)::int from invoices i where i.livemode = ${livemode} and exists (select 1 from payments p where p.invoice_id = i.id and p.status = 'failed' and p.created_at >= ${from} and p.created_at < ${to})) as invoices_failed,
      (select count(*)::int from invoices i where i.livemode = ${livemode} and i.paid_at < ${to} and exists (select 1 from payments p where p.invoice_id = i.id and p.status = 'failed' and p.created_at >= ${from} and p.created_at < ${to})) as invoices_recovered`,
  );
  return row!;
}
