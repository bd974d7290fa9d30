import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random base62 string; 62^n with rejection sampling so every character is uniform. */
export function randomToken(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export const idPrefixes = {
  customer: "cus",
  product: "prod",
  plan: "plan",
  price: "price",
  subscription: "sub",
  subscriptionItem: "si",
  invoice: "in",
  invoiceLine: "il",
  creditNote: "cn",
  creditNoteLine: "cnl",
  paymentMethod: "pm",
  payment: "py",
  refund: "re",
  dispute: "dp",
  coupon: "cpn",
  promotionCode: "promo",
  testClock: "clock",
  event: "evt",
  webhookEndpoint: "we",
  usageEvent: "ue",
  user: "usr",
  apiKey: "key",
  email: "em",
  balanceTransaction: "cbtxn",
  invoiceItem: "ii",
  reconciliationItem: "rec",
  blockListEntry: "bl",
} as const;

export type IdKind = keyof typeof idPrefixes;

/** Stripe-style prefixed ids: `cus_3kTz…`. */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${randomToken(20)}`;
}
