import type { SubscriptionStatus } from "./statuses";
import type { LineInput, SubscriptionDiscount, SubscriptionItemTerms } from "../types";

/** Everything the engine needs to know about a subscription to decide what happens next. */
export interface SubscriptionState {
  status: SubscriptionStatus;
  currency: string;
  timeZone: string;
  anchor: Date;
  period: { start: Date; end: Date };
  trialEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  pausedAt: Date | null;
  pauseResumesAt: Date | null;
  items: SubscriptionItemTerms[];
  pendingChange: { items: SubscriptionItemTerms[]; effectiveAt: Date } | null;
  discount: SubscriptionDiscount | null;
  collectionMethod: "charge_automatically" | "send_invoice";
  hasPaymentMethod: boolean;
  /** Charges waiting for the next invoice (create_prorations, one-offs). */
  pendingLines: LineInput[];
}

/** Paused subscriptions are canceled after this long without a resume. */
export const PAUSE_AUTO_CANCEL_DAYS = 90;
/** An `incomplete` subscription whose first invoice stays unpaid this long expires (Stripe: 23 h). */
export const INCOMPLETE_EXPIRY_HOURS = 23;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The one order of pending lines wherever they are listed — the state a change plans, the state
 * loaded from the database, the invoice that finally bills them — so a preview lists them exactly
 * as the invoice will: by the instant they start (a proration's change time), credits before
 * charges, then by description and price.
 */
export function orderPendingLines(lines: readonly LineInput[]): LineInput[] {
  return [...lines].sort(
    (a, b) =>
      (a.periodStart?.getTime() ?? 0) - (b.periodStart?.getTime() ?? 0) ||
      a.amount - b.amount ||
      compareText(a.description, b.description) ||
      compareText(a.priceId ?? "", b.priceId ?? ""),
  );
}

/** Does the coupon still discount the next invoice? */
export function discountApplies(discount: SubscriptionDiscount | null): boolean {
  if (!discount) return false;
  switch (discount.duration) {
    case "forever":
      return true;
    case "once":
      return discount.periodsApplied < 1;
    case "repeating":
      return discount.periodsApplied < (discount.durationInPeriods ?? 0);
  }
}
