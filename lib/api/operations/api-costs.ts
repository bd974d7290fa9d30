import { z } from "zod";
import { costGroupings } from "@/db/queries/api-costs";
import { MAX_COST_BATCH, markupBps } from "@/lib/api-costs/rules";
import type { ApiCostInput } from "@/lib/services/api-costs/record-api-costs";
import type { CostRateInput, RebillInput } from "@/lib/services/api-costs/providers";
import { dateTimeField, eventPropertiesField, idField, nameField } from "../fields";
import { defineOperation } from "../operation";
import { listOf } from "../pagination";
import { apiCostBatchResult, apiCostForecastResource, apiCostResource, apiCostSummaryResource, costProviderResource, fxRateResource, profitabilityResource } from "../resources/api-cost";

const TAGS = ["API costs"];

const code = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, { message: 'must contain only letters, digits, "_", ".", ":" and "-"' });
const region = z.string().min(1).max(50).meta({ example: "AU" });
const currencyCode = z
  .string()
  .regex(/^[A-Za-z]{3}$/, { message: "must be a three-letter ISO 4217 code" })
  .meta({ example: "usd" });
const decimalString = z
  .string()
  .max(40)
  .regex(/^\d+(\.\d+)?$/, { message: 'must be a non-negative decimal string, e.g. "0.000015"' });
const quota = z.object({ limit: z.number().positive().max(1e15), period: z.enum(["day", "month"]) }).strict();

const rateBody = z
  .object({
    operation: code.meta({ example: "completion" }),
    region: region.nullable().optional().meta({ description: "Omit or null for the provider-wide rate." }),
    unit: z.string().min(1).max(50).meta({ example: "1k_tokens" }),
    unit_cost_decimal: decimalString.meta({ description: "Minor units of `currency` per unit." }),
    currency: currencyCode,
    effective_from: dateTimeField.optional().meta({ description: "Default: now. A rate supersedes the operation's (and region's) previous one from here." }),
    note: z.string().max(500).nullable().optional(),
  })
  .strict();

const rebillBody = z
  .object({
    meter: code.meta({ description: "The code of a `sum` meter: each cost attributed to a customer becomes a usage event on it (identifier `api_cost:<identifier>`), its value property = cost × (1 + markup) in minor units of `currency`, exact. A metered price on the meter with `unit_amount_decimal` \"1\" bills it on the customer's renewal." }),
    markup_percent: z
      .number()
      .min(0)
      .max(10_000)
      .refine((p) => markupBps(p) !== null, { message: "must have at most two decimals" })
      .meta({ example: 20, description: "Added to the cost: 20 bills cost × 1.2." }),
    currency: currencyCode.meta({ description: "The currency of the meter's amounts (its metered price's currency). A cost in another currency is converted at its UTC day's rate (POST /fx_rates); without one the cost is refused with fx_rate_missing." }),
  })
  .strict();

/** Pass-through rebilling as the service takes it; null switches it off. */
export function rebillInput(body: z.output<typeof rebillBody> | null | undefined): RebillInput | null | undefined {
  if (body === undefined || body === null) return body;
  return { meter: body.meter, markupBps: markupBps(body.markup_percent) ?? 0, currency: body.currency };
}

export function rateInput(body: z.output<typeof rateBody>): CostRateInput {
  return { operation: body.operation, region: body.region ?? null, unit: body.unit, unitCostDecimal: body.unit_cost_decimal, currency: body.currency, effectiveFrom: body.effective_from, note: body.note ?? null };
}

export const createCostProviderOp = defineOperation({
  method: "POST",
  path: "/cost_providers",
  operationId: "createCostProvider",
  summary: "Create an API cost provider with its rates",
  description:
    "`rebill` marks the provider for pass-through rebilling: each cost attributed to a customer also becomes a usage event `api_cost:<identifier>` on the named `sum` meter, worth cost × (1 + markup_percent / 100) minor units of `rebill.currency` (converted at the cost's day's exchange rate when the cost is in another currency), in the transaction that stores the cost; a retried cost adds no second event. A metered price on that meter with `unit_amount_decimal` \"1\" bills the period's exact sum on the customer's renewal, rounded once. A cost that cannot be rebilled (no exchange rate for its day, an event the usage rules refuse) is refused with the reason.",
  tags: TAGS,
  body: z.object({
    code: code.meta({ example: "openai" }),
    name: nameField.min(1),
    regions: z.array(region).max(50).optional(),
    quota: quota.nullable().optional(),
    rates: z.array(rateBody).max(200).optional(),
    rebill: rebillBody.nullable().optional().meta({ description: "Pass-through rebilling: attributed costs are billed to their customer through a metered price, with a markup." }),
  }),
  response: costProviderResource,
});

