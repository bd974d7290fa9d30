import {
  apiCostsByIdentifier,
  costProvidersByCode,
  costRatesOf,
  ensureApiCostPartitions,
  insertApiCosts,
  type ApiCostRow,
  type NewApiCost,
} from "@/db/queries/api-costs";
import { customersByIdOrExternalId } from "@/db/queries/customers";
import { costDecimal, costTiming, rateInForce } from "@/lib/api-costs/rules";
import { minuteKey } from "@/lib/api-costs/budget-rules";
import { auditRow } from "@/lib/audit/record";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { groupBy } from "@/lib/collections";
import { newId } from "@/lib/ids";
import { isSupportedCurrency } from "@/lib/money";
import { settleDuplicates, type EventProblem } from "@/lib/usage/event-rules";
import type { ServiceContext } from "../context";
import { getSetting } from "../settings/settings";
import { modeOf } from "./providers";
import { planRebills, storeRebills } from "./rebill";

export interface ApiCostInput {
  identifier: string;
  /** The provider's code. */
  provider: string;
  operation: string;
  region?: string | null;
  /** A non-negative decimal (string or number). */
  units: string | number;
  /** Exact minor units; computed from the rate in force at `timestamp` when absent. */
  costDecimal?: string | number;
  /** Default: the rate's currency. */
  currency?: string;
  /** At most one of the customer's id and external id (attribution is optional). */
  customer?: string;
  customerExternalId?: string;
  /** When the call was made; default now. */
  timestamp?: Date;
  properties?: Record<string, string | number>;
}

export type CostOutcome = { status: "accepted"; cost: NewApiCost } | { status: "duplicate"; identifier: string } | { status: "rejected"; problem: EventProblem };

const refuse = (code: EventProblem["code"], param: string, detail: string): CostOutcome => ({ status: "rejected", problem: { code, param, detail } });

/**
 * Record API costs, each on its own merits (as usage events: docs/decisions/028 and 031): a bad one
 * is refused with its reason, an identifier stored before is a duplicate. The cost is the client's
 * `cost_decimal`, or units × the rate in force at the cost's time (by provider, operation and region,
 * falling back to the provider-wide rate), kept exact. Accepted costs, their rollups, one audit
 * entry and — for a provider that rebills — the usage events of the costs attributed to a customer
 * (./rebill.ts) are written in one transaction. One outcome per input, in order.
 */
