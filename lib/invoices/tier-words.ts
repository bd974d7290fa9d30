import { exactUnit } from "@/lib/billing/pricing/exact";
import { tierBreakdown } from "@/lib/billing/pricing";
import type { PriceTerms } from "@/lib/billing/types";
import type { Formatter } from "@/lib/format";

/**
 * How a tiered price charged a quantity, for people: "1,000 × $0.00 + 500 × $0.002" (a tier's flat
 * amount reads "+ $1.00 flat"). Null for a price that is not tiered or nothing used.
 */
export function tierBreakdownWords(price: PriceTerms, quantity: number, fmt: Formatter): string | null {
  const parts = tierBreakdown(price, quantity);
  if (!parts || parts.length === 0) return null;
  return parts
    .map(({ tier: k, units }) => {
      const tier = price.tiers?.[k];
      const unit = exactUnit(tier?.unit_amount, tier?.unit_amount_decimal, `tiers[${k}].unit_amount_decimal`);
      const flat = tier?.flat_amount ? ` + ${fmt.money(tier.flat_amount, price.currency)} flat` : "";
      return `${fmt.count(units)} × ${fmt.unitAmount(unit, price.currency)}${flat}`;
    })
    .join(" + ");
}
