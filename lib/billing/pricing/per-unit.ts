import { sumMinor } from "@/lib/money";
import type { PriceTerms } from "../types";

/** Flat and per-seat prices: unit amount × quantity (a flat plan is quantity 1). */
export function perUnitAmount(price: PriceTerms, quantity: number): number {
  return sumMinor([(price.unitAmount ?? 0) * quantity]);
}
