import type { TaxSettings } from "@/lib/tax/engine";
import { monthsPerPeriod } from "@/lib/analytics/mrr";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import type { CustomerRow } from "@/db/queries/customers";
import { nextDue } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import { priceAmount } from "@/lib/billing/pricing";
import type { PriceTerms, SubscriptionItemTerms } from "@/lib/billing/types";
import { divRoundHalfAwayFromZero } from "@/lib/money";
import type { Interval } from "@/lib/time";
import { nextInvoiceOf } from "../subscriptions/preview";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

/**
 * The pure half of a price-version migration: which subscriptions move, what their MRR does, and
 * what their next invoice becomes. The migration service and its preview both call these, so what
 * the confirmation dialog promises is what the run does (docs/decisions/016-price-version-migration.md).
 */

/** Only these move: a paused, incomplete or ending subscription has no plain renewal to move at. */
export const MIGRATABLE_STATUSES: readonly SubscriptionStatus[] = ["active", "trialing", "past_due"];

export interface ItemRef {
  priceId: string;
  quantity: number;
}

/** What the preview needs of a subscription: a row and its items, no engine state. */
export interface MigrationCandidate {
  id: string;
  customerId: string;
  customerName: string | null;
  status: SubscriptionStatus;
  cancelAtPeriodEnd: boolean;
  items: readonly ItemRef[];
  /** The scheduled change's items, when one is pending: the renewal bills these instead. */
  pendingItems: readonly ItemRef[] | null;
}

/** A version with what prices it: the engine's terms and its plan's interval. */
export interface MigrationPrice {
  terms: PriceTerms;
  interval: Interval;
}

/**
 * The items of `sub` that move: those on `fromPriceId` among the items its next renewal bills.
 * Nothing moves for a subscription that will not renew as it is (paused, ending, incomplete), or
 * whose scheduled change already leaves the version: so a second run finds nothing to move twice.
 */
export function movingItems(sub: Pick<MigrationCandidate, "status" | "cancelAtPeriodEnd" | "items" | "pendingItems">, fromPriceId: string): ItemRef[] {
  if (!MIGRATABLE_STATUSES.includes(sub.status) || sub.cancelAtPeriodEnd) return [];
  return (sub.pendingItems ?? sub.items).filter((item) => item.priceId === fromPriceId);
}

/** Monthly recurring revenue of `quantity` units of a price, unrounded (a fraction). */
function monthlyExact(price: MigrationPrice, quantity: number): { num: bigint; den: bigint } {
  const { num, den } = monthsPerPeriod(price.interval);
  return { num: BigInt(priceAmount(price.terms, quantity)) * num, den };
}

export interface MigrationTotals {
  currency: string;
  subscriptions: number;
  items: number;
  /** MRR of the moving items in minor units (list price, before discounts and tax), rounded once. */
  mrrBefore: number;
  mrrAfter: number;
  mrrDelta: number;
}

/**
 * Count and MRR of a migration from `from` to `to` over candidate subscriptions. Sums stay exact
 * fractions until the end and are rounded once per currency, half away from zero, so the order the
 * subscriptions come in (or the batches they are split into) never changes the answer.
 */
export function migrationTotals(candidates: readonly MigrationCandidate[], from: MigrationPrice, to: MigrationPrice): MigrationTotals {
  let subscriptions = 0;
  let items = 0;
  // Both versions belong to one plan, so each sum has one denominator.
  let before = 0n;
  let after = 0n;
  const den = { before: monthsPerPeriod(from.interval).den, after: monthsPerPeriod(to.interval).den };
  for (const sub of candidates) {
    const moving = movingItems(sub, from.terms.id);
    if (moving.length === 0) continue;
    subscriptions += 1;
    items += moving.length;
    for (const item of moving) {
      before += monthlyExact(from, item.quantity).num;
      after += monthlyExact(to, item.quantity).num;
    }
  }
  const mrrBefore = Number(divRoundHalfAwayFromZero(before, den.before));
  const mrrAfter = Number(divRoundHalfAwayFromZero(after, den.after));
  return { currency: from.terms.currency, subscriptions, items, mrrBefore, mrrAfter, mrrDelta: mrrAfter - mrrBefore };
}

