import { addDays, periodBoundary } from "@/lib/time";
import { PAUSE_AUTO_CANCEL_DAYS } from "./state";

/** The portal offers pauses of 1 to 3 months (a retention offer may allow fewer). */
export const PAUSE_MONTHS = [1, 2, 3] as const;
export type PauseMonths = (typeof PAUSE_MONTHS)[number];

/** When a subscription paused at `pausedAt` is canceled if it has not resumed: 90 calendar days later in the customer's zone. */
export function pauseAutoCancelAt(pausedAt: Date, timeZone: string): Date {
  return addDays(pausedAt, PAUSE_AUTO_CANCEL_DAYS, timeZone);
}

/**
 * When a pause of `months` started at `now` resumes — the one rule for the portal's pause and the
 * retention offer's: the same local day `months` later, kept a calendar day short of the
 * automatic cancellation (a paused subscription is canceled after 90 days, and three calendar
 * months can be 92 days).
 */
export function pauseResumesAt(now: Date, months: number, timeZone: string): Date {
  const later = periodBoundary(now, { unit: "month", count: months }, 1, timeZone);
  const latest = addDays(now, PAUSE_AUTO_CANCEL_DAYS - 1, timeZone);
  return later < latest ? later : latest;
}
