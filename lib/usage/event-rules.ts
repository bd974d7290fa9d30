import type { ErrorCode } from "@/lib/errors";
import { propertyReadBy } from "./meter-terms";
import type { MeterAggregation, UsageProperties } from "./vocabulary";

/** An event may be stamped this far ahead of the receiver's clock (clock skew), no further. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
export const DEFAULT_LATE_WINDOW_DAYS = 7;
/** Events per batch request. */
export const MAX_USAGE_BATCH = 1000;
const DAY_MS = 86_400_000;

/**
 * A usage value: a non-negative decimal. JSON numbers are taken as they are (jsonb keeps them
 * exactly); strings must be plain decimals. The SQL aggregates read values with the same pattern,
 * so a value that passes here is one they count.
 */
export const USAGE_VALUE_PATTERN = "^[0-9]+(\\.[0-9]+)?$";
const VALUE = new RegExp(USAGE_VALUE_PATTERN);

export interface EventProblem {
  code: ErrorCode;
  param: string;
  detail: string;
}

/** The property the current meter version reads must be there, and a value must be a number. */
export function eventValueProblem(meter: { aggregation: MeterAggregation; valueProperty: string | null; uniqueProperty: string | null }, properties: UsageProperties): EventProblem | null {
  const reads = propertyReadBy(meter.aggregation);
  if (reads === null) return null;
  const property = (reads === "value_property" ? meter.valueProperty : meter.uniqueProperty) ?? "";
  const param = `properties.${property}`;
  const value = properties[property];
  if (value === undefined) {
    return { code: "usage_value_missing", param, detail: `${param} is required: the meter aggregates ${meter.aggregation} over it.` };
  }
  if (reads === "value_property" && !isUsageValue(value)) {
    return { code: "usage_value_invalid", param, detail: `${param} must be a non-negative number, e.g. 12 or "0.5".` };
  }
  return null;
}

function isUsageValue(value: string | number): boolean {
  return typeof value === "number" ? Number.isFinite(value) && value >= 0 : VALUE.test(value);
}

export type EventTiming = "on_time" | "late" | { refused: EventProblem };

/**
 * When an event may be accepted, by its timestamp against the customer's clock (`now`):
 * - more than FUTURE_TOLERANCE_MS ahead → usage_event_in_future;
 * - inside the customer's open period (from `openPeriodStart`, the earliest current period start
 *   of their subscriptions) → on time, billed with the period;
 * - before it, within the late window (`lateWindowDays` before now) → late: its period was already
 *   invoiced, so a supplemental invoice bills it (a finalized invoice never changes);
 * - older still → usage_event_too_old.
 * A customer without a subscription has no open period: the late window alone decides.
 */
export function eventTiming(input: { timestamp: Date; now: Date; lateWindowDays: number; openPeriodStart: Date | null }): EventTiming {
  const at = input.timestamp.getTime();
  const now = input.now.getTime();
  if (at > now + FUTURE_TOLERANCE_MS) {
    return { refused: { code: "usage_event_in_future", param: "timestamp", detail: "timestamp must be at most 5 minutes ahead of now." } };
  }
  const open = input.openPeriodStart?.getTime();
  if (open !== undefined && at >= open) return "on_time";
  if (at >= now - input.lateWindowDays * DAY_MS) return open === undefined ? "on_time" : "late";
  return {
    refused: {
      code: "usage_event_too_old",
      param: "timestamp",
      detail: `timestamp is more than ${input.lateWindowDays} days ago and before the open billing period: usage that old can no longer be billed.`,
    },
  };
}

/**
 * The final outcome of each item of an idempotent batch: a refused item whose identifier is stored
 * is a duplicate; of the accepted items, the first of each identifier not stored before was stored
 * now and the rest are duplicates.
 */
export function settleDuplicates<O extends { status: string }>(
  identifiers: readonly string[],
  outcomes: readonly O[],
  seenBefore: ReadonlySet<string>,
  known: ReadonlySet<string>,
): (O | { status: "duplicate"; identifier: string })[] {
  const first = new Set<string>();
  return outcomes.map((o, i) => {
    const identifier = identifiers[i] ?? "";
    if (o.status === "rejected") return known.has(identifier) ? { status: "duplicate", identifier } : o;
    if (o.status === "accepted" && !seenBefore.has(identifier) && !first.has(identifier)) {
      first.add(identifier);
      return o;
    }
    return { status: "duplicate", identifier };
  });
}