/**
 * The engine state after the migration is scheduled: the items the next renewal bills, with the
 * moving ones on the new version, as the subscription's pending change (applied by that renewal).
 * A change the subscriber already scheduled keeps its date and its other items. Null: nothing moves.
 */
export function scheduleMigration(state: SubscriptionState, fromPriceId: string, to: SubscriptionItemTerms): { state: SubscriptionState; itemsMoved: number } | null {
  const next = state.pendingChange?.items ?? state.items;
  const moving = movingItems(
    {
      status: state.status,
      cancelAtPeriodEnd: state.cancelAtPeriodEnd,
      items: state.items.map((i) => ({ priceId: i.price.id, quantity: i.quantity })),
      pendingItems: state.pendingChange ? next.map((i) => ({ priceId: i.price.id, quantity: i.quantity })) : null,
    },
    fromPriceId,
  );
  const due = nextDue(state);
  if (moving.length === 0 || !due) return null;
  const items = next.map((item) => (item.price.id === fromPriceId ? { price: to.price, plan: to.plan, quantity: item.quantity } : item));
  const effectiveAt = state.pendingChange?.effectiveAt ?? due.at;
  return { state: { ...state, pendingChange: { items, effectiveAt } }, itemsMoved: moving.length };
}

export interface SampleInvoice {
  subscriptionId: string;
  customerId: string;
  customerName: string | null;
  /** When the next renewal bills. */
  date: Date | null;
  currency: string;
  /** The next invoice's total (after discounts, with tax) without and with the migration. */
  before: number | null;
  after: number | null;
}

/** The next invoice before and after, from the engine's own upcoming-invoice step: what the renewal will charge. */
export function sampleInvoice(customer: CustomerRow, state: SubscriptionState, subscriptionId: string, fromPriceId: string, to: SubscriptionItemTerms, tax?: TaxSettings): SampleInvoice {
  const migrated = scheduleMigration(state, fromPriceId, to);
  const before = nextInvoiceOf(customer, state, tax);
  const after = nextInvoiceOf(customer, migrated?.state ?? state, tax);
  return {
    subscriptionId,
    customerId: customer.id,
    customerName: customer.name ?? customer.email,
    date: after?.date ?? before?.date ?? null,
    currency: state.currency,
    before: before?.invoice.total ?? null,
    after: after?.invoice.total ?? null,
  };
}

export function intervalSuffix(interval: Interval): string {
  return interval.count === 1 ? `/${interval.unit}` : `/${interval.count} ${interval.unit}s`;
}

/** "A$29.00/month" for a flat per-unit price; "version 2" when a single amount would mislead (tiers, fractions). */
export function priceLabel(price: MigrationPrice & { version: number }): string {
  const { terms } = price;
  const flat = terms.billingScheme === "per_unit" && terms.unitAmount !== null && (terms.packageSize ?? 1) <= 1 && !terms.unitAmountDecimal?.includes(".");
  return flat ? `${fmt.money(terms.unitAmount ?? 0, terms.currency)}${intervalSuffix(price.interval)}` : `version ${price.version}`;
}

function signed(amount: number, currency: string): string {
  return `${amount < 0 ? "−" : "+"}${fmt.money(Math.abs(amount), currency)}`;
}

/** The confirmation's one sentence: "42 subscriptions move from A$29.00 to A$35.00/month at their next renewal: MRR +A$252.00". */
export function describeMigration(totals: MigrationTotals, from: MigrationPrice & { version: number }, to: MigrationPrice & { version: number }): string {
  const n = totals.subscriptions;
  const who = `${n} subscription${n === 1 ? "" : "s"} move${n === 1 ? "s" : ""}`;
  const fromLabel = priceLabel(from);
  const toLabel = priceLabel(to);
  // "from A$29.00 to A$35.00/month": the interval once, when both are flat amounts on it.
  const suffix = intervalSuffix(to.interval);
  const fromText = fromLabel.endsWith(suffix) && toLabel.endsWith(suffix) ? fromLabel.slice(0, -suffix.length) : fromLabel;
  return `${who} from ${fromText} to ${toLabel} at their next renewal: MRR ${signed(totals.mrrDelta, totals.currency)}`;
}
