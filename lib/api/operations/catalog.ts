import { z } from "zod";
import type { PriceTermsInput } from "@/lib/services/catalog/price-terms";
import { amountInCurrencyField, currencyField, idField, metadataField, nameField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { planResource, priceResource } from "../resources/plan";
import { productResource } from "../resources/product";

const TAGS = ["Catalog"];
const activeFilter = z.enum(["true", "false"]).optional().meta({ description: "Only active (true) or inactive (false) objects." });
const descriptionField = z.string().max(2000);

// Products

const productParams = z.object({ id: idField("prod") }).strict();

export const createProductOp = defineOperation({
  method: "POST",
  path: "/products",
  operationId: "createProduct",
  summary: "Create a product",
  tags: TAGS,
  body: z.object({
    name: nameField.min(1),
    description: descriptionField.nullable().optional(),
    active: z.boolean().optional(),
    metadata: metadataField.optional(),
  }),
  response: productResource,
});

export const listProductsOp = defineOperation({
  method: "GET",
  path: "/products",
  operationId: "listProducts",
  summary: "List products, newest first",
  tags: TAGS,
  query: listQuery.extend({ active: activeFilter }),
  response: listOf(productResource),
});

export const retrieveProductOp = defineOperation({
  method: "GET",
  path: "/products/{id}",
  operationId: "retrieveProduct",
  summary: "Retrieve a product",
  tags: TAGS,
  params: productParams,
  response: productResource,
});

export const updateProductOp = defineOperation({
  method: "PATCH",
  path: "/products/{id}",
  operationId: "updateProduct",
  summary: "Update a product",
  tags: TAGS,
  params: productParams,
  body: z.object({
    name: nameField.min(1).optional(),
    description: descriptionField.nullable().optional(),
    active: z.boolean().optional(),
    metadata: metadataField.optional(),
  }),
  response: productResource,
});

// Prices: the terms a price is created with, alone (POST /prices) or as a plan's first versions (POST /plans)

const unitAmountDecimalField = z
  .string()
  .max(32)
  .regex(/^\d{1,19}(\.\d{1,12})?$/, { message: 'must be a decimal string of minor units with at most 12 decimal places, e.g. "0.125"' });

const tierBody = z
  .object({
    up_to: z.number().int().min(1).nullable().meta({ description: "The tier's last unit, inclusive; null (the last tier only) for no upper bound." }),
    unit_amount: amountInCurrencyField.nullable().optional(),
    unit_amount_decimal: unitAmountDecimalField.nullable().optional().meta({ description: "Instead of unit_amount: the tier's per-unit amount in minor units with up to 12 decimal places." }),
    flat_amount: amountInCurrencyField.nullable().optional(),
  })
  .strict();

const priceTermsShape = {
  currency: currencyField,
  tax_behavior: z.enum(["inclusive", "exclusive"]),
  billing_scheme: z.enum(["per_unit", "tiered"]).optional().meta({ description: 'Default "per_unit".' }),
  unit_amount: amountInCurrencyField.optional().meta({ description: "Per-unit amount in minor units (per_unit)." }),
  unit_amount_decimal: unitAmountDecimalField.optional().meta({ description: "Instead of unit_amount: minor units with up to 12 decimal places." }),
  tiers_mode: z.enum(["graduated", "volume"]).optional(),
  tiers: z.array(tierBody).min(1).max(100).optional().meta({ description: "Strictly increasing up_to; the last tier has up_to null." }),
  package_size: z.number().int().min(1).optional().meta({ description: "Units per package: unit_amount buys this many, partial packages round up." }),
  usage_type: z.enum(["licensed", "metered"]).optional().meta({ description: 'Default "licensed". A metered price bills what its meter measured in each period, in arrears.' }),
  meter: z.string().min(1).max(100).optional().meta({ description: "A metered price's meter: its id (`mtr_…`, that version) or its code (the current version). Required with usage_type metered." }),
};

const priceTermsBody = z.object(priceTermsShape).strict();

/** The request's price terms as the catalog services take them. */
export function toPriceTermsInput(body: z.output<typeof priceTermsBody>): PriceTermsInput {
  return {
    currency: body.currency,
    taxBehavior: body.tax_behavior,
    billingScheme: body.billing_scheme,
    unitAmount: body.unit_amount,
    unitAmountDecimal: body.unit_amount_decimal,
    tiersMode: body.tiers_mode,
    tiers: body.tiers,
    packageSize: body.package_size,
    usageType: body.usage_type,
    meter: body.meter,
  };
}

// Plans

const planParams = z.object({ id: idField("plan") }).strict();

const featureCode = z.string().min(1).max(200);
const planFeaturesField = z
  .array(
    z.union([
      featureCode.meta({ description: "A boolean feature by its code (the same as `{code, hard: false}`)." }),
      z
        .object({
          code: featureCode,
          meter: z.string().min(1).max(100).nullable().optional().meta({ description: "A meter code: the feature is metered. Must exist (POST /meters)." }),
          limit: z.number().nullable().optional().meta({ description: "Usage allowed per subscription period, ≥ 0; needs `meter`. Absent: unlimited (only counted)." }),
          hard: z.boolean().optional().meta({ description: "Refuse once the limit is reached (default false: soft, only reported)." }),
        })
        .strict(),
    ]),
  )
  .max(100)
  .meta({ description: "Features `[{code, meter?, limit?, hard}]`; a plain string is a boolean feature. Replaces the whole list." });

export const createPlanOp = defineOperation({
  method: "POST",
  path: "/plans",
  operationId: "createPlan",
  summary: "Create a plan, optionally with its first price per currency",
  tags: TAGS,
  body: z.object({
    product: idField("prod"),
    code: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'must be letters, digits, ".", "_" or "-", starting with a letter or digit' })
      .meta({ description: "Unique, human-readable.", example: "pro-monthly" }),
    name: nameField.min(1),
    description: descriptionField.nullable().optional(),
    interval: z.enum(["day", "week", "month", "year"]),
    interval_count: z.number().int().min(1).max(1095).optional().meta({ description: "At most three years: 1095 days, 156 weeks, 36 months or 3 years." }),
    trial_period_days: z.number().int().min(0).max(730).optional(),
    features: planFeaturesField.optional(),
    active: z.boolean().optional(),
    metadata: metadataField.optional(),
    prices: z.array(priceTermsBody).max(20).optional().meta({ description: "Version 1 of the price in each currency (one per currency)." }),
  }),
  response: planResource,
});

