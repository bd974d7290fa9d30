import type { PriceTerms } from "../types";
import { exactTier, type TierPart } from "./exact";

/**
 * The graduated tier walk: the units each touched tier prices (each unit by the tier it falls in)
 * and what that tier adds, exactly, including its flat amount. Tiers the quantity does not reach
 * are left out.
 */
export function graduatedParts(price: PriceTerms, quantity: number): TierPart[] {
  const parts: TierPart[] = [];
  let lower = 0;
  (price.tiers ?? []).forEach((tier, k) => {
    if (quantity <= lower) return;
    const upper = tier.up_to ?? Number.MAX_SAFE_INTEGER;
    const units = Math.min(quantity, upper) - lower;
    parts.push({ tier: k, units, exact: exactTier(tier, units, k) });
    lower = upper;
  });
  return parts;
}

/** Graduated tiers, exactly: the sum of the walk's parts. priceAmount rounds the line once. */
export function graduatedExact(price: PriceTerms, quantity: number): bigint {
  return graduatedParts(price, quantity).reduce((total, part) => total + part.exact, 0n);
}
