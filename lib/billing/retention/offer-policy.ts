import { canPause } from "@/lib/billing/subscriptions/state-machine";
import { addDays } from "@/lib/time";
import type { CancellationReason, OfferSnapshot, RetentionOfferKind, RetentionOfferTerms } from "@/lib/billing/retention/vocabulary";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";

/**
 * Which retention offer a subscriber sees: a pure function of the reason's configuration, the
 * subscription, the offers this subscription was shown before, the catalog and the time. No I/O
 * and no clock, so the same inputs always give the same offer (offer-policy.test.ts).
 * See docs/decisions/013-retention-offers.md.
 */

/** A discount is offered to one subscription at most once in this many calendar days (in the customer's zone), whatever came of it. */
export const DISCOUNT_COOLDOWN_DAYS = 365;
/** The longest pause an offer may allow; its resume day is pauseResumesAt's (lib/billing/subscriptions/pause.ts). */
export const MAX_PAUSE_MONTHS = 3;
export const MAX_DISCOUNT_MONTHS = 12;

/**
 * Used when staff have not configured a reason. Price objections get a discount, people not
 * using it get a break, product problems go to support (a discount does not fix a missing
 * feature), and "other" gets no offer because we do not know what would help.
 */
export const defaultOffers: Record<CancellationReason, RetentionOfferTerms> = {
  too_expensive: { kind: "discount", percent: 25, months: 3 },
  not_using: { kind: "pause", maxMonths: 3 },
  missing_feature: { kind: "contact_support", message: "Tell us what you need: many features start as a customer's request, and we may have a way to do it today.", url: null },
  switching: { kind: "discount", percent: 25, months: 3 },
  technical_issues: { kind: "contact_support", message: "Our support team can usually fix technical problems quickly. Let us try before you go.", url: null },
  other: { kind: "none" },
};

export const reasonLabels: Record<CancellationReason, string> = {
  too_expensive: "It's too expensive",
  not_using: "I'm not using it enough",
  missing_feature: "It's missing a feature I need",
  switching: "I'm switching to another product",
  technical_issues: "I had technical issues",
  other: "Other",
};

export const offerKindLabels: Record<RetentionOfferKind, string> = {
  discount: "Discount",
  pause: "Pause instead",
  cheaper_plan: "Cheaper plan",
  contact_support: "Talk to support",
  none: "No offer",
};

export type Withheld =
  | "disabled"
  | "discount_shown_recently"
  | "already_discounted"
  | "discount_needs_monthly_plan"
  | "pause_not_allowed"
  | "no_cheaper_plan";

export const withheldLabels: Record<Withheld, string> = {
  disabled: "offer disabled",
  discount_shown_recently: "a discount was offered in the last 12 months",
  already_discounted: "the subscription already has a discount",
  discount_needs_monthly_plan: "discounts are offered on monthly plans only",
  pause_not_allowed: "the subscription cannot be paused in its status",
  no_cheaper_plan: "no cheaper plan fits",
};

export interface SubscriptionFacts {
  status: SubscriptionStatus;
  hasDiscount: boolean;
  currency: string;
  /** The subscription's single item; plan changes are offered only for one-item subscriptions. */
  items: { planId: string; productId: string; priceId: string; unitAmount: number | null; quantity: number; interval: string; intervalCount: number }[];
}

export interface PastOffer {
  kind: RetentionOfferKind;
  at: Date;
}

/** A plan in the catalog with its current price in the subscription's currency. */
export interface CatalogPlan {
  planId: string;
  productId: string;
  name: string;
  interval: string;
  intervalCount: number;
  sortOrder: number;
  price: { id: string; unitAmount: number | null; billingScheme: string; usageType: string } | null;
}

export interface ChooseOfferInput {
  config: { offer: RetentionOfferTerms; enabled: boolean };
  subscription: SubscriptionFacts;
  history: readonly PastOffer[];
  catalog: readonly CatalogPlan[];
  now: Date;
  /** The customer's time zone: the cooldown counts its calendar days. */
  timeZone: string;
}