export const listPlansOp = defineOperation({
  method: "GET",
  path: "/plans",
  operationId: "listPlans",
  summary: "List plans with their current price per currency",
  tags: TAGS,
  query: listQuery.extend({ active: z.enum(["true", "false"]).optional(), code: z.string().max(100).optional() }),
  response: listOf(planResource),
});

export const retrievePlanOp = defineOperation({
  method: "GET",
  path: "/plans/{id}",
  operationId: "retrievePlan",
  summary: "Retrieve a plan",
  tags: TAGS,
  params: planParams,
  response: planResource,
});

export const updatePlanOp = defineOperation({
  method: "PATCH",
  path: "/plans/{id}",
  operationId: "updatePlan",
  summary: "Update a plan (the interval cannot change: create a new plan)",
  tags: TAGS,
  params: planParams,
  body: z.object({
    name: nameField.min(1).optional(),
    description: descriptionField.nullable().optional(),
    active: z.boolean().optional(),
    trial_period_days: z.number().int().min(0).max(730).optional(),
    features: planFeaturesField.optional(),
    metadata: metadataField.optional(),
  }),
  response: planResource,
});

// Prices

export const createPriceOp = defineOperation({
  method: "POST",
  path: "/prices",
  operationId: "createPrice",
  summary: "Create a price: the next version for its plan and currency",
  description:
    "Prices are immutable. A price for a plan and currency that already have one becomes the next `version` and the plan's current price; the previous version is deactivated, and existing subscriptions keep the version they have until migrated.",
  tags: TAGS,
  body: z.object({ plan: idField("plan"), ...priceTermsShape }),
  response: priceResource,
});

export const listPricesOp = defineOperation({
  method: "GET",
  path: "/prices",
  operationId: "listPrices",
  summary: "List prices (every version), newest first",
  tags: TAGS,
  query: listQuery.extend({ plan: idField("plan").optional(), currency: currencyField.optional(), active: activeFilter }),
  response: listOf(priceResource),
});

export const retrievePriceOp = defineOperation({
  method: "GET",
  path: "/prices/{id}",
  operationId: "retrievePrice",
  summary: "Retrieve a price (any version, active or not)",
  tags: TAGS,
  params: z.object({ id: idField("price") }).strict(),
  response: priceResource,
});

export const catalogOperations = [
  createProductOp,
  listProductsOp,
  retrieveProductOp,
  updateProductOp,
  createPlanOp,
  listPlansOp,
  retrievePlanOp,
  updatePlanOp,
  createPriceOp,
  listPricesOp,
  retrievePriceOp,
];
