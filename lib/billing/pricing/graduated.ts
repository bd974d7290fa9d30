import { sumMinor } from "@/lib/money";
import type { PriceTerms } from "../types";

/** Graduated tiers: each unit is priced by the tier it falls in; each touched tier adds its flat amount. */
export function graduatedAmount(price: PriceTerms, quantity: number): number {
  const parts: number[] = [];
  let lower = 0;
  for (const tier of price.tiers ?? []) {
    if (quantity <= lower) break;
    const upper = tier.up_to ?? Number.MAX_SAFE_INTEGER;
    const units = Math.min(quantity, upper) - lower;
    parts.push(units * (tier.unit_amount ?? 0), tier.flat_amount ?? 0);
    lower = upper;
  }
  return sumMinor(parts);
}
