import { and, asc, eq } from "drizzle-orm";
import { costRatesOf, findCostProvider, type CostProviderRow, type CostRateRow } from "@/db/queries/api-costs";
import { activeMetersByCode } from "@/db/queries/usage";
import { costProviders, costRates, type CostQuota } from "@/db/schema";
import type { Executor } from "@/db/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { MoneyError, normalizeCurrency, parseDecimal } from "@/lib/money";
import type { ServiceContext } from "../context";

export interface CostRateInput {
  operation: string;
  region?: string | null;
  unit: string;
  /** Minor units of `currency` per unit, a non-negative decimal string ("0.000015"). */
  unitCostDecimal: string;
  currency: string;
  /** Default: now. */
  effectiveFrom?: Date;
  note?: string | null;
}

/** Pass-through rebilling (decision 031): attributed costs feed `meter` (a sum meter) at cost × (1 + markupBps / 10,000), in minor units of `currency`. */
export interface RebillInput {
  meter: string;
  markupBps: number;
  currency: string;
}

export interface CostProviderInput {
  code: string;
  name: string;
  regions?: string[];
  quota?: CostQuota | null;
  rates?: CostRateInput[];
  rebill?: RebillInput | null;
}

export interface CostProviderWithRates {
  provider: CostProviderRow;
  rates: CostRateRow[];
}

export const modeOf = (ctx: ServiceContext) => (ctx.actor.type === "api_key" ? ctx.actor.livemode : false);

function rateRow(ctx: ServiceContext, providerId: string, input: CostRateInput, param: string): typeof costRates.$inferInsert {
  let currency: string;
  try {
    const cost = parseDecimal(input.unitCostDecimal, `${param}.unit_cost_decimal`);
    if (cost.units < 0n) throw new MoneyError("amount_invalid", "negative", `${param}.unit_cost_decimal`);
    currency = normalizeCurrency(input.currency, `${param}.currency`);
  } catch (error) {
    if (error instanceof MoneyError) {
      const which = error.param?.endsWith("currency") ? "currency" : "unit_cost_decimal";
      throw new AppError(which === "currency" ? "currency_unsupported" : "amount_invalid", {
        param: `${param}.${which}`,
        userMessage: which === "currency" ? `${param}.currency is not a supported currency.` : `${param}.unit_cost_decimal must be a non-negative decimal string of minor units, e.g. "0.000015".`,
      });
    }
    throw error;
  }
  return {
    id: newId("costRate"),
    providerId,
    operation: input.operation,
    region: input.region ?? null,
    unit: input.unit,
    unitCostDecimal: input.unitCostDecimal,
    currency,
    effectiveFrom: input.effectiveFrom ?? ctx.now,
    note: input.note ?? null,
    createdAt: ctx.now,
  };
}

/** The provider's rebill columns; the meter must be a current sum meter of the mode (its value property is what a rebilled cost fills). */
async function rebillColumns(tx: Executor, livemode: boolean, rebill: RebillInput | null): Promise<Pick<CostProviderRow, "rebillMeter" | "rebillMarkupBps" | "rebillCurrency">> {
  if (rebill === null) return { rebillMeter: null, rebillMarkupBps: null, rebillCurrency: null };
  const meter = (await activeMetersByCode(tx, livemode, [rebill.meter])).get(rebill.meter);
  if (!meter) throw new AppError("meter_unknown", { param: "rebill.meter", userMessage: `No meter has the code ${JSON.stringify(rebill.meter)}.` });
  if (meter.aggregation !== "sum") throw new AppError("validation_failed", { param: "rebill.meter", userMessage: `Rebilled costs add up: the meter must aggregate sum, not ${meter.aggregation}.` });
  if (!Number.isSafeInteger(rebill.markupBps) || rebill.markupBps < 0) throw new AppError("validation_failed", { param: "rebill.markup_percent", userMessage: "The markup must be a non-negative percent with at most two decimals." });
  let currency: string;
  try {
    currency = normalizeCurrency(rebill.currency, "rebill.currency");
  } catch (error) {
    if (error instanceof MoneyError) throw new AppError("currency_unsupported", { param: "rebill.currency", userMessage: "rebill.currency is not a supported currency." });
    throw error;
  }
  return { rebillMeter: meter.code, rebillMarkupBps: rebill.markupBps, rebillCurrency: currency };
}