export type OfferDecision = { offer: OfferSnapshot; withheld: null } | { offer: null; withheld: Withheld | null };

export function chooseOffer({ config, subscription, history, catalog, now, timeZone }: ChooseOfferInput): OfferDecision {
  const terms = config.offer;
  if (terms.kind === "none") return { offer: null, withheld: null };
  if (!config.enabled) return { offer: null, withheld: "disabled" };
  switch (terms.kind) {
    case "discount": {
      const since = addDays(now, -DISCOUNT_COOLDOWN_DAYS, timeZone);
      if (history.some((h) => h.kind === "discount" && h.at > since)) return { offer: null, withheld: "discount_shown_recently" };
      if (subscription.hasDiscount) return { offer: null, withheld: "already_discounted" };
      const periods = discountPeriods(subscription, terms.months);
      if (periods === null) return { offer: null, withheld: "discount_needs_monthly_plan" };
      return { offer: { terms, periods }, withheld: null };
    }
    case "pause":
      if (!canPause(subscription.status)) return { offer: null, withheld: "pause_not_allowed" };
      return { offer: { terms }, withheld: null };
    case "cheaper_plan": {
      const plan = cheaperPlan(subscription, catalog, terms.planId);
      if (!plan) return { offer: null, withheld: "no_cheaper_plan" };
      return { offer: { terms, plan }, withheld: null };
    }
    case "contact_support":
      return { offer: { terms }, withheld: null };
  }
}

/** How many invoices "N months" covers: monthly plans only (a 3-month coupon on a yearly plan would discount a whole year). */
export function discountPeriods(subscription: Pick<SubscriptionFacts, "items">, months: number): number | null {
  const first = subscription.items[0];
  if (!first || first.interval !== "month") return null;
  if (subscription.items.some((i) => i.interval !== first.interval || i.intervalCount !== first.intervalCount)) return null;
  return Math.max(1, Math.ceil(months / first.intervalCount));
}

/**
 * The plan to offer: the configured one, or (planId null) the most expensive plan of the same
 * product that is still cheaper. Either way it must bill per unit on the same interval in the
 * subscription's currency and cost less than the current plan.
 */
export function cheaperPlan(subscription: SubscriptionFacts, catalog: readonly CatalogPlan[], planId: string | null): NonNullable<OfferSnapshot["plan"]> | null {
  if (subscription.items.length !== 1) return null;
  const current = subscription.items[0]!;
  if (current.unitAmount === null) return null;
  const currentAmount = current.unitAmount;
  const fits = (p: CatalogPlan): p is CatalogPlan & { price: { id: string; unitAmount: number } } =>
    p.planId !== current.planId &&
    p.interval === current.interval &&
    p.intervalCount === current.intervalCount &&
    p.price !== null &&
    p.price.billingScheme === "per_unit" &&
    p.price.usageType === "licensed" &&
    p.price.unitAmount !== null &&
    p.price.unitAmount < currentAmount;
  const candidates = catalog.filter(fits).filter((p) => (planId === null ? p.productId === current.productId : p.planId === planId));
  const best = [...candidates].sort((a, b) => b.price.unitAmount - a.price.unitAmount || a.sortOrder - b.sortOrder || a.planId.localeCompare(b.planId))[0];
  if (!best) return null;
  return { id: best.planId, name: best.name, priceId: best.price.id, unitAmount: best.price.unitAmount, currency: subscription.currency };
}


/** Why the cancel flow cannot start for a subscription, or null when it can. */
export type CancelBlocker = "ended" | "scheduled" | "paused" | "incomplete" | "unpaid";

export function cancelBlocker(subscription: { status: SubscriptionStatus; cancelAtPeriodEnd: boolean }): CancelBlocker | null {
  switch (subscription.status) {
    case "canceled":
    case "incomplete_expired":
      return "ended";
    case "paused":
      return "paused";
    case "incomplete":
      return "incomplete";
    case "unpaid":
      return "unpaid";
    case "active":
    case "trialing":
    case "past_due":
      return subscription.cancelAtPeriodEnd ? "scheduled" : null;
  }
}
