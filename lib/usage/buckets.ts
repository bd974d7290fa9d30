import { AppError } from "@/lib/errors";

export type UsageInterval = "day" | "month";

/** At most this many buckets per answer (a little over three years of days). */
export const MAX_USAGE_BUCKETS = 1200;

/** The start of each UTC day or month bucket in [from, to); the first starts at `from` itself. */
export function bucketStarts(from: Date, to: Date, interval: UsageInterval): Date[] {
  if (!(from < to)) throw new AppError("out_of_range", { param: "to", userMessage: "to must be after from." });
  const starts: Date[] = [from];
  let next = nextBoundary(from, interval);
  while (next < to) {
    if (starts.length >= MAX_USAGE_BUCKETS) {
      throw new AppError("out_of_range", { param: "to", userMessage: `from … to spans more than ${MAX_USAGE_BUCKETS} ${interval}s; ask for a shorter range or interval=month.` });
    }
    starts.push(next);
    next = nextBoundary(next, interval);
  }
  return starts;
}

function nextBoundary(at: Date, interval: UsageInterval): Date {
  return interval === "day"
    ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1))
    : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}
