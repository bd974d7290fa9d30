import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";
import { effectiveOutcome } from "./retention";
import type { RetentionOutcome } from "@/lib/billing/retention/vocabulary";

export type DunningOutcome = "recovered" | "lost" | "in_dunning";

export interface DunningOutcomeRow {
  currency: string;
  outcome: DunningOutcome;
  invoices: number;
  /** Σ the invoices' amount due (minor units as text). */
  amount_due: string;
  /** Σ the payments that succeeded on them after the first failure, by the range's end. */
  recovered: string;
}

/**
 * Automatically collected invoices whose first failed payment (its settlement, else its creation —
 * the instant dunning counts from) fell in [from, to), judged as of `to` (decision 035): recovered
 * when paid by then; else lost when voided, marked uncollectible (its audit entry) or its
 * subscription canceled or unpaid after the failure; else still in dunning. Per currency.
 */
export function dunningOutcomeRows(tx: Executor, livemode: boolean, from: Date, to: Date): Promise<DunningOutcomeRow[]> {
  return queryRows<DunningOutcomeRow>(
    tx,
    sql`with entered as (
          select i.id, i.currency, i.subscription_id, i.amount_due, i.paid_at, i.voided_at, min(coalesce(p.settled_at, p.created_at)) as first_failure
          from invoices i join payments p on p.invoice_id = i.id and p.status = 'failed'
          where i.livemode = ${livemode} and i.collection_method = 'charge_automatically'
          group by i.id
          having min(coalesce(p.settled_at, p.created_at)) >= ${from} and min(coalesce(p.settled_at, p.created_at)) < ${to}
        ),
        judged as (
          select e.*, case
            when e.paid_at is not null and e.paid_at < ${to} then 'recovered'
            when e.voided_at is not null and e.voided_at < ${to} then 'lost'
            when exists (select 1 from audit_log a where a.entity_type = 'invoice' and a.entity_id = e.id and a.action = 'invoice.marked_uncollectible' and a.at < ${to}) then 'lost'
            when exists (select 1 from subscription_status_history h where h.subscription_id = e.subscription_id and h.to_status in ('canceled', 'unpaid') and h.at >= e.first_failure and h.at < ${to}) then 'lost'
            else 'in_dunning' end as outcome
          from entered e
        )
        select j.currency, j.outcome, count(*)::int as invoices, sum(j.amount_due)::text as amount_due,
               coalesce(sum(case when j.outcome = 'recovered' then (
                 select sum(p.amount) from payments p where p.invoice_id = j.id and p.status = 'succeeded'
                   and coalesce(p.settled_at, p.created_at) >= j.first_failure and coalesce(p.settled_at, p.created_at) < ${to}) end), 0)::text as recovered
        from judged j group by 1, 2`,
  );
}

export interface RetentionOutcomeRow {
  /** null: still in progress. */
  outcome: RetentionOutcome | null;
  offer_shown: boolean;
  attempts: number;
}

/** Cancellation attempts started in [from, to) by outcome (as of `asOf`: a day undecided is abandoned) and whether an offer was shown. */
export function retentionOutcomeRows(tx: Executor, livemode: boolean, from: Date, to: Date, asOf: Date): Promise<RetentionOutcomeRow[]> {
  return queryRows<RetentionOutcomeRow>(
    tx,
    sql`select ${effectiveOutcome(asOf)} as outcome, (offer is not null) as offer_shown, count(*)::int as attempts
        from cancellation_attempts where livemode = ${livemode} and started_at >= ${from} and started_at < ${to}
        group by 1, 2`,
  );
}

/**
 * MRR kept by the attempts started in [from, to) that accepted an offer (a discount, a pause, a
 * cheaper plan): per currency, each customer's MRR in its subscription's currency at the end of
 * the UTC day before the decision — what the cancellation would have taken.
 */
export function mrrSavedRows(tx: Executor, livemode: boolean, from: Date, to: Date): Promise<{ currency: string; saved: string; attempts: number }[]> {
  return queryRows(
    tx,
    sql`select s.currency, coalesce(sum(m.mrr), 0)::text as saved, count(*)::int as attempts
        from cancellation_attempts a
        join subscriptions s on s.id = a.subscription_id
        left join lateral (
          select mv.mrr from mrr_movements mv
          where mv.customer_id = a.customer_id and mv.currency = s.currency and mv.livemode = a.livemode and mv.day < (a.decided_at at time zone 'UTC')::date
          order by mv.day desc limit 1) m on true
        where a.livemode = ${livemode} and a.started_at >= ${from} and a.started_at < ${to} and a.outcome in ('accepted_discount', 'paused', 'switched_plan')
        group by s.currency`,
  );
}
