import { EXACT_SCALE } from "@/lib/money";
import type { PriceTerms } from "../types";

/** Package pricing: the unit amount buys `packageSize` units; partial packages round up. */
export function packageExact(price: PriceTerms, quantity: number): bigint {
  const size = price.packageSize ?? 1;
  return BigInt(Math.ceil(quantity / size)) * BigInt(price.unitAmount ?? 0) * EXACT_SCALE;
}
