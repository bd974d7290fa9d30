import type { IntervalUnit } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { MAX_INTERVAL_COUNT } from "@/lib/time";

export const MAX_TRIAL_PERIOD_DAYS = 730;

/** Stripe's limit: an interval of at most three years (1095 days, 156 weeks, 36 months, 3 years). */
export function assertIntervalCount(interval: IntervalUnit, count: number): void {
  const max = MAX_INTERVAL_COUNT[interval];
  if (!Number.isSafeInteger(count) || count < 1 || count > max) {
    throw new AppError("interval_invalid", {
      param: "interval_count",
      userMessage: `interval_count must be an integer from 1 to ${max} for interval "${interval}" (at most three years).`,
    });
  }
}

export function assertTrialPeriodDays(days: number): void {
  if (!Number.isSafeInteger(days) || days < 0 || days > MAX_TRIAL_PERIOD_DAYS) {
    throw new AppError("out_of_range", { param: "trial_period_days", userMessage: `trial_period_days must be an integer from 0 to ${MAX_TRIAL_PERIOD_DAYS}.` });
  }
}
