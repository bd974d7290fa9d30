import { yearMonthIn } from "@/lib/format";

/**
 * How a saved card is described to its owner: "Visa ending 4242", its expiry, and whether it has
 * expired or expires soon. A card is good through the last day of its expiry month, on the
 * customer's own calendar.
 */
export type ExpiryStatus = "ok" | "expiring_soon" | "expired";

const BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
  cartes_bancaires: "Cartes Bancaires",
  eftpos_au: "eftpos",
};

export function brandName(brand: string): string {
  return BRANDS[brand.toLowerCase()] ?? (brand ? brand.charAt(0).toUpperCase() + brand.slice(1) : "Card");
}

export function cardLabel(card: { brand: string; last4: string }): string {
  return `${brandName(card.brand)} ending ${card.last4}`;
}

export function expiryLabel(card: { expMonth: number; expYear: number }): string {
  return `${String(card.expMonth).padStart(2, "0")}/${card.expYear}`;
}

/** Months from the customer's current month to the card's expiry month (0 = expires this month). */
export function monthsUntilExpiry(card: { expMonth: number; expYear: number }, now: Date, timeZone: string): number {
  const { year, month } = yearMonthIn(now, timeZone);
  return card.expYear * 12 + (card.expMonth - 1) - (year * 12 + (month - 1));
}

/** Expired after its month ends; "expiring soon" during its last two months (this month or next). */
export function expiryStatus(card: { expMonth: number; expYear: number }, now: Date, timeZone: string): ExpiryStatus {
  const months = monthsUntilExpiry(card, now, timeZone);
  if (months < 0) return "expired";
  if (months <= 1) return "expiring_soon";
  return "ok";
}