export const listCostProvidersOp = defineOperation({
  method: "GET",
  path: "/cost_providers",
  operationId: "listCostProviders",
  summary: "List API cost providers, by code, with their rate history",
  tags: TAGS,
  response: listOf(costProviderResource),
});

export const retrieveCostProviderOp = defineOperation({
  method: "GET",
  path: "/cost_providers/{id}",
  operationId: "retrieveCostProvider",
  summary: "Retrieve an API cost provider",
  tags: TAGS,
  params: z.object({ id: idField("cprov") }).strict(),
  response: costProviderResource,
});

export const updateCostProviderOp = defineOperation({
  method: "PATCH",
  path: "/cost_providers/{id}",
  operationId: "updateCostProvider",
  summary: "Update an API cost provider, or add a rate",
  description: "`rate` is appended to the history (rates are never edited): it prices costs from its `effective_from` on.",
  tags: TAGS,
  params: z.object({ id: idField("cprov") }).strict(),
  body: z.object({
    name: nameField.min(1).optional(),
    regions: z.array(region).max(50).optional(),
    quota: quota.nullable().optional(),
    rebill: rebillBody.nullable().optional().meta({ description: "Switch pass-through rebilling on or change it; null switches it off. Costs recorded before are not rebilled." }),
    rate: rateBody.optional(),
  }),
  response: costProviderResource,
});

export const apiCostBody = z.object({
  identifier: z.string().min(1).max(255).meta({ description: "Your unique id for the cost: a repeat is a duplicate, never counted twice." }),
  provider: code.meta({ description: "The provider's code." }),
  operation: code,
  region: region.optional(),
  units: z.union([decimalString, z.number().nonnegative()]).meta({ description: "How many units (in the rate's unit), a decimal." }),
  cost_decimal: decimalString.optional().meta({ description: "The cost in exact minor units; computed from the rate in force at `timestamp` when absent." }),
  currency: currencyCode.optional().meta({ description: "Default: the rate's currency. Required with cost_decimal when no rate is in force." }),
  customer: idField("cus").optional(),
  customer_external_id: z.string().min(1).max(255).optional(),
  timestamp: dateTimeField.optional().meta({ description: "When the call was made (default: now). At most 5 minutes ahead, at most the late window (usage.late_window_days) behind." }),
  properties: eventPropertiesField.default({}),
});

export function apiCostInput(body: z.output<typeof apiCostBody>): ApiCostInput {
  return {
    identifier: body.identifier,
    provider: body.provider,
    operation: body.operation,
    region: body.region ?? null,
    units: body.units,
    costDecimal: body.cost_decimal,
    currency: body.currency,
    customer: body.customer,
    customerExternalId: body.customer_external_id,
    timestamp: body.timestamp,
    properties: body.properties,
  };
}

export const createApiCostOp = defineOperation({
  method: "POST",
  path: "/api_costs",
  operationId: "createApiCost",
  summary: "Record an API cost",
  description: "201 with the stored cost; 200 with the cost stored earlier when the identifier was seen before. Attribution to a customer (`customer` or `customer_external_id`) is optional.",
  tags: TAGS,
  body: apiCostBody,
  response: apiCostResource,
  successStatus: 201,
  alternateSuccess: { status: 200, description: "A duplicate: the cost stored earlier under this identifier." },
});

export const createApiCostBatchOp = defineOperation({
  method: "POST",
  path: "/api_costs/batch",
  operationId: "createApiCostBatch",
  summary: `Record up to ${MAX_COST_BATCH} API costs`,
  description: "Each item has the body of POST /api_costs and is judged on its own: a bad one is listed in `rejected` and never rejects its neighbours.",
  tags: TAGS,
  body: z.object({ costs: z.array(z.unknown().meta({ description: "An API cost, as the body of POST /api_costs." })).min(1).max(MAX_COST_BATCH) }),
  response: apiCostBatchResult,
  successStatus: 202,
});

