import { AppError } from "@/lib/errors";

/**
 * Percent off as stored: basis points (25.5 % → 2550), so the engine discounts with integer
 * arithmetic. Accepts 0 < percent ≤ 100 with at most two decimal places.
 */
export function percentOffToBps(percent: number, param = "percent_off"): number {
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100) {
    throw new AppError("out_of_range", { param, userMessage: `${param} must be greater than 0 and at most 100.` });
  }
  const bps = Math.round(percent * 100);
  // 25.55 * 100 is 2554.9999999999995: a float a hair off a whole number of basis points is fine, 25.555 is not.
  if (Math.abs(bps - percent * 100) > 1e-6) {
    throw new AppError("validation_failed", { param, userMessage: `${param} must have at most two decimal places, e.g. 25.5.` });
  }
  return bps;
}

/** 2550 → 25.5: division by 100 yields the shortest decimal, so it serializes as written. */
export function bpsToPercent(bps: number): number {
  return bps / 100;
}
