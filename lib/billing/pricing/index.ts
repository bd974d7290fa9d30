import { AppError } from "@/lib/errors";
import type { PriceTerms } from "../types";
import { perUnitAmount } from "./per-unit";
import { packageAmount } from "./package";
import { graduatedAmount } from "./graduated";
import { volumeAmount } from "./volume";

export type PricingModel = "per_unit" | "package" | "graduated" | "volume";

export function pricingModelOf(price: PriceTerms): PricingModel {
  if (price.billingScheme === "tiered") return price.tiersMode === "volume" ? "volume" : "graduated";
  return price.packageSize && price.packageSize > 1 ? "package" : "per_unit";
}

/**
 * The amount for `quantity` units of a price for one whole period, in minor units.
 * A registry with an exhaustive switch: one module per pricing model.
 */
export function priceAmount(price: PriceTerms, quantity: number): number {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new AppError("out_of_range", { param: "quantity", userMessage: "quantity must be a whole number of at least 0." });
  }
  const model = pricingModelOf(price);
  switch (model) {
    case "per_unit":
      return perUnitAmount(price, quantity);
    case "package":
      return packageAmount(price, quantity);
    case "graduated":
      return graduatedAmount(price, quantity);
    case "volume":
      return volumeAmount(price, quantity);
    default: {
      const unreachable: never = model;
      throw new Error(`unknown pricing model ${String(unreachable)}`);
    }
  }
}