export async function recordApiCosts(ctx: ServiceContext, inputs: readonly ApiCostInput[]): Promise<CostOutcome[]> {
  if (inputs.length === 0) return [];
  const livemode = modeOf(ctx);
  const [providers, customers, lateWindowDays] = await Promise.all([
    costProvidersByCode(
      ctx.db,
      livemode,
      inputs.map((i) => i.provider),
    ),
    customersByIdOrExternalId(
      ctx.db,
      inputs.flatMap((i) => (i.customer === undefined ? [] : [i.customer])),
      inputs.flatMap((i) => (i.customerExternalId === undefined ? [] : [i.customerExternalId])),
    ),
    getSetting(ctx.db, "usage.late_window_days"),
  ]);
  const rates = await costRatesOf(
    ctx.db,
    [...providers.values()].map((p) => p.id),
  );
  const ratesByProvider = groupBy(rates, (r) => r.providerId);
  type Named = (typeof customers)[number];
  const byId = new Map<string, Named>();
  const byExternalId = new Map<string, Named>();
  for (const c of customers) {
    if (c.livemode !== livemode) continue;
    byId.set(c.id, c);
    if (c.externalId !== null) byExternalId.set(c.externalId, c);
  }

  const outcomes = inputs.map((input): CostOutcome => {
    const provider = providers.get(input.provider);
    if (!provider) return refuse("cost_provider_unknown", "provider", `No cost provider has the code ${JSON.stringify(input.provider)}.`);
    if (input.customer !== undefined && input.customerExternalId !== undefined) return refuse("validation_failed", "customer", "Give at most one of customer and customer_external_id.");
    let customerId: string | null = null;
    if (input.customer !== undefined || input.customerExternalId !== undefined) {
      const customer = input.customer !== undefined ? byId.get(input.customer) : byExternalId.get(input.customerExternalId ?? "");
      if (!customer) return refuse("not_found", input.customer !== undefined ? "customer" : "customer_external_id", "No such customer.");
      customerId = customer.id;
    }
    const units = costDecimal(input.units);
    if (units === null) return refuse("cost_units_invalid", "units", 'units must be a non-negative decimal, e.g. 1200 or "0.5".');
    const given = input.costDecimal === undefined ? null : costDecimal(input.costDecimal);
    if (input.costDecimal !== undefined && given === null) return refuse("cost_units_invalid", "cost_decimal", 'cost_decimal must be a non-negative decimal string of minor units, e.g. "0.45".');
    const timestamp = input.timestamp ?? ctx.now;
    const timing = costTiming({ timestamp, now: ctx.now, lateWindowDays });
    if ("refused" in timing) return { status: "rejected", problem: timing.refused };
    const region = input.region ?? null;
    const rate = rateInForce(ratesByProvider.get(provider.id) ?? [], { operation: input.operation, region, at: timestamp });
    if (given === null && !rate) {
      const where = region === null ? "" : ` in ${region} (or provider-wide)`;
      return refuse("cost_rate_missing", "operation", `${provider.code} has no rate for ${JSON.stringify(input.operation)}${where} in force at ${timestamp.toISOString()}; add one or give cost_decimal.`);
    }
    const currency = (input.currency ?? rate?.currency ?? "").toLowerCase();
    if (!isSupportedCurrency(currency)) return refuse("currency_unsupported", "currency", "currency is required with cost_decimal when no rate is in force, and must be a supported currency.");
    if (given === null && rate && currency !== rate.currency) return refuse("validation_failed", "currency", `The rate in force is in ${rate.currency}; give cost_decimal to record a cost in ${currency}.`);
    const cost: NewApiCost = {
      id: newId("apiCost"),
      identifier: input.identifier,
      providerCode: provider.code,
      operation: input.operation,
      region,
      units,
      cost: given,
      currency,
      customerId,
      timestamp,
      properties: input.properties ?? {},
      late: timing.late,
      livemode,
      rateId: given === null ? (rate?.id ?? null) : null,
    };
    return { status: "accepted", cost };
  });

  // Pass-through rebilling: a cost whose usage event cannot be made is refused with the reason.
  const { plan, problems } = await planRebills(
    ctx,
    outcomes.flatMap((o, index) => (o.status === "accepted" ? [{ index, cost: o.cost }] : [])),
    providers,
    rates,
  );
  for (const [index, problem] of problems) outcomes[index] = { status: "rejected", problem };

  // A retry of a cost accepted earlier is a duplicate even when it would now be refused.
  const refused = inputs.filter((_, i) => outcomes[i]?.status === "rejected").map((i) => i.identifier);
  const known = refused.length > 0 ? await apiCostsByIdentifier(ctx.db, livemode, refused) : new Map<string, ApiCostRow>();
  const candidates = outcomes.flatMap((o) => (o.status === "accepted" ? [o.cost] : []));
  let seenBefore = new Set<string>();
  if (candidates.length > 0) {
    await ensureApiCostPartitions(
      ctx.db,
      candidates.map((c) => c.timestamp),
    );
    const audit = {
      row: auditRow(ctx.actor, { action: "api_costs.recorded", entityType: "api_costs", entityId: ctx.requestId ?? "api_costs", after: null }, ctx.now, ctx.requestId),
      rejected: outcomes.length - candidates.length,
    };
    let rebilled = () => {};
    // Without rebilling, the one storing statement is the whole transaction; with it, the costs and their usage events commit together.
    seenBefore = plan
      ? await ctx.db.transaction(async (tx) => {
          const stored = await insertApiCosts(tx, candidates, ctx.now, audit);
          rebilled = await storeRebills(ctx, tx, plan, stored);
          return stored;
        })
      : await insertApiCosts(ctx.db, candidates, ctx.now, audit);
    rebilled();
    // Budgets and quotas are checked by a job, asked for here at most once a minute; the request does not wait for it.
    if (new Set(candidates.map((c) => c.identifier)).size > seenBefore.size) enqueueJob("api_costs.alerts", minuteKey(ctx.now));
  }
  return settleDuplicates(
    inputs.map((i) => i.identifier),
    outcomes,
    seenBefore,
    new Set(known.keys()),
  );
}

/** One cost: the stored row, and whether it was stored now (false: a duplicate of an earlier one). */
export async function recordApiCost(ctx: ServiceContext, input: ApiCostInput): Promise<{ cost: ApiCostRow; created: boolean } | { problem: EventProblem }> {
  const [outcome] = await recordApiCosts(ctx, [input]);
  if (!outcome) throw new Error("recordApiCosts returned no outcome");
  if (outcome.status === "rejected") return { problem: outcome.problem };
  const stored = (await apiCostsByIdentifier(ctx.db, modeOf(ctx), [input.identifier])).get(input.identifier);
  if (!stored) throw new Error(`api cost ${input.identifier} not found after recording`);
  return { cost: stored, created: outcome.status === "accepted" };
}
