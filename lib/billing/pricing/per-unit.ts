import { multiplyDecimal, sumMinor } from "@/lib/money";
import type { PriceTerms } from "../types";

/**
 * Flat and per-seat prices: unit amount × quantity (a flat plan is quantity 1). A sub-minor-unit
 * price is multiplied exactly and rounded once for the line.
 */
export function perUnitAmount(price: PriceTerms, quantity: number): number {
  if (price.unitAmountDecimal) return multiplyDecimal(quantity, price.unitAmountDecimal);
  return sumMinor([(price.unitAmount ?? 0) * quantity]);
}
