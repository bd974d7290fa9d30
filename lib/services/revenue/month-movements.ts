import { balanceMoves, cashMoves, revenueLines, type RevenueLineRow, type RevenueRange } from "@/db/queries/revenue";
import { emptyMovements, type MonthMovements } from "@/lib/billing/revenue/journal";
import { addFlows, dayOf, lineFlows, monthDays, noFlows, serviceDays, type LineReversal, type RecognitionLine, type RevenueFlows } from "@/lib/billing/revenue/schedule";
import type { Executor } from "@/db/client";

/** One currency's revenue month: the waterfall, the part of billed that refunds reversed, and the journal's inputs. */
export interface CurrencyMonth {
  currency: string;
  flows: RevenueFlows;
  /** Net (ex tax) of the credit notes with outcome refund issued in the month: already inside `billed`. */
  refunded: number;
  movements: MonthMovements;
}

/** The line as recognition sees it: its net, service days, billing day, and reversals (credit notes, then a void of what still stands). */
export function recognitionLine(row: RevenueLineRow): RecognitionLine {
  const reversals: LineReversal[] = row.credits.map((c) => ({ day: dayOf(c.at), net: c.amount - c.tax }));
  if (row.voidedAt) {
    const credited = reversals.reduce((sum, r) => sum + r.net, 0);
    reversals.push({ day: dayOf(row.voidedAt), net: row.net - credited });
  }
  reversals.sort((a, b) => a.day - b.day);
  return { net: row.net, ...serviceDays(row.periodStart, row.periodEnd, row.finalizedAt), billedOn: dayOf(row.finalizedAt), reversals };
}

/**
 * Every currency's revenue month (UTC, "YYYY-MM"), computed from the invoices, credit notes,
 * voids, payments and refunds as they stand: nothing is materialised, so a credit note or a void
 * shows in the next read (decision 033).
 */
export async function monthMovements(db: Executor, livemode: boolean, month: string, currency?: string): Promise<Map<string, CurrencyMonth>> {
  const { start, end, from, to } = monthDays(month);
  const range: RevenueRange = { livemode, from, to, currency };
  const [lines, balances, cash] = await Promise.all([revenueLines(db, range), balanceMoves(db, range), cashMoves(db, range)]);
  const months = new Map<string, CurrencyMonth>();
  const of = (c: string) => {
    let m = months.get(c);
    if (!m) months.set(c, (m = { currency: c, flows: noFlows(), refunded: 0, movements: emptyMovements() }));
    return m;
  };
  const inMonth = (at: Date) => at >= from && at < to;
  for (const row of lines) {
    const m = of(row.currency);
    const flows = lineFlows(recognitionLine(row), start, end);
    m.flows = addFlows(m.flows, flows);
    m.movements.recognized += flows.recognized;
    if (inMonth(row.finalizedAt)) {
      m.movements.finalized.net += row.net;
      m.movements.finalized.tax += row.tax;
    }
    for (const c of row.credits) {
      if (!inMonth(c.at)) continue;
      const credited = m.movements.credited[c.outcome];
      credited.net += c.amount - c.tax;
      credited.tax += c.tax;
      if (c.outcome === "refund") m.refunded += c.amount - c.tax;
    }
    if (row.voidedAt && inMonth(row.voidedAt)) {
      m.movements.voided.net += row.net - row.credits.reduce((sum, c) => sum + c.amount - c.tax, 0);
      m.movements.voided.tax += row.tax - row.credits.reduce((sum, c) => sum + c.tax, 0);
    }
  }
  for (const b of balances) {
    const { currency: c, ...moves } = b;
    of(c).movements.balance = moves;
  }
  for (const c of cash) {
    const m = of(c.currency);
    m.movements.payments = { amount: c.payments, fees: c.fees };
    m.movements.refundsPaid = c.refunds;
  }
  return months;
}
