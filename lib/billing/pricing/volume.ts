import type { PriceTerms } from "../types";
import { exactTier } from "./exact";

/** Volume tiers, exactly: the tier reached by the total quantity prices every unit. priceAmount rounds the line once. */
export function volumeExact(price: PriceTerms, quantity: number): bigint {
  const tiers = price.tiers ?? [];
  const k = tiers.findIndex((t) => t.up_to === null || quantity <= t.up_to);
  const at = k >= 0 ? k : tiers.length - 1;
  const tier = tiers[at];
  if (!tier || quantity === 0) return 0n;
  return exactTier(tier, quantity, at);
}