export const apiCostSummaryOp = defineOperation({
  method: "GET",
  path: "/api_costs/summary",
  operationId: "apiCostSummary",
  summary: "API costs over a range, grouped",
  description:
    "Costs over [from, to) by provider, region, operation, customer or UTC day, in the reporting `currency` (default: the install's default currency): each cost is converted at its day's exchange rate (the latest on or before it, POST /fx_rates) and each row's exact sum is rounded to minor units once.",
  tags: TAGS,
  query: z.object({
    from: dateTimeField,
    to: dateTimeField,
    group_by: z.enum(costGroupings).default("provider"),
    currency: currencyCode.optional(),
    provider: code.optional().meta({ description: "Only this provider's costs." }),
    customer: idField("cus").optional().meta({ description: "Only costs attributed to this customer." }),
  }),
  response: apiCostSummaryResource,
});

export const apiCostForecastOp = defineOperation({
  method: "GET",
  path: "/api_costs/forecast",
  operationId: "apiCostForecast",
  summary: "Forecast a month's API spend",
  description:
    "Spend so far in the UTC `month` (default: this month) and the expected month-end spend, overall or for one `provider`, in the reporting `currency`. The method: the last 14 complete days' mean spend with the weekly rhythm taken out (weekday factors from the last 28 days), times each remaining day's factor; with under two weeks of history, the plain mean of the days there are. A future month is a 422.",
  tags: TAGS,
  query: z.object({
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "must be a month, YYYY-MM" })
      .optional()
      .meta({ example: "2026-12" }),
    provider: code.optional().meta({ description: "Only this provider's costs." }),
    currency: currencyCode.optional(),
  }),
  response: apiCostForecastResource,
});

export const customerProfitabilityOp = defineOperation({
  method: "GET",
  path: "/customers/{id}/profitability",
  operationId: "customerProfitability",
  summary: "A customer's revenue, API costs, gateway fees and margin",
  description:
    "Over [from, to), in the reporting `currency` (default: the install's default currency), each amount converted at its day's rate and rounded once: revenue net of tax, refunds and credit notes, minus the API costs attributed to the customer and the gateway fees on their payments, is the margin.",
  tags: ["Customers", ...TAGS],
  params: z.object({ id: idField("cus") }).strict(),
  query: z.object({ from: dateTimeField, to: dateTimeField, currency: currencyCode.optional() }),
  response: profitabilityResource,
});

export const listUnprofitableCustomersOp = defineOperation({
  method: "GET",
  path: "/api_costs/unprofitable_customers",
  operationId: "listUnprofitableCustomers",
  summary: "Customers whose margin over a range is below zero, the worst first",
  description: "Each as GET /customers/{id}/profitability computes it over [from, to), in the reporting `currency`.",
  tags: TAGS,
  query: z.object({ from: dateTimeField, to: dateTimeField, currency: currencyCode.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
  response: listOf(profitabilityResource),
});

export const createFxRateOp = defineOperation({
  method: "POST",
  path: "/fx_rates",
  operationId: "createFxRate",
  summary: "Record an exchange rate for a day",
  description: "1 `base` = `rate` `quote`. A day's rate is the latest on or before it; posting the same pair and date again replaces that day's rate. Conversions the other way divide by it.",
  tags: TAGS,
  body: z.object({
    base: currencyCode,
    quote: currencyCode,
    rate: decimalString,
    date: z.iso.date().meta({ example: "2026-12-01" }),
  }),
  response: fxRateResource,
});

export const listFxRatesOp = defineOperation({
  method: "GET",
  path: "/fx_rates",
  operationId: "listFxRates",
  summary: "List exchange rates, newest date first",
  tags: TAGS,
  query: z.object({ base: currencyCode.optional(), quote: currencyCode.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
  response: listOf(fxRateResource),
});

export const apiCostOperations = [
  createCostProviderOp,
  listCostProvidersOp,
  retrieveCostProviderOp,
  updateCostProviderOp,
  createApiCostOp,
  createApiCostBatchOp,
  apiCostSummaryOp,
  apiCostForecastOp,
  customerProfitabilityOp,
  listUnprofitableCustomersOp,
  createFxRateOp,
  listFxRatesOp,
];
