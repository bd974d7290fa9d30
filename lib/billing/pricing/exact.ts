import { EXACT_SCALE, parseExactMinor, roundExactMinor } from "@/lib/money";
import type { PriceTier } from "../types";

/**
 * Exact amounts for pricing (integers of 10⁻¹² minor units, lib/money EXACT_SCALE): a line's
 * units are priced exactly — sub-minor-unit prices ("0.15" of a cent per API call) included — and
 * the line is rounded once, at the end (priceAmount). Whole-unit prices are exact already, so a
 * line priced in whole minor units comes out as it always did.
 */

/** A per-unit price (a price's or a tier's): its decimal when it has one, else its whole minor units. */
export function exactUnit(unitAmount: number | null | undefined, unitAmountDecimal: string | null | undefined, param: string): bigint {
  if (unitAmountDecimal) return parseExactMinor(unitAmountDecimal, param);
  return BigInt(unitAmount ?? 0) * EXACT_SCALE;
}

/** What one tier of a tiered price charges for a quantity: its index, the units it prices, exactly what it adds. */
export interface TierPart {
  tier: number;
  units: number;
  exact: bigint;
}

/** units × a tier's unit price, plus its flat amount when the tier is reached at all. */
export function exactTier(tier: PriceTier, units: number, k: number): bigint {
  if (units <= 0) return 0n;
  return BigInt(units) * exactUnit(tier.unit_amount, tier.unit_amount_decimal, `tiers[${k}].unit_amount_decimal`) + BigInt(tier.flat_amount ?? 0) * EXACT_SCALE;
}

/** The one rounding of a priced line. */
export const roundLine = (exact: bigint): number => roundExactMinor(exact);
