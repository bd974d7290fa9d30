import type { PriceTerms } from "../types";
import { exactTier, type TierPart } from "./exact";

/** Volume tiers: the one tier reached by the total quantity, pricing every unit (none for 0 units). */
export function volumeParts(price: PriceTerms, quantity: number): TierPart[] {
  const tiers = price.tiers ?? [];
  const k = tiers.findIndex((t) => t.up_to === null || quantity <= t.up_to);
  const at = k >= 0 ? k : tiers.length - 1;
  const tier = tiers[at];
  if (!tier || quantity === 0) return [];
  return [{ tier: at, units: quantity, exact: exactTier(tier, quantity, at) }];
}

/** Volume tiers, exactly: the tier reached by the total quantity prices every unit. priceAmount rounds the line once. */
export function volumeExact(price: PriceTerms, quantity: number): bigint {
  return volumeParts(price, quantity)[0]?.exact ?? 0n;
}
