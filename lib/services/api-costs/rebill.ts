import type { Executor } from "@/db/client";
import type { CostProviderRow, CostRateRow, NewApiCost } from "@/db/queries/api-costs";
import { activeMetersByCode } from "@/db/queries/usage";
import { exactCost, rebillIdentifier, rebillValue } from "@/lib/api-costs/rules";
import { AppError } from "@/lib/errors";
import { formatDecimal } from "@/lib/money";
import type { EventProblem } from "@/lib/usage/event-rules";
import type { ServiceContext } from "../context";
import { judgeUsageEvents, storeJudgedUsage, usageStored, type JudgedUsage, type UsageEventInput } from "../usage/ingest-usage-events";
import { fxConverter } from "./fx";

/**
 * Pass-through rebilling (decision 031): the usage events that the accepted costs of rebilling
 * providers, attributed to a customer, feed — judged by the usage ingest's own rules (the customer's
 * clock and open period, the meter's value property) before anything is stored. A cost whose event
 * cannot be made (no exchange rate for its day, an event the usage rules refuse) gets a problem:
 * the cost is refused with it, so a cost is never tracked without being rebilled.
 */
export interface RebillPlan {
  judged: JudgedUsage;
  /** Usage identifier → the cost's identifier. */
  costOf: ReadonlyMap<string, string>;
}

export async function planRebills(
  ctx: ServiceContext,
  costs: readonly { index: number; cost: NewApiCost }[],
  providers: ReadonlyMap<string, CostProviderRow>,
  rates: readonly CostRateRow[],
): Promise<{ plan: RebillPlan | null; problems: Map<number, EventProblem> }> {
  const problems = new Map<number, EventProblem>();
  const rebilled = costs.flatMap(({ index, cost }) => {
    const provider = providers.get(cost.providerCode);
    if (!provider || cost.customerId === null || provider.rebillMeter === null || provider.rebillMarkupBps === null || provider.rebillCurrency === null) return [];
    return [{ index, cost, customerId: cost.customerId, meter: provider.rebillMeter, markupBps: provider.rebillMarkupBps, currency: provider.rebillCurrency }];
  });
  if (rebilled.length === 0) return { plan: null, problems };

  const meters = await activeMetersByCode(
    ctx.db,
    rebilled[0]!.cost.livemode,
    rebilled.map((r) => r.meter),
  );
  const day = (at: Date) => at.toISOString().slice(0, 10);
  const converters = new Map<string, Awaited<ReturnType<typeof fxConverter>>>();
  for (const currency of new Set(rebilled.map((r) => r.currency))) {
    const pieces = rebilled.filter((r) => r.currency === currency).map((r) => ({ currency: r.cost.currency, day: day(r.cost.timestamp) }));
    converters.set(currency, await fxConverter(ctx.db, pieces, currency));
  }
  const unitCost = new Map(rates.map((r) => [r.id, r.unitCostDecimal]));

  const inputs: UsageEventInput[] = [];
  const indexes: number[] = [];
  const costIdentifiers: string[] = [];
  for (const r of rebilled) {
    const cost = exactCost({ given: r.cost.cost, units: r.cost.units, unitCostDecimal: r.cost.rateId === null ? null : (unitCost.get(r.cost.rateId) ?? null) });
    let converted;
    try {
      converted = converters.get(r.currency)!({ amount: cost, currency: r.cost.currency, day: day(r.cost.timestamp) });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "fx_rate_missing") throw error;
      problems.set(r.index, { code: "fx_rate_missing", param: "currency", detail: `${error.userMessage} The provider rebills its costs in ${r.currency}.` });
      continue;
    }
    const valueProperty = meters.get(r.meter)?.valueProperty ?? "value";
    inputs.push({
      identifier: rebillIdentifier(r.cost.identifier),
      meter: r.meter,
      customer: r.customerId,
      timestamp: r.cost.timestamp,
      properties: { provider: r.cost.providerCode, operation: r.cost.operation, [valueProperty]: formatDecimal(rebillValue(converted, r.markupBps)) },
    });
    indexes.push(r.index);
    costIdentifiers.push(r.cost.identifier);
  }

  const judged = await judgeUsageEvents(ctx, inputs);
  judged.outcomes.forEach((outcome, i) => {
    const identifier = inputs[i]!.identifier;
    // A refused event already stored is a retry: its cost is a duplicate too, and the cost path says so.
    if (outcome.status !== "rejected" || judged.known.has(identifier)) return;
    problems.set(indexes[i]!, { ...outcome.problem, detail: `Rebilling it to meter ${inputs[i]!.meter}: ${outcome.problem.detail}` });
  });
  return { plan: { judged, costOf: new Map(inputs.map((input, i) => [input.identifier, costIdentifiers[i]!])) }, problems };
}

/**
 * Store the plan's events for the costs stored now (never for a duplicate cost: its event, if any,
 * went in with it), in the caller's transaction, so a cost and its usage event commit together.
 */
export async function storeRebills(ctx: ServiceContext, tx: Executor, plan: RebillPlan, costsSeenBefore: ReadonlySet<string>): Promise<() => void> {
  const judged = { ...plan.judged, candidates: plan.judged.candidates.filter((e) => !costsSeenBefore.has(plan.costOf.get(e.identifier) ?? "")) };
  const stored = await storeJudgedUsage(ctx, tx, judged);
  return () => void usageStored(ctx, judged, stored);
}
