import { AppError } from "@/lib/errors";
import type { PriceTerms } from "../types";
import { roundLine, type TierPart } from "./exact";
import { perUnitExact } from "./per-unit";
import { packageExact } from "./package";
import { graduatedExact, graduatedParts } from "./graduated";
import { volumeExact, volumeParts } from "./volume";

export type PricingModel = "per_unit" | "package" | "graduated" | "volume";

export function pricingModelOf(price: PriceTerms): PricingModel {
  if (price.billingScheme === "tiered") return price.tiersMode === "volume" ? "volume" : "graduated";
  return price.packageSize && price.packageSize > 1 ? "package" : "per_unit";
}

/**
 * The amount for `quantity` units of a price for one whole period, in minor units: the units priced
 * exactly (sub-minor-unit prices included), then rounded once for the line, half away from zero.
 * A registry with an exhaustive switch: one module per pricing model.
 */
export function priceAmount(price: PriceTerms, quantity: number): number {
  return roundLine(exactPriceAmount(price, quantity));
}

/** priceAmount before its one rounding (10⁻¹² minor units): what usage priced event by event adds up to. */
export function exactPriceAmount(price: PriceTerms, quantity: number): bigint {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new AppError("out_of_range", { param: "quantity", userMessage: "quantity must be a whole number of at least 0." });
  }
  const model = pricingModelOf(price);
  switch (model) {
    case "per_unit":
      return perUnitExact(price, quantity);
    case "package":
      return packageExact(price, quantity);
    case "graduated":
      return graduatedExact(price, quantity);
    case "volume":
      return volumeExact(price, quantity);
    default: {
      const unreachable: never = model;
      throw new Error(`unknown pricing model ${String(unreachable)}`);
    }
  }
}

export type { TierPart };

/**
 * How a tiered price splits a quantity over its tiers ("1,000 × $0.00 + 500 × $0.002"): the same
 * tier walk exactPriceAmount adds up, so the parts' exact amounts sum to it. Null for a price that
 * is not tiered.
 */
export function tierBreakdown(price: PriceTerms, quantity: number): TierPart[] | null {
  const model = pricingModelOf(price);
  if (model === "graduated") return graduatedParts(price, quantity);
  if (model === "volume") return volumeParts(price, quantity);
  return null;
}
