import { randomFillSync } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Random bytes are drawn from the CSPRNG a few KiB at a time and handed out once each: one system
// call per ~100 ids instead of one per id (the billing run makes several ids per renewal).
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomByte(): number {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

/** Random base62 string; 62^n with rejection sampling so every character is uniform. */
export function randomToken(length: number): string {
  let out = "";
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += ALPHABET[byte % 62];
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
  webhookDelivery: "whd",
  webhookAttempt: "wha",
  usageEvent: "ue",
  meter: "mtr",
  user: "usr",
  apiKey: "key",
  email: "em",
  receipt: "rcpt",
  receiptSend: "rsend",
  balanceTransaction: "cbtxn",
  invoiceItem: "ii",
  reconciliationItem: "rec",
  blockListEntry: "bl",
  portalSession: "bps",
  customerNote: "note",
  costProvider: "cprov",
  costRate: "crate",
  apiCost: "acost",
  apiCostBudget: "bud",
  taxRate: "txr",
  taxRegistration: "txreg",
} as const;

export type IdKind = keyof typeof idPrefixes;

// Ids begin with the time they were made (milliseconds, then a counter within the millisecond), in
// lowercase base36 so they sort the same under any collation: rows created at the same recorded
// instant (a frozen test clock, one transaction) list in the order they were written when sorted by
// (created_at, id). The random tail keeps them unguessable.
const SEQUENCE_SPACE = 36 ** 3;
let lastMs = 0;
let sequence = 0;

function sortablePrefix(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence >= SEQUENCE_SPACE) {
    lastMs++;
    sequence = 0;
  }
  return lastMs.toString(36).padStart(9, "0") + sequence.toString(36).padStart(3, "0");
}

/** Stripe-style prefixed ids: `cus_mhx2k3p1a000Xy7…`, ordered by creation within a process. */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${sortablePrefix()}${randomToken(12)}`;
}

/** Where a plan's ids and hosted tokens come from (the real generators; tests inject deterministic ones). */
export interface IdSource {
  newId: (kind: IdKind) => string;
  token: () => string;
}

export const realIds: IdSource = { newId, token: () => randomToken(32) };
