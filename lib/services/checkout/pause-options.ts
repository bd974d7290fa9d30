import { PAUSE_AUTO_CANCEL_DAYS } from "@/lib/billing/subscriptions/state";
import { periodBoundary } from "@/lib/time";

const DAY_MS = 86_400_000;
/** The portal offers pauses of 1 to 3 months. */
export const PAUSE_MONTHS = [1, 2, 3] as const;
export type PauseMonths = (typeof PAUSE_MONTHS)[number];

/**
 * When a pause of `months` started at `now` resumes: the same local day `months` later, kept a day
 * short of the automatic cancellation (a paused subscription is canceled after 90 days, and three
 * calendar months can be 92 days).
 */
export function pauseResumesAt(now: Date, months: number, timeZone: string): Date {
  const later = periodBoundary(now, { unit: "month", count: months }, 1, timeZone);
  const latest = new Date(now.getTime() + (PAUSE_AUTO_CANCEL_DAYS - 1) * DAY_MS);
  return later < latest ? later : latest;
}
