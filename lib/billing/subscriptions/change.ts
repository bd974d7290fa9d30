import { periodBoundary } from "@/lib/time";
import { prorationLines } from "../proration/proration-lines";
import { priceAmount } from "../pricing";
import type { LineInput, SubscriptionItemTerms } from "../types";
import { periodLines } from "./period-lines";
import { isMetered, usageLines } from "./usage-lines";
import { orderPendingLines, type SubscriptionState } from "./state";

export type ProrationBehavior = "create_prorations" | "always_invoice" | "none";

export interface ChangeRequest {
  items: SubscriptionItemTerms[];
  prorationBehavior: ProrationBehavior;
  effective: "now" | "period_end";
  at: Date;
}

export interface ChangePlan {
  state: SubscriptionState;
  /** Lines to invoice right now (always_invoice, or any interval change). */
  invoiceNow: LineInput[] | null;
  /** Lines added to the next invoice (create_prorations). */
  pendingLines: LineInput[];
  /** When an interval change restarts the billing cycle: the new period. */
  newPeriod: { start: Date; end: Date } | null;
}

const sameInterval = (a: SubscriptionItemTerms | undefined, b: SubscriptionItemTerms | undefined) =>
  a?.plan.interval.unit === b?.plan.interval.unit && a?.plan.interval.count === b?.plan.interval.count;

/** Per-day price of a set of items, compared across intervals without floats (cross-multiplied). */
function costPerPeriod(items: readonly SubscriptionItemTerms[]): number {
  // Metered items cost what is used, which a change does not know: only licensed items compare.
  return items.reduce((sum, item) => (isMetered(item) ? sum : sum + priceAmount(item.price, item.quantity)), 0);
}

const APPROX_DAYS = { day: 1, week: 7, month: 30, year: 365 } as const;

/** A downgrade: cheaper per unit of time, or a shorter interval (which the spec counts as one). */
export function isDowngrade(before: readonly SubscriptionItemTerms[], after: readonly SubscriptionItemTerms[]): boolean {
  const b = before[0]?.plan.interval;
  const a = after[0]?.plan.interval;
  if (!a || !b) return false;
  const bDays = APPROX_DAYS[b.unit] * b.count;
  const aDays = APPROX_DAYS[a.unit] * a.count;
  if (aDays < bDays) return true;
  return costPerPeriod(after) * bDays < costPerPeriod(before) * aDays;
}

/**
 * Plan a change of items (plan, quantity, interval).
 * - at period end: recorded as the pending change, applied by the renewal;
 * - now, same interval: proration lines for the rest of the period, invoiced now
 *   (always_invoice), added to the next invoice (create_prorations) or dropped (none);
 * - now, another interval: the cycle restarts today; unused time is credited (unless none) and
 *   the new interval is charged in full, invoiced now;
 * - during a trial nothing is charged: the items change and the trial continues.
 */
export function planChange(state: SubscriptionState, request: ChangeRequest): ChangePlan {
  const { items, at } = request;
  if (request.effective === "period_end") {
    return { state: { ...state, pendingChange: { items, effectiveAt: state.period.end } }, invoiceNow: null, pendingLines: [], newPeriod: null };
  }
  if (state.status === "trialing") return { state: { ...state, items, pendingChange: null }, invoiceNow: null, pendingLines: [], newPeriod: null };

  if (!sameInterval(state.items[0], items[0])) {
    const interval = items[0]?.plan.interval ?? { unit: "month" as const, count: 1 };
    const newPeriod = { start: at, end: periodBoundary(at, interval, 1, state.timeZone) };
    const credit = request.prorationBehavior === "none" ? [] : prorationLines(state.items, [], state.period, at, state.timeZone);
    return {
      state: { ...state, items: items.map((item) => ({ ...item, usageFrom: null, usage: null })), pendingChange: null, anchor: at, period: newPeriod, pendingLines: [] },
      // The cycle restarts: every metered item's usage so far is billed now, at its price.
      invoiceNow: [...credit, ...usageLines(state.items), ...periodLines(items, newPeriod), ...state.pendingLines],
      pendingLines: [],
      newPeriod,
    };
  }

  const usage = closedUsage(state.items, items, at);
  const changed: SubscriptionState = { ...state, items: usage.items, pendingChange: null };
  const lines = prorationLines(state.items, items, state.period, at, state.timeZone);
  switch (request.prorationBehavior) {
    case "none":
      // Usage is owed whatever the proration behaviour: it goes on the next invoice.
      return { state: { ...changed, pendingLines: orderPendingLines([...state.pendingLines, ...usage.lines]) }, invoiceNow: null, pendingLines: usage.lines, newPeriod: null };
    case "always_invoice":
      return { state: { ...changed, pendingLines: [] }, invoiceNow: [...state.pendingLines, ...lines, ...usage.lines], pendingLines: [], newPeriod: null };
    case "create_prorations": {
      const pending = [...lines, ...usage.lines];
      return { state: { ...changed, pendingLines: orderPendingLines([...state.pendingLines, ...pending]) }, invoiceNow: null, pendingLines: pending, newPeriod: null };
    }
  }
}

/**
 * A change of items now, inside the period (decision 030): a metered item the change keeps (same
 * price) keeps measuring from where it did, so its tiers carry on; a metered item it removes or
 * replaces has its usage so far billed at its own price (the lines, up to the change); a metered
 * item it brings in measures from the change, at its price, and is billed at the period's end.
 */
function closedUsage(before: readonly SubscriptionItemTerms[], after: readonly SubscriptionItemTerms[], at: Date): { items: SubscriptionItemTerms[]; lines: LineInput[] } {
  const keptPrice = (item: SubscriptionItemTerms) => isMetered(item) && after.some((a) => a.price.id === item.price.id);
  const lines = usageLines(before.filter((item) => !keptPrice(item)));
  const items = after.map((item): SubscriptionItemTerms => {
    if (!isMetered(item)) return item;
    const kept = before.find((b) => b.price.id === item.price.id);
    return kept ? { ...item, usageFrom: kept.usageFrom ?? null, usage: kept.usage ?? null } : { ...item, usageFrom: at, usage: null };
  });
  return { items, lines };
}

/** The credit for unused time when canceling now with `prorate` (negative lines). */
export function cancellationCredit(state: SubscriptionState, at: Date): LineInput[] {
  if (state.status === "trialing") return [];
  return prorationLines(state.items, [], state.period, at, state.timeZone);
}
