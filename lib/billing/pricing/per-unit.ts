import type { PriceTerms } from "../types";
import { exactUnit } from "./exact";

/**
 * Flat and per-seat prices, exactly: unit amount × quantity (a flat plan is quantity 1); a
 * sub-minor-unit price ("0.15" minor units per API call) is multiplied exactly. priceAmount rounds
 * the line once.
 */
export function perUnitExact(price: PriceTerms, quantity: number): bigint {
  return BigInt(quantity) * exactUnit(price.unitAmount, price.unitAmountDecimal, "unit_amount_decimal");
}