async function insertRates(tx: Executor, rows: (typeof costRates.$inferInsert)[]): Promise<CostRateRow[]> {
  if (rows.length === 0) return [];
  const inserted = await tx.insert(costRates).values(rows).onConflictDoNothing().returning();
  if (inserted.length !== rows.length) {
    throw new AppError("conflict", { param: "rates", userMessage: "A rate for this operation and region already takes effect at that time: rates are never edited, add one with another effective_from." });
  }
  return inserted;
}

/** A provider with its first rates; its code is unique per mode. */
export async function createCostProvider(ctx: ServiceContext, input: CostProviderInput): Promise<CostProviderWithRates> {
  const livemode = modeOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const [provider] = await tx
      .insert(costProviders)
      .values({ id: newId("costProvider"), code: input.code, name: input.name, regions: input.regions ?? [], quota: input.quota ?? null, ...(await rebillColumns(tx, livemode, input.rebill ?? null)), livemode, createdAt: ctx.now, updatedAt: ctx.now })
      .onConflictDoNothing()
      .returning();
    if (!provider) throw new AppError("conflict", { param: "code", userMessage: `A cost provider with the code ${JSON.stringify(input.code)} exists already.` });
    const rates = await insertRates(
      tx,
      (input.rates ?? []).map((r, i) => rateRow(ctx, provider.id, r, `rates[${i}]`)),
    );
    await recordAudit(tx, ctx.actor, { action: "cost_provider.created", entityType: "cost_provider", entityId: provider.id, after: { ...provider, rates } }, ctx.now, ctx.requestId);
    return { provider, rates };
  });
}

export interface CostProviderUpdate {
  name?: string;
  regions?: string[];
  quota?: CostQuota | null;
  /** Switch pass-through rebilling on (or change it), or off with null. */
  rebill?: RebillInput | null;
  /** Appended to the history: supersedes the operation's (and region's) current rate from its effective_from. */
  rate?: CostRateInput;
}

/** Change a provider's name, regions, quota or rebilling, and/or add a rate; every change is audited. */
export async function updateCostProvider(ctx: ServiceContext, id: string, update: CostProviderUpdate): Promise<CostProviderWithRates> {
  const livemode = modeOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const before = await findCostProvider(tx, id);
    if (!before || before.livemode !== livemode) throw notFound("cost provider", "id");
    let provider = before;
    const changes = { name: update.name, regions: update.regions, quota: update.quota, ...(update.rebill === undefined ? {} : await rebillColumns(tx, livemode, update.rebill)) };
    if (Object.values(changes).some((v) => v !== undefined)) {
      const [row] = await tx
        .update(costProviders)
        .set({ ...changes, updatedAt: ctx.now })
        .where(and(eq(costProviders.id, id)))
        .returning();
      if (!row) throw notFound("cost provider", "id");
      provider = row;
      await recordAudit(tx, ctx.actor, { action: "cost_provider.updated", entityType: "cost_provider", entityId: id, before, after: provider }, ctx.now, ctx.requestId);
    }
    if (update.rate) {
      const [rate] = await insertRates(tx, [rateRow(ctx, id, update.rate, "rate")]);
      await recordAudit(tx, ctx.actor, { action: "cost_provider.rate_added", entityType: "cost_provider", entityId: id, after: rate }, ctx.now, ctx.requestId);
    }
    return { provider, rates: await costRatesOf(tx, [id]) };
  });
}

export async function retrieveCostProvider(ctx: ServiceContext, id: string): Promise<CostProviderWithRates> {
  const provider = await findCostProvider(ctx.db, id);
  if (!provider || provider.livemode !== modeOf(ctx)) throw notFound("cost provider", "id");
  return { provider, rates: await costRatesOf(ctx.db, [id]) };
}

/** Every provider of the mode, by code, with its rate history. */
export async function listCostProviders(ctx: ServiceContext): Promise<CostProviderWithRates[]> {
  const providers = await ctx.db.select().from(costProviders).where(eq(costProviders.livemode, modeOf(ctx))).orderBy(asc(costProviders.code));
  const rates = await costRatesOf(
    ctx.db,
    providers.map((p) => p.id),
  );
  return providers.map((provider) => ({ provider, rates: rates.filter((r) => r.providerId === provider.id) }));
}
