import { sql, type SQL } from "drizzle-orm";
import { inTextArray, queryRows, type Executor } from "../client";

/** An amount of one customer in one currency on one UTC day (converted at that day's rate), exact. */
export interface CustomerPiece {
  customerId: string;
  currency: string;
  /** YYYY-MM-DD */
  day: string;
  /** Minor units of `currency`, an integer or exact decimal string. */
  amount: string;
}

export interface ProfitRange {
  livemode: boolean;
  from: Date;
  to: Date;
  /** Only these customers (all when absent). */
  customerIds?: readonly string[];
}

const instant = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const day = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`;
const only = (range: ProfitRange) => (range.customerIds === undefined ? sql`` : sql` and ${inTextArray(sql`customer_id`, range.customerIds)}`);

/**
 * Revenue net of tax per customer, currency and day: invoices finalized in [from, to) that stand
 * (open or paid: not void, not uncollectible), total − tax; less the credit notes issued in the
 * range, amount − tax. A refund is always issued through a credit note (outcome refund), so the
 * credit note is the refund's one deduction.
 */
export async function revenuePieces(tx: Executor, range: ProfitRange): Promise<CustomerPiece[]> {
  return queryRows<CustomerPiece>(
    tx,
    sql`select customer_id as "customerId", currency, ${day(sql`finalized_at`)} as day, sum(total - tax)::text as amount
          from invoices
         where livemode = ${range.livemode} and status in ('open', 'paid') and finalized_at >= ${instant(range.from)} and finalized_at < ${instant(range.to)}${only(range)}
         group by 1, 2, 3
        union all
        select customer_id, currency, ${day(sql`created_at`)}, (-sum(amount - tax))::text
          from credit_notes
         where livemode = ${range.livemode} and status = 'issued' and created_at >= ${instant(range.from)} and created_at < ${instant(range.to)}${only(range)}
         group by 1, 2, 3`,
  );
}

/** Gateway fees per customer, currency and day: the fees recorded on payments that succeeded in [from, to). */
export async function gatewayFeePieces(tx: Executor, range: ProfitRange): Promise<CustomerPiece[]> {
  return queryRows<CustomerPiece>(
    tx,
    sql`select customer_id as "customerId", currency, ${day(sql`settled_at`)} as day, sum(fee)::text as amount
          from payments
         where livemode = ${range.livemode} and status = 'succeeded' and fee is not null and settled_at >= ${instant(range.from)} and settled_at < ${instant(range.to)}${only(range)}
         group by 1, 2, 3`,
  );
}

export interface FeeSharePiece {
  /** The card's brand; null for a payment without a saved card (bank transfer, manual). */
  brand: string | null;
  /** The customer's billing-address country (payments record no card country). */
  country: string | null;
  currency: string;
  day: string;
  payments: number;
  /** Minor units: the amount charged and the fees on it. */
  amount: string;
  fees: string;
}

/** Succeeded payments with a fee in [from, to), per card brand, customer country, currency and day. */
export async function feeSharePieces(tx: Executor, range: ProfitRange): Promise<FeeSharePiece[]> {
  const rows = await queryRows<Omit<FeeSharePiece, "payments"> & { payments: string }>(
    tx,
    sql`select pm.brand, nullif(c.address ->> 'country', '') as country, p.currency, ${day(sql`p.settled_at`)} as day,
               count(*)::text as payments, sum(p.amount)::text as amount, sum(p.fee)::text as fees
          from payments p
          join customers c on c.id = p.customer_id
          left join payment_methods pm on pm.id = p.payment_method_id
         where p.livemode = ${range.livemode} and p.status = 'succeeded' and p.fee is not null
           and p.settled_at >= ${instant(range.from)} and p.settled_at < ${instant(range.to)}
         group by 1, 2, 3, 4`,
  );
  return rows.map((r) => ({ ...r, payments: Number(r.payments) }));
}

export interface CustomerLabel {
  id: string;
  name: string | null;
  email: string;
  planId: string | null;
  planName: string | null;
}

/** Customers' names and current plans. */
export async function customersWithPlan(tx: Executor, ids: readonly string[]): Promise<Map<string, CustomerLabel>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<CustomerLabel>(
    tx,
    sql`select c.id, c.name, c.email, c.current_plan_id as "planId", p.name as "planName"
          from customers c left join plans p on p.id = c.current_plan_id
         where ${inTextArray(sql`c.id`, [...new Set(ids)])}`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export interface CostUsePiece {
  provider: string;
  region: string | null;
  operation: string;
  currency: string;
  day: string;
  units: string;
  cost: string;
}

/**
 * Costs per provider, region and operation over the hours from `from` to `to` (rounded out to whole
 * hours: the rollups alone — what a hint about the period needs, not a report).
 */
export async function costUseByProviderRegionOperation(tx: Executor, range: { livemode: boolean; from: Date; to: Date }): Promise<CostUsePiece[]> {
  return queryRows<CostUsePiece>(
    tx,
    sql`select provider_code as provider, nullif(region, '') as region, operation, currency, ${day(sql`hour`)} as day,
               trim_scale(sum(units))::text as units, trim_scale(sum(cost))::text as cost
          from api_cost_rollups
         where livemode = ${range.livemode} and hour >= date_trunc('hour', ${instant(range.from)}, 'UTC') and hour < ${instant(range.to)}
         group by 1, 2, 3, 4, 5`,
  );
}
