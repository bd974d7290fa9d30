import { z } from "zod";
import type { ApiCostRow, CostRateRow, FxRateRow } from "@/db/queries/api-costs";
import type { CostProviderWithRates } from "@/lib/services/api-costs/providers";
import type { Profitability } from "@/lib/services/api-costs/profitability";
import { formatDecimal, parseDecimal } from "@/lib/money";
import { batchRejections, iso, timestamp } from "./common";

/** A numeric column's text as the API shows decimals: without trailing zeros. */
const decimalText = (value: string) => formatDecimal(parseDecimal(value));

export const costRateResource = z
  .object({
    id: z.string(),
    operation: z.string(),
    region: z.string().nullable().meta({ description: "null: the provider-wide rate, used where no rate names the cost's region." }),
    unit: z.string().meta({ example: "1k_tokens" }),
    unit_cost_decimal: z.string().meta({ description: "Minor units of `currency` per unit, exact (sub-minor decimals allowed).", example: "0.000015" }),
    currency: z.string(),
    effective_from: timestamp,
    note: z.string().nullable(),
    created: timestamp,
  })
  .meta({ id: "CostRate" });

export const costProviderResource = z
  .object({
    id: z.string(),
    object: z.literal("cost_provider"),
    code: z.string(),
    name: z.string(),
    regions: z.array(z.string()),
    quota: z.object({ limit: z.number(), period: z.enum(["day", "month"]) }).nullable(),
    rates: z.array(costRateResource).meta({ description: "Every rate ever added, oldest first: a rate is never edited; the latest in force at a cost's time prices it." }),
    rebill: z
      .object({ meter: z.string(), markup_percent: z.number(), currency: z.string() })
      .nullable()
      .meta({ description: "Pass-through rebilling: each attributed cost feeds `meter` at cost × (1 + markup_percent / 100) minor units of `currency`; null when off." }),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "CostProvider" });

function toCostRate(r: CostRateRow): z.input<typeof costRateResource> {
  return { id: r.id, operation: r.operation, region: r.region, unit: r.unit, unit_cost_decimal: decimalText(r.unitCostDecimal), currency: r.currency, effective_from: iso(r.effectiveFrom), note: r.note, created: iso(r.createdAt) };
}

export function toCostProvider({ provider, rates }: CostProviderWithRates): z.input<typeof costProviderResource> {
  return {
    id: provider.id,
    object: "cost_provider",
    code: provider.code,
    name: provider.name,
    regions: provider.regions,
    quota: provider.quota ?? null,
    rates: rates.map(toCostRate),
    rebill:
      provider.rebillMeter === null || provider.rebillMarkupBps === null || provider.rebillCurrency === null
        ? null
        : { meter: provider.rebillMeter, markup_percent: provider.rebillMarkupBps / 100, currency: provider.rebillCurrency },
    livemode: provider.livemode,
    created: iso(provider.createdAt),
  };
}

export const apiCostResource = z
  .object({
    id: z.string(),
    object: z.literal("api_cost"),
    identifier: z.string(),
    provider: z.string().meta({ description: "The provider's code." }),
    operation: z.string(),
    region: z.string().nullable(),
    units: z.string(),
    cost_decimal: z.string().meta({ description: "Exact minor units of `currency` (not rounded)." }),
    currency: z.string(),
    customer: z.string().nullable(),
    timestamp,
    properties: z.record(z.string(), z.union([z.string(), z.number()])),
    rate: z.string().nullable().meta({ description: "The rate the cost was computed from; null when the cost was given." }),
    late: z.boolean().meta({ description: "Recorded after its UTC month had ended." }),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "ApiCost" });

export function toApiCost(row: ApiCostRow): z.input<typeof apiCostResource> {
  return {
    id: row.id,
    object: "api_cost",
    identifier: row.identifier,
    provider: row.providerCode,
    operation: row.operation,
    region: row.region,
    units: decimalText(row.units),
    cost_decimal: decimalText(row.cost),
    currency: row.currency,
    customer: row.customerId,
    timestamp: iso(row.timestamp),
    properties: row.properties,
    rate: row.rateId,
    late: row.late,
    livemode: row.livemode,
    created: iso(row.createdAt),
  };
}

