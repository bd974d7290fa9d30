import type { CouponDuration } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { assertMinorUnits, normalizeCurrency } from "@/lib/money";
import { bpsToPercent, percentOffToBps } from "./percent-off";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

export const MAX_DURATION_IN_PERIODS = 120;
/** The redemption counters are 32-bit integer columns. */
export const MAX_REDEMPTIONS_LIMIT = 2_147_483_647;

export interface CouponTermsInput {
  name?: string | null;
  percentOff?: number | null;
  amountOff?: number | null;
  currency?: string | null;
  duration: CouponDuration;
  durationInPeriods?: number | null;
  maxRedemptions?: number | null;
  redeemBy?: Date | null;
}

export interface CouponTerms {
  name: string;
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: CouponDuration;
  durationInPeriods: number | null;
  maxRedemptions: number | null;
  redeemBy: Date | null;
}

/**
 * A coupon takes percent_off, or amount_off with its currency: exactly one. duration_in_periods goes
 * with `repeating` and only with it; redeem_by must still be ahead of `now`.
 */
export function normalizeCouponTerms(input: CouponTermsInput, now: Date): CouponTerms {
  const hasPercent = input.percentOff != null;
  const hasAmount = input.amountOff != null;
  if (hasPercent && hasAmount) refuse("percent_off", "Pass percent_off or amount_off, not both.");
  if (!hasPercent && !hasAmount) refuse("percent_off", "A coupon needs percent_off, or amount_off with a currency.");

  let percentOffBps: number | null = null;
  let amountOff: number | null = null;
  let currency: string | null = null;
  if (input.percentOff != null) {
    if (input.currency != null) refuse("currency", "currency goes with amount_off; a percent_off coupon applies in every currency.");
    percentOffBps = percentOffToBps(input.percentOff);
  } else if (input.amountOff != null) {
    if (input.currency == null) refuse("currency", "currency is required with amount_off.");
    currency = normalizeCurrency(input.currency);
    amountOff = assertMinorUnits(input.amountOff, currency, "amount_off");
    if (amountOff <= 0) throw new AppError("out_of_range", { param: "amount_off", userMessage: "amount_off must be greater than 0." });
  }

  const durationInPeriods = input.durationInPeriods ?? null;
  if (input.duration === "repeating") {
    if (durationInPeriods === null) refuse("duration_in_periods", 'duration_in_periods is required when duration is "repeating".');
    if (!Number.isSafeInteger(durationInPeriods) || durationInPeriods < 1 || durationInPeriods > MAX_DURATION_IN_PERIODS) {
      throw new AppError("out_of_range", {
        param: "duration_in_periods",
        userMessage: `duration_in_periods must be an integer from 1 to ${MAX_DURATION_IN_PERIODS}.`,
      });
    }
  } else if (durationInPeriods !== null) {
    refuse("duration_in_periods", 'duration_in_periods applies only when duration is "repeating".');
  }

  const maxRedemptions = input.maxRedemptions ?? null;
  if (maxRedemptions !== null && (!Number.isSafeInteger(maxRedemptions) || maxRedemptions < 1 || maxRedemptions > MAX_REDEMPTIONS_LIMIT)) {
    throw new AppError("out_of_range", { param: "max_redemptions", userMessage: "max_redemptions must be an integer of at least 1." });
  }
  const redeemBy = input.redeemBy ?? null;
  if (redeemBy !== null) assertFuture(redeemBy, now, "redeem_by");

  const name = input.name ?? (percentOffBps !== null ? `${bpsToPercent(percentOffBps)}% off` : `${fmt.money(amountOff ?? 0, currency ?? "usd")} off`);
  return { name, percentOffBps, amountOff, currency, duration: input.duration, durationInPeriods, maxRedemptions, redeemBy };
}

export function assertFuture(at: Date, now: Date, param: string): void {
  if (Number.isNaN(at.getTime())) throw new AppError("date_invalid", { param, userMessage: `${param} is not a valid date.` });
  if (at.getTime() <= now.getTime()) refuse(param, `${param} must be in the future (it is ${at.toISOString()}; now is ${now.toISOString()}).`);
}

function refuse(param: string, userMessage: string): never {
  throw new AppError("validation_failed", { param, userMessage });
}
