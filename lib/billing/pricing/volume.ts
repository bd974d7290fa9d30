import { sumMinor } from "@/lib/money";
import type { PriceTerms } from "../types";

/** Volume tiers: the tier reached by the total quantity prices every unit. */
export function volumeAmount(price: PriceTerms, quantity: number): number {
  const tiers = price.tiers ?? [];
  const tier = tiers.find((t) => t.up_to === null || quantity <= t.up_to) ?? tiers[tiers.length - 1];
  if (!tier || quantity === 0) return 0;
  return sumMinor([quantity * (tier.unit_amount ?? 0), tier.flat_amount ?? 0]);
}