export const apiCostBatchResult = z
  .object({
    object: z.literal("api_cost_batch"),
    accepted: z.number().int().meta({ description: "Costs stored now." }),
    duplicates: z.number().int().meta({ description: "Costs whose identifier was seen before (or earlier in this batch): ignored." }),
    rejected: batchRejections("costs"),
  })
  .meta({ id: "ApiCostBatchResult" });

export const apiCostSummaryResource = z
  .object({
    object: z.literal("api_cost_summary"),
    group_by: z.string(),
    currency: z.string(),
    data: z.array(
      z.object({
        key: z.string().nullable().meta({ description: "The provider code, region, operation, customer id or UTC day (YYYY-MM-DD); null for costs without a region or customer." }),
        units: z.string().meta({ description: "The units recorded, an exact decimal string." }),
        cost: z.number().int().meta({ description: "Minor units of `currency`, converted at each day's rate and rounded once for the row." }),
        cost_decimal: z.string().meta({ description: "The exact cost before that rounding." }),
        currency: z.string(),
        count: z.number().int(),
      }),
    ),
  })
  .meta({ id: "ApiCostSummary" });

export const fxRateResource = z
  .object({
    object: z.literal("fx_rate"),
    base: z.string(),
    quote: z.string(),
    rate: z.string().meta({ description: "1 base = rate quote (major units)." }),
    date: z.string().meta({ example: "2026-12-01" }),
    created: timestamp,
  })
  .meta({ id: "FxRate" });

export function toFxRate(r: FxRateRow): z.input<typeof fxRateResource> {
  return { object: "fx_rate", base: r.base, quote: r.quote, rate: decimalText(String(r.rate)), date: r.date, created: iso(new Date(r.createdAt)) };
}

export const apiCostForecastResource = z
  .object({
    object: z.literal("api_cost_forecast"),
    month: z.string().meta({ example: "2026-12" }),
    provider: z.string().nullable().meta({ description: "The provider's code; null for all providers." }),
    spent: z.number().int().meta({ description: "Minor units of `currency` spent in the month so far: each day's costs converted at its rate, summed exactly, rounded once." }),
    forecast: z.number().int().meta({ description: "Expected month-end spend: `spent` plus the projection of the days left (see `method`)." }),
    budget: z.number().int().nullable().meta({ description: "The month's budget in `currency`; null while none is set." }),
    currency: z.string(),
    method: z.enum(["weekday_run_rate", "run_rate", "actual"]).meta({
      description:
        "weekday_run_rate: the last 14 complete days' mean with the weekly rhythm taken out, times each remaining day's weekday factor (learned from the last 28 days); run_rate: under two weeks of history, their plain mean; actual: the month has ended.",
    }),
    as_of: timestamp,
  })
  .meta({ id: "ApiCostForecast" });

export const profitabilityResource = z
  .object({
    object: z.literal("customer_profitability"),
    customer: z.string(),
    from: timestamp,
    to: timestamp,
    revenue: z.number().int().meta({ description: "Invoices finalized in the range (open or paid), net of tax, less credit notes issued in the range net of tax (refunds are issued as credit notes)." }),
    api_cost: z.number().int().meta({ description: "API costs attributed to the customer in the range, exact, rounded once." }),
    gateway_fees: z.number().int().meta({ description: "Fees recorded on the customer's payments that succeeded in the range." }),
    margin: z.number().int().meta({ description: "revenue − api_cost − gateway_fees." }),
    currency: z.string().meta({ description: "The reporting currency: every amount converted at its day's exchange rate." }),
  })
  .meta({ id: "CustomerProfitability" });

export function toProfitability(customer: string, range: { from: Date; to: Date }, p: Profitability): z.input<typeof profitabilityResource> {
  return { object: "customer_profitability", customer, from: iso(range.from), to: iso(range.to), revenue: p.revenue, api_cost: p.apiCost, gateway_fees: p.gatewayFees, margin: p.margin, currency: p.currency };
}
