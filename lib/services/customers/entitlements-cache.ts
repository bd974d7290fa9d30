import type { Executor } from "@/db/client";
import { findCustomer, type CustomerRow } from "@/db/queries/customers";
import { computeEntitlements, type ComputedEntitlements, type Entitlements } from "./entitlements";

/**
 * The entitlement check's in-process cache (docs/decisions/029-entitlements-cache.md): one entry
 * per customer, the computed answer, kept exact by invalidation — every write that changes a
 * customer's access calls entitlementsChanged (or usageRecorded), and time alone ends an entry at
 * the subscriptions' next due instant. A computation that overlapped an invalidation is answered
 * but never stored (the generation check), so an entry can only be older than a write that has not
 * yet told the cache about itself. The store lives on globalThis: Next bundles route handlers and
 * the server's boot separately, and both must see one cache.
 */
interface Entry {
  customer: Pick<CustomerRow, "id" | "livemode">;
  computed: ComputedEntitlements;
  /** Wall-clock ms after which the entry is recomputed: the answer's validUntil, capped by the backstop. */
  expiresAt: number;
  /** The answer as JSON, made on first use (the fast path sends it as is). */
  json?: string;
}

interface Store {
  entries: Map<string, Entry>;
  /** Per-customer invalidation counters, and one for everything. */
  generations: Map<string, number>;
  everything: number;
  /** Customers invalidated from inside a transaction: nothing stored for them before this wall-clock ms (the commit is not yet visible). */
  quietUntil: Map<string, number>;
  /**
   * Customers known to hold no limited metered feature and no subscription with a usage spend
   * threshold, until when (the entry's expiry): usage alone cannot change that, so a usage
   * invalidation keeps it (setting a spend threshold calls entitlementsChanged, which ends it).
   */
  limitless: Map<string, number>;
  hits: number;
  misses: number;
}

const globalRef = globalThis as unknown as { __tallyEntitlements?: Store };
function store(): Store {
  globalRef.__tallyEntitlements ??= { entries: new Map(), generations: new Map(), everything: 0, quietUntil: new Map(), limitless: new Map(), hits: 0, misses: 0 };
  return globalRef.__tallyEntitlements;
}

/** Not what exactness relies on: a bound on what a write path that forgot to invalidate could serve. */
export const ENTRY_BACKSTOP_MS = 60_000;
/** How long a customer invalidated inside a transaction is not cached: longer than any transaction may stay open. */
export const IN_TRANSACTION_QUIET_MS = 10_000;
const MAX_ENTRIES = 100_000;

/**
 * A write changed what customers are entitled to: subscriptions, dunning status, plan features,
 * a test clock's time. Call it after the write's transaction committed; from inside a transaction
 * pass `{ inTransaction: true }`, which also keeps the customers out of the cache for a few seconds
 * (a computation may still read the rows as they were until the commit).
 */
export function entitlementsChanged(customerIds: readonly string[] | string | "all", opts: { inTransaction?: boolean } = {}): void {
  const s = store();
  if (customerIds === "all") {
    s.everything++;
    s.entries.clear();
    s.limitless.clear();
    return;
  }
  const quietUntil = opts.inTransaction ? Date.now() + IN_TRANSACTION_QUIET_MS : 0;
  for (const id of typeof customerIds === "string" ? [customerIds] : customerIds) {
    forget(s, id);
    s.limitless.delete(id);
    if (quietUntil) s.quietUntil.set(id, quietUntil);
  }
}

/** Usage was recorded for the customer (after its commit): their answer goes; what they are granted has not changed. */
export function usageChanged(customerId: string): void {
  forget(store(), customerId);
}

/** Whether the customer is known to hold no limited metered feature and no spend threshold (so no usage can cross a threshold). */
export function holdsNoLimits(customerId: string, nowMs = Date.now()): boolean {
  return (store().limitless.get(customerId) ?? 0) > nowMs;
}

function forget(s: Store, id: string): void {
  s.generations.set(id, (s.generations.get(id) ?? 0) + 1);
  s.entries.delete(id);
}

/** The customer's entitlements from the cache, computed (one customer read, then computeEntitlements) and stored on a miss. Null: no such customer. */
export async function cachedEntitlements(db: Executor, customerId: string, nowMs = Date.now()): Promise<Entry | null> {
  const s = store();
  const hit = s.entries.get(customerId);
  if (hit && hit.expiresAt > nowMs) {
    s.hits++;
    return hit;
  }
  s.misses++;
  const generation = s.generations.get(customerId) ?? 0;
  const everything = s.everything;
  const customer = await findCustomer(db, customerId);
  if (!customer) return null;
  const computed = await computeEntitlements(db, customer);
  const quiet = s.quietUntil.get(customerId);
  if (quiet !== undefined && quiet <= Date.now()) s.quietUntil.delete(customerId);
  const unchanged = (s.generations.get(customerId) ?? 0) === generation && s.everything === everything && !(quiet !== undefined && quiet > Date.now());
  if (unchanged) {
    const expiresAt = Math.min(nowMs + ENTRY_BACKSTOP_MS, computed.validUntil?.getTime() ?? Infinity);
    if (s.entries.size >= MAX_ENTRIES) s.entries.delete(s.entries.keys().next().value as string);
    const entry: Entry = { customer: { id: customer.id, livemode: customer.livemode }, computed, expiresAt };
    s.entries.set(customerId, entry);
    if (computed.limited.length === 0 && computed.spendWatched.length === 0) s.limitless.set(customerId, expiresAt);
    else s.limitless.delete(customerId);
    if (s.limitless.size > MAX_ENTRIES) s.limitless.clear();
    return entry;
  }
  return { customer: { id: customer.id, livemode: customer.livemode }, computed, expiresAt: 0 };
}

/** The answer of GET /customers/{id}/entitlements for a key's mode; null when the customer does not exist in that mode. */
export async function entitlementsFor(db: Executor, customerId: string, livemode: boolean): Promise<(Entitlements & { object: "entitlements"; customer: string }) | null> {
  const found = await cachedEntitlements(db, customerId);
  if (!found || found.customer.livemode !== livemode) return null;
  return { object: "entitlements", customer: found.customer.id, ...found.computed.answer };
}

/** entitlementsFor as the JSON the endpoint sends, serialised once per cache entry. */
export async function entitlementsJson(db: Executor, customerId: string, livemode: boolean): Promise<string | null> {
  const found = await cachedEntitlements(db, customerId);
  if (!found || found.customer.livemode !== livemode) return null;
  found.json ??= JSON.stringify({ object: "entitlements", customer: found.customer.id, ...found.computed.answer });
  return found.json;
}

export function entitlementsCacheStats(): { entries: number; hits: number; misses: number } {
  const s = store();
  return { entries: s.entries.size, hits: s.hits, misses: s.misses };
}
