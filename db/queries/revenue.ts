import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "../client";

/** One mode's movements over [from, to), optionally in one currency. */
export interface RevenueRange {
  livemode: boolean;
  from: Date;
  to: Date;
  currency?: string;
}

/** A credit note line on an invoice line, as revenue recognition reads it. */
export interface LineCredit {
  at: Date;
  /** Gross (tax included) and its tax, minor units. */
  amount: number;
  tax: number;
  outcome: "refund" | "credit" | "out_of_band" | "reduce_amount_due";
}

export interface RevenueLineRow {
  id: string;
  invoiceId: string;
  currency: string;
  /** amount − discount − inclusive tax: the line net of tax and discounts. */
  net: number;
  /** All tax on the line (inclusive and exclusive). */
  tax: number;
  periodStart: Date | null;
  periodEnd: Date | null;
  finalizedAt: Date;
  voidedAt: Date | null;
  /** Issued credit notes on the line before `to`, oldest first. */
  credits: LineCredit[];
}

const instant = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const inCurrency = (range: RevenueRange, column = sql`i.currency`) => (range.currency === undefined ? sql`` : sql` and ${column} = ${range.currency}`);
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));

/**
 * The finalized invoice lines that can move revenue in [from, to): billed before `to`, and still
 * being served at `from` (their period ends after it), billed in the range, or credited or voided
 * in it. A line outside this set has nothing deferred at `from` and no movement in the range
 * (decision 033), so leaving it out changes no figure. Each way in is its own indexed arm of a
 * union (an OR across the two tables would read every line).
 */
export async function revenueLines(tx: Executor, range: RevenueRange): Promise<RevenueLineRow[]> {
  const from = instant(range.from);
  const to = instant(range.to);
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`with candidates as (
            select l.id from invoice_lines l where l.period_end > ${from}
            union
            select l.id from invoices i join invoice_lines l on l.invoice_id = i.id where i.finalized_at >= ${from} and i.finalized_at < ${to}
            union
            select l.id from invoices i join invoice_lines l on l.invoice_id = i.id where i.voided_at >= ${from} and i.voided_at < ${to}
            union
            select l.id from credit_notes cn join invoice_lines l on l.invoice_id = cn.invoice_id where cn.status = 'issued' and cn.created_at >= ${from} and cn.created_at < ${to}
          )
        select l.id, l.invoice_id as "invoiceId", i.currency,
               (l.amount - l.discount_amount - coalesce((select sum((t ->> 'amount')::bigint) from jsonb_array_elements(l.tax_amounts) t where (t ->> 'inclusive')::boolean), 0))::text as net,
               coalesce((select sum((t ->> 'amount')::bigint) from jsonb_array_elements(l.tax_amounts) t), 0)::text as tax,
               l.period_start as "periodStart", l.period_end as "periodEnd", i.finalized_at as "finalizedAt", i.voided_at as "voidedAt",
               coalesce((select json_agg(json_build_object('at', cn.created_at, 'amount', cnl.amount, 'tax', cnl.tax, 'outcome', cn.outcome) order by cn.created_at, cn.id)
                           from credit_note_lines cnl join credit_notes cn on cn.id = cnl.credit_note_id
                          where cnl.invoice_line_id = l.id and cn.status = 'issued' and cn.created_at < ${to}), '[]'::json) as credits
          from candidates c
          join invoice_lines l on l.id = c.id
          join invoices i on i.id = l.invoice_id
         where i.livemode = ${range.livemode} and i.finalized_at is not null and i.finalized_at < ${to}${inCurrency(range)}
         order by i.finalized_at, l.invoice_id, l.position`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    invoiceId: String(r.invoiceId),
    currency: String(r.currency),
    net: Number(r.net),
    tax: Number(r.tax),
    periodStart: dateOrNull(r.periodStart),
    periodEnd: dateOrNull(r.periodEnd),
    finalizedAt: date(r.finalizedAt),
    voidedAt: dateOrNull(r.voidedAt),
    credits: (typeof r.credits === "string" ? (JSON.parse(r.credits) as Record<string, unknown>[]) : (r.credits as Record<string, unknown>[])).map((c) => ({
      at: date(c.at),
      amount: Number(c.amount),
      tax: Number(c.tax),
      outcome: c.outcome as LineCredit["outcome"],
    })),
  }));
}

export interface BalanceMoveRow {
  currency: string;
  creditApplied: number;
  debitApplied: number;
  excessCredited: number;
  carriedToBalance: number;
  voidCreditReturned: number;
  voidDebitReturned: number;
}

/**
 * Per currency, what invoices finalized in the range took from or gave to customer balances, and
 * what voids in the range (of invoices finalized before they were voided) returned.
 */
export async function balanceMoves(tx: Executor, range: RevenueRange): Promise<BalanceMoveRow[]> {
  const from = instant(range.from);
  const to = instant(range.to);
  const inRange = (column: string) => sql`${sql.raw(column)} >= ${from} and ${sql.raw(column)} < ${to}`;
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`select currency,
               coalesce(sum(credit_applied) filter (where ${inRange("finalized_at")}), 0)::text as "creditApplied",
               coalesce(sum(debit_applied) filter (where ${inRange("finalized_at")}), 0)::text as "debitApplied",
               coalesce(sum(excess_credited) filter (where ${inRange("finalized_at")}), 0)::text as "excessCredited",
               coalesce(sum(carried_to_balance) filter (where ${inRange("finalized_at")}), 0)::text as "carriedToBalance",
               coalesce(sum(credit_applied) filter (where ${inRange("voided_at")}), 0)::text as "voidCreditReturned",
               coalesce(sum(debit_applied) filter (where ${inRange("voided_at")}), 0)::text as "voidDebitReturned"
          from invoices i
         where livemode = ${range.livemode} and finalized_at is not null${inCurrency(range)}
           and ((${inRange("finalized_at")}) or (${inRange("voided_at")}))
         group by currency`,
  );
  return rows.map((r) => ({
    currency: String(r.currency),
    creditApplied: Number(r.creditApplied),
    debitApplied: Number(r.debitApplied),
    excessCredited: Number(r.excessCredited),
    carriedToBalance: Number(r.carriedToBalance),
    voidCreditReturned: Number(r.voidCreditReturned),
    voidDebitReturned: Number(r.voidDebitReturned),
  }));
}

export interface CashMoveRow {
  currency: string;
  payments: number;
  fees: number;
  refunds: number;
}

/** Per currency: succeeded payments settled in the range with their gateway fees, and refunds that succeeded in it. */
export async function cashMoves(tx: Executor, range: RevenueRange): Promise<CashMoveRow[]> {
  const from = instant(range.from);
  const to = instant(range.to);
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`select currency, sum(payments)::text as payments, sum(fees)::text as fees, sum(refunds)::text as refunds
          from (select currency, amount as payments, coalesce(fee, 0) as fees, 0 as refunds
                  from payments i
                 where livemode = ${range.livemode} and status = 'succeeded' and settled_at >= ${from} and settled_at < ${to}${inCurrency(range)}
                union all
                select currency, 0, 0, amount
                  from refunds i
                 where livemode = ${range.livemode} and status = 'succeeded' and created_at >= ${from} and created_at < ${to}${inCurrency(range)}) moves
         group by currency`,
  );
  return rows.map((r) => ({ currency: String(r.currency), payments: Number(r.payments), fees: Number(r.fees), refunds: Number(r.refunds) }));
}
