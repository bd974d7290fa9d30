import type { PriceTerms } from "../types";
import { exactTier } from "./exact";

/**
 * Graduated tiers, exactly: each unit is priced by the tier it falls in; each touched tier adds its
 * flat amount. priceAmount rounds the line once.
 */
export function graduatedExact(price: PriceTerms, quantity: number): bigint {
  let total = 0n;
  let lower = 0;
  (price.tiers ?? []).forEach((tier, k) => {
    if (quantity <= lower) return;
    const upper = tier.up_to ?? Number.MAX_SAFE_INTEGER;
    total += exactTier(tier, Math.min(quantity, upper) - lower, k);
    lower = upper;
  });
  return total;
}
