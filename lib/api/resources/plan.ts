import { z } from "zod";
import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import { iso, metadataOut, timestamp } from "./common";

export const priceResource = z
  .object({
    id: z.string(),
    object: z.literal("price"),
    plan: z.string(),
    currency: z.string(),
    version: z.number().int(),
    active: z.boolean(),
    tax_behavior: z.enum(["inclusive", "exclusive"]),
    billing_scheme: z.enum(["per_unit", "tiered"]),
    unit_amount: z.number().int().nullable(),
    unit_amount_decimal: z.string().nullable(),
    tiers_mode: z.enum(["graduated", "volume"]).nullable(),
    tiers: z.array(z.object({ up_to: z.number().int().nullable(), unit_amount: z.number().int().nullable(), unit_amount_decimal: z.string().nullable(), flat_amount: z.number().int().nullable() })).nullable(),
    package_size: z.number().int().nullable(),
    usage_type: z.enum(["licensed", "metered"]),
    meter: z.string().nullable().meta({ description: "A metered price's meter version (`mtr_…`); null for a licensed price." }),
    created: timestamp,
  })
  .meta({ id: "Price" });

export const planResource = z
  .object({
    id: z.string(),
    object: z.literal("plan"),
    product: z.string(),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    interval: z.enum(["day", "week", "month", "year"]),
    interval_count: z.number().int(),
    trial_period_days: z.number().int(),
    features: z
      .array(
        z.object({
          code: z.string(),
          meter: z.string().nullable().meta({ description: "The meter code of a metered feature; null for a boolean feature." }),
          limit: z.number().nullable().meta({ description: "The usage allowed per subscription period; null when unlimited or boolean." }),
          hard: z.boolean().meta({ description: "A hard limit refuses (entitlement `allowed: false`) once reached; a soft one only reports." }),
        }),
      )
      .meta({ description: "What the plan grants: boolean features and metered ones with a limit (GET /customers/{id}/entitlements answers them)." }),
    active: z.boolean(),
    prices: z.array(priceResource).meta({ description: "The current price per currency." }),
    metadata: metadataOut,
    created: timestamp,
  })
  .meta({ id: "Plan" });

export function toPrice(row: PriceRow): z.input<typeof priceResource> {
  return {
    id: row.id,
    object: "price",
    plan: row.planId,
    currency: row.currency,
    version: row.version,
    active: row.active,
    tax_behavior: row.taxBehavior,
    billing_scheme: row.billingScheme,
    unit_amount: row.unitAmount,
    unit_amount_decimal: row.unitAmountDecimal,
    tiers_mode: row.tiersMode,
    tiers: row.tiers?.map((t) => ({ up_to: t.up_to, unit_amount: t.unit_amount, unit_amount_decimal: t.unit_amount_decimal ?? null, flat_amount: t.flat_amount })) ?? null,
    package_size: row.packageSize,
    usage_type: row.usageType,
    meter: row.meterId,
    created: iso(row.createdAt),
  };
}

export function toPlan(plan: PlanRow, prices: PriceRow[]): z.input<typeof planResource> {
  return {
    id: plan.id,
    object: "plan",
    product: plan.productId,
    code: plan.code,
    name: plan.name,
    description: plan.description,
    interval: plan.interval,
    interval_count: plan.intervalCount,
    trial_period_days: plan.trialPeriodDays,
    features: plan.features.map((f) => ({ code: f.code, meter: f.meter ?? null, limit: f.limit ?? null, hard: f.hard })),
    active: plan.active,
    prices: prices.map(toPrice),
    metadata: plan.metadata,
    created: iso(plan.createdAt),
  };
}
