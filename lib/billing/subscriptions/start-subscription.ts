import { periodBoundary, type Interval } from "@/lib/time";
import type { SubscriptionStatus } from "./statuses";
import { AppError } from "@/lib/errors";

export interface StartSubscriptionInput {
  interval: Interval;
  timeZone: string;
  asOf: Date;
  trialDays: number;
  /**
   * A future billing anchor within one interval: the first period runs from now to the anchor and
   * is prorated; later periods follow the anchor.
   */
  billingCycleAnchor?: Date | null;
}

export interface StartedSubscription {
  status: Extract<SubscriptionStatus, "incomplete" | "trialing">;
  billingCycleAnchor: Date;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  trialStart: Date | null;
  trialEnd: Date | null;
}

/**
 * The first period of a new subscription. With a trial the first period is the trial and the
 * anchor moves to its end; otherwise it starts `incomplete` until its first invoice is paid.
 */
export function startSubscription(input: StartSubscriptionInput): StartedSubscription {
  const { asOf, interval, timeZone, trialDays } = input;
  if (trialDays > 0) {
    const trialEnd = periodBoundary(asOf, { unit: "day", count: trialDays }, 1, timeZone);
    return {
      status: "trialing",
      billingCycleAnchor: trialEnd,
      currentPeriodStart: asOf,
      currentPeriodEnd: trialEnd,
      trialStart: asOf,
      trialEnd,
    };
  }
  if (input.billingCycleAnchor && input.billingCycleAnchor > asOf) {
    const anchor = input.billingCycleAnchor;
    if (anchor > periodBoundary(asOf, interval, 1, timeZone)) {
      throw new AppError("validation_failed", { param: "billing_cycle_anchor", userMessage: "billing_cycle_anchor must be within one billing interval from now." });
    }
    return { status: "incomplete", billingCycleAnchor: anchor, currentPeriodStart: asOf, currentPeriodEnd: anchor, trialStart: null, trialEnd: null };
  }
  return {
    status: "incomplete",
    billingCycleAnchor: asOf,
    currentPeriodStart: asOf,
    currentPeriodEnd: periodBoundary(asOf, interval, 1, timeZone),
    trialStart: null,
    trialEnd: null,
  };
}
