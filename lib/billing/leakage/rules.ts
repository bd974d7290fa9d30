/**
 * Revenue leakage: money Tally should have billed or collected and did not, found by six rules
 * (docs/decisions/034-revenue-leakage.md). Each rule is one set statement (db/queries/leakage.ts)
 * returning items with an amount at risk in minor units; this module holds what the statements and
 * the console share and the parts that need no database: the rules' names and limits, a card's
 * expiry instant, a coupon's period limit, and the per-rule, per-currency totals of a run. Pure.
 */

export const LEAKAGE_RULES = [
  "period_not_invoiced",
  "past_due_no_retry",
  "expired_coupon_discounting",
  "gateway_success_unrecorded",
  "usage_not_billed",
  "card_expires_before_renewal",
] as const;
export type LeakageRule = (typeof LEAKAGE_RULES)[number];

export interface LeakageRuleDefinition {
  title: string;
  /** What the rule finds, for the console. */
  description: string;
  /** What the amount at risk is. */
  amount: string;
}

export const leakageRuleCatalog: Record<LeakageRule, LeakageRuleDefinition> = {
  period_not_invoiced: {
    title: "Periods not invoiced",
    description: "Active or past-due subscriptions whose current period has no invoice, or whose renewal is over an hour late.",
    amount: "the period's licensed price (unit amount × quantity per item)",
  },
  past_due_no_retry: {
    title: "Past due, nothing collecting",
    description: "Open invoices past their due date with no payment retry planned, no payment in flight and no dunning under way.",
    amount: "the amount remaining",
  },
  expired_coupon_discounting: {
    title: "Coupons discounting past their end",
    description: "Subscription invoices discounted by a coupon after its duration (once, or n periods) had run out.",
    amount: "the discount on each invoice past the coupon's end",
  },
  gateway_success_unrecorded: {
    title: "Gateway payments not recorded",
    description: "Charges the gateway reports as succeeded that reconciliation could not apply, and payments left pending past the reconciler's window.",
    amount: "the payment's amount",
  },
  usage_not_billed: {
    title: "Usage not billed",
    description: "Metered items with usage events in a closed period but no usage line for that period on any of the subscription's invoices.",
    amount: "the events priced at the item's unit amount (count and sum meters; 0 when it cannot be estimated)",
  },
  card_expires_before_renewal: {
    title: "Cards expiring before renewal",
    description: "Automatically charged subscriptions whose customer's default card expires before the next renewal.",
    amount: "the renewal's licensed price",
  },
};

/** A renewal, a retry or a reconciliation this much overdue is a finding; less is the jobs' normal lag. */
export const LEAKAGE_GRACE_MS = 60 * 60_000;
/** Closed periods older than this are not searched for unbilled usage (a bound on the scan). */
export const USAGE_LOOKBACK_DAYS = 90;
/** At most this many items per rule are kept in a run's snapshot; counts and amounts cover all of them. */
export const SNAPSHOT_ITEMS_PER_RULE = 200;

export interface LeakageItem {
  rule: LeakageRule;
  customerId: string;
  subscriptionId: string | null;
  invoiceId: string | null;
  paymentId: string | null;
  currency: string;
  /** Minor units of `currency`, ≥ 0. */
  amount: number;
  /** One sentence on why this item is listed. */
  detail: string;
}

export interface RuleTotals {
  rule: LeakageRule;
  count: number;
  /** Amount at risk per currency (minor units), currencies in alphabetical order. */
  amounts: { currency: string; amount: number }[];
}

/** Per rule (every rule, in catalog order, zero when nothing was found): how many items and how much at risk per currency. */
export function totalsByRule(items: readonly LeakageItem[]): RuleTotals[] {
  return LEAKAGE_RULES.map((rule) => {
    const mine = items.filter((i) => i.rule === rule);
    const byCurrency = new Map<string, number>();
    for (const item of mine) byCurrency.set(item.currency, (byCurrency.get(item.currency) ?? 0) + item.amount);
    const amounts = [...byCurrency].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([currency, amount]) => ({ currency, amount }));
    return { rule, count: mine.length, amounts };
  });
}

/**
 * The first instant a card no longer works: cards are valid through the last day of their expiry
 * month, so the first instant of the next month (UTC, as the networks do not say a zone).
 */
export function cardExpiresAt(expYear: number, expMonth: number): Date {
  return new Date(Date.UTC(expYear, expMonth, 1));
}

/** How many subscription invoices a coupon discounts: once 1, repeating n, forever without end (null). */
export function couponPeriodLimit(duration: "once" | "repeating" | "forever", durationInPeriods: number | null): number | null {
  if (duration === "once") return 1;
  if (duration === "repeating") return durationInPeriods ?? 1;
  return null;
}

/** The UTC day a run belongs to: one snapshot per day, a second run that day replaces it. */
export function snapshotDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
