import { and, desc, eq, sql } from "drizzle-orm";
import { fxRatesOn, type FxRateRow } from "@/db/queries/api-costs";
import type { Executor } from "@/db/client";
import { fxRates } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { addDecimal, convertExact, normalizeCurrency, parseDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import type { ServiceContext } from "../context";

export interface FxRateInput {
  base: string;
  quote: string;
  /** 1 base = rate quote, a positive decimal string. */
  rate: string;
  /** YYYY-MM-DD */
  date: string;
}

/** Record the rate of a pair for a day (a later post for the same day replaces it); audited. */
export async function recordFxRate(ctx: ServiceContext, input: FxRateInput): Promise<FxRateRow> {
  const base = normalizeCurrency(input.base, "base");
  const quote = normalizeCurrency(input.quote, "quote");
  if (base === quote) throw new AppError("validation_failed", { param: "quote", userMessage: "quote must differ from base." });
  if (parseDecimal(input.rate, "rate").units <= 0n) throw new AppError("out_of_range", { param: "rate", userMessage: "rate must be greater than 0." });
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(fxRates)
      .values({ base, quote, rate: input.rate, date: input.date, createdAt: ctx.now })
      .onConflictDoUpdate({ target: [fxRates.base, fxRates.quote, fxRates.date], set: { rate: input.rate, createdAt: ctx.now } })
      .returning();
    if (!row) throw new Error("fx rate insert returned nothing");
    await recordAudit(tx, ctx.actor, { action: "fx_rate.recorded", entityType: "fx_rate", entityId: `${base}:${quote}:${input.date}`, after: row }, ctx.now, ctx.requestId);
    return row;
  });
}

/** Stored rates, newest date first, optionally for one base/quote. */
export async function listFxRates(tx: Executor, filter: { base?: string; quote?: string; limit: number }): Promise<FxRateRow[]> {
  return tx
    .select({ base: fxRates.base, quote: fxRates.quote, rate: sql<string>`${fxRates.rate}::text`, date: fxRates.date, createdAt: fxRates.createdAt })
    .from(fxRates)
    .where(and(filter.base ? eq(fxRates.base, filter.base.toLowerCase()) : undefined, filter.quote ? eq(fxRates.quote, filter.quote.toLowerCase()) : undefined))
    .orderBy(desc(fxRates.date), fxRates.base, fxRates.quote)
    .limit(filter.limit);
}

export interface DatedAmount {
  /** Exact minor units of `currency`. */
  amount: ExactDecimal;
  currency: string;
  /** The UTC day (YYYY-MM-DD) whose rate applies. */
  day: string;
}

/**
 * A converter of exact amounts into `to` minor units, each at the rate of its day (the latest rate
 * on or before it, for the pair either way round: lib/money/fx.ts), loading the rates `amounts`
 * need with one query per currency. Not rounded: a report rounds once per row. A missing rate is a
 * 422 fx_rate_missing naming the pair and day.
 */
export async function fxConverter(tx: Executor, amounts: readonly Omit<DatedAmount, "amount">[], to: string): Promise<(a: DatedAmount) => ExactDecimal> {
  const target = to.toLowerCase();
  const days = new Map<string, Set<string>>();
  for (const a of amounts) {
    const c = a.currency.toLowerCase();
    if (c !== target) days.set(c, (days.get(c) ?? new Set()).add(a.day));
  }
  const rates = new Map<string, Map<string, FxRateRow>>();
  for (const [currency, set] of days) rates.set(currency, await fxRatesOn(tx, currency, target, [...set]));
  return (a) => {
    const currency = a.currency.toLowerCase();
    // Nothing is nothing in any currency: a zero (a currency with no MRR that day) needs no rate.
    if (currency === target || a.amount.units === 0n) return a.amount;
    const rate = rates.get(currency)?.get(a.day);
    if (!rate) throw new AppError("fx_rate_missing", { param: "currency", userMessage: `No exchange rate between ${currency} and ${target} on or before ${a.day}: add one with POST /fx_rates.` });
    return convertExact(a.amount, currency, target, rate);
  };
}

/** The exact sum of `amounts` in `to` minor units (fxConverter). */
export async function convertAmounts(tx: Executor, amounts: readonly DatedAmount[], to: string): Promise<ExactDecimal> {
  const convert = await fxConverter(tx, amounts, to);
  return amounts.reduce((sum, a) => addDecimal(sum, convert(a)), ZERO_DECIMAL);
}
