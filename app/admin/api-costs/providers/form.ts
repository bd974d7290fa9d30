import { z } from "zod";
import type { CostQuota } from "@/db/schema";
import type { CostRateInput } from "@/lib/services/api-costs/providers";

const code = (example: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter one, e.g. ${example}.`)
    .max(100, "Keep it under 100 characters.")
    .regex(/^[A-Za-z0-9_.:-]+$/, `Use letters, digits, “_”, “.”, “:” or “-”, e.g. ${example}.`);

/** Name, regions and quota, as the provider forms send them. */
export const providerForm = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(200, "Keep the name under 200 characters."),
  regions: z
    .string()
    .max(500, "Keep the regions under 500 characters.")
    .refine((v) => toRegions(v).every((r) => r.length <= 50), "Keep each region under 50 characters.")
    .optional(),
  quota_limit: z
    .string()
    .trim()
    .regex(/^(\d+(\.\d+)?)?$/, "Enter the quota as a number of units, e.g. 20000, or leave it empty.")
    .refine((v) => v === "" || (Number(v) > 0 && Number(v) <= 1e15), "Enter a quota above 0, or leave it empty.")
    .optional(),
  quota_period: z.enum(["day", "month"], { error: "Choose per day or per month." }).optional(),
});

/** One rate, appended to a provider's history. `effective_from` is a UTC date and time; empty is now. */
export const rateForm = z.object({
  operation: code("completion"),
  region: z.string().trim().max(50).optional(),
  unit: z.string().trim().min(1, "Enter the unit, e.g. token or lookup.").max(50, "Keep the unit under 50 characters."),
  unit_cost_decimal: z
    .string()
    .trim()
    .max(40, "Keep the cost under 40 characters.")
    .regex(/^\d+(\.\d+)?$/, "Enter minor units per unit as a decimal, e.g. 0.000015 (cents per token)."),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, "Enter a three-letter currency code, e.g. usd."),
  effective_from: z
    .string()
    .trim()
    .refine((v) => v === "" || !Number.isNaN(utcDateTime(v).getTime()), "Enter a date and time, e.g. 2026-12-01T00:00, or leave it empty for now.")
    .optional(),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
});

/** "AU, us  NZ" → ["AU", "US", "NZ"]: upper case, no repeats. */
export function toRegions(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? "")
        .split(/[\s,]+/)
        .map((r) => r.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
}

export function toQuota(input: z.infer<typeof providerForm>): CostQuota | null {
  return input.quota_limit ? { limit: Number(input.quota_limit), period: input.quota_period ?? "month" } : null;
}

/** A datetime-local value read as UTC ("2026-12-01T00:00" → 2026-12-01T00:00:00Z). */
export function utcDateTime(value: string): Date {
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}${value.length === 16 ? ":00" : ""}Z`);
}

export function toRate(input: z.infer<typeof rateForm>, now: Date): CostRateInput {
  return {
    operation: input.operation,
    region: input.region ? input.region.toUpperCase() : null,
    unit: input.unit,
    unitCostDecimal: input.unit_cost_decimal,
    currency: input.currency.toLowerCase(),
    effectiveFrom: input.effective_from ? utcDateTime(input.effective_from) : now,
    note: input.note || null,
  };
}

/** Pass-through rebilling: the meter costs feed, the markup in percent (two decimals at most), the currency. */
export const rebillForm = z.object({
  meter: z.string().trim().min(1, "Enter the code of a sum meter, e.g. api_cost_passthrough.").max(100, "Keep the meter code under 100 characters."),
  markup_percent: z
    .string()
    .trim()
    .regex(/^\d{1,4}(\.\d{1,2})?$/, "Enter the markup as a percent with at most two decimals, e.g. 20 or 12.5."),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, "Enter a three-letter currency code, e.g. aud."),
});

