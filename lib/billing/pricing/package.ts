import { sumMinor } from "@/lib/money";
import type { PriceTerms } from "../types";

/** Package pricing: the unit amount buys `packageSize` units; partial packages round up. */
export function packageAmount(price: PriceTerms, quantity: number): number {
  const size = price.packageSize ?? 1;
  return sumMinor([Math.ceil(quantity / size) * (price.unitAmount ?? 0)]);
}
