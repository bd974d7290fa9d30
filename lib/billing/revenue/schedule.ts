import { DAY_MS } from "@/lib/time";

/**
 * Revenue recognition of one invoice line (decision 033), pure: days are UTC day numbers
 * (⌊epoch ms / 86 400 000⌋), amounts minor units net of tax and discounts.
 *
 * A line's net amount is spread over the days of its service period with lib/money's even
 * allocation (allocateEvenly: larger parts first), so a fully served line recognises exactly its
 * net amount. A day served before the invoice was finalized is recognised on the finalization day
 * (revenue never runs ahead of billing). A reversal (credit note line or void) on day c first
 * reduces what is not yet served — the days from c on, spread evenly again over those days — and
 * reverses the rest, already recognised, on day c.
 *
 * Cumulative figures have a closed form (`prefixOfEven`), so a month is two evaluations per
 * segment, never a walk over days.
 */

/** One reversal of a line: a credit note line (its net: amount − tax) or the void of its invoice. */
export interface LineReversal {
  day: number;
  /** Net minor units reversed (positive for a charge line). */
  net: number;
}

export interface RecognitionLine {
  net: number;
  /** First day served (inclusive). */
  from: number;
  /** Day after the last day served (exclusive), > from. */
  to: number;
  /** The invoice's finalization day: billed then; nothing is recognised before it. */
  billedOn: number;
  /** In day order. */
  reversals: readonly LineReversal[];
}

/** `amount` spread evenly over the days [from, to) (allocateEvenly), each recognised on max(day, billedOn). */
interface Segment {
  amount: number;
  from: number;
  to: number;
}

export interface LineSchedule {
  segments: Segment[];
  /** Recognised revenue reversed on a day (the part of a reversal beyond what was unserved). */
  points: { day: number; amount: number }[];
  /** Billing on a day: the net at finalization, minus each reversal. */
  billings: { day: number; amount: number }[];
}

/** The UTC day number of an instant. */
export function dayOf(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS);
}

/** The service days of a line: its period's UTC days [start, end), at least one; without a period, the invoice day. */
export function serviceDays(periodStart: Date | null, periodEnd: Date | null, finalizedAt: Date): { from: number; to: number } {
  if (!periodStart || !periodEnd) {
    const day = dayOf(finalizedAt);
    return { from: day, to: day + 1 };
  }
  const from = dayOf(periodStart);
  return { from, to: Math.max(from + 1, dayOf(periodEnd)) };
}

/**
 * The sum of the first k parts of allocateEvenly(amount, n): floor q for every part, one more for
 * the first r = amount − n·q, mirrored for negatives — exactly what the allocation gives, without
 * building it. The first k parts of an even allocation are themselves the even allocation of their
 * sum over k days, which is what lets a reversal split a segment.
 */
export function prefixOfEven(amount: number, n: number, k: number): number {
  if (amount < 0) return 0 - prefixOfEven(-amount, n, k);
  const kk = Math.max(0, Math.min(n, k));
  const big = BigInt(amount);
  const q = big / BigInt(n);
  const r = big - q * BigInt(n);
  const extra = BigInt(kk) < r ? BigInt(kk) : r;
  return Number(BigInt(kk) * q + extra);
}

/** What a reversal of `x` takes from `unserved`: as much as both share in sign, never more than is there. */
function reducible(x: number, unserved: number): number {
  if (x > 0 && unserved > 0) return Math.min(x, unserved);
  if (x < 0 && unserved < 0) return Math.max(x, unserved);
  return 0;
}

/** The line's schedule after its reversals. */
export function buildSchedule(line: RecognitionLine): LineSchedule {
  const segments: Segment[] = [];
  const points: LineSchedule["points"] = [];
  const billings: LineSchedule["billings"] = [{ day: line.billedOn, amount: line.net }];
  let open: Segment = { amount: line.net, from: line.from, to: line.to };
  for (const { day, net } of line.reversals) {
    billings.push({ day, amount: -net });
    if (day > open.from && day < open.to) {
      const served = prefixOfEven(open.amount, open.to - open.from, day - open.from);
      segments.push({ amount: served, from: open.from, to: day });
      open = { amount: open.amount - served, from: day, to: open.to };
    }
    const unserved = day >= open.to ? 0 : open.amount;
    const reduced = reducible(net, unserved);
    open = { ...open, amount: open.amount - reduced };
    if (net !== reduced) points.push({ day, amount: -(net - reduced) });
  }
  segments.push(open);
  return { segments, points, billings };
}

/** Revenue recognised on days before `day` (cumulative). */
export function recognisedBefore(schedule: LineSchedule, billedOn: number, day: number): number {
  let sum = 0;
  if (billedOn < day) {
    for (const s of schedule.segments) sum += prefixOfEven(s.amount, s.to - s.from, day - s.from);
  }
  for (const p of schedule.points) if (p.day < day) sum += p.amount;
  return sum;
}

/** Net billed on days before `day` (cumulative). */
export function billedBefore(schedule: LineSchedule, day: number): number {
  let sum = 0;
  for (const b of schedule.billings) if (b.day < day) sum += b.amount;
  return sum;
}

export interface RevenueFlows {
  billed: number;
  recognized: number;
  deferredOpening: number;
  deferredClosing: number;
}

export const noFlows = (): RevenueFlows => ({ billed: 0, recognized: 0, deferredOpening: 0, deferredClosing: 0 });

/**
 * A line's flows over the days [start, end): opening and closing deferred revenue are read at
 * the two boundaries (billed − recognised before each), not derived from the flows, so the
 * waterfall identity opening + billed − recognised = closing is a check, not a definition.
 */
export function lineFlows(line: RecognitionLine, start: number, end: number, schedule: LineSchedule = buildSchedule(line)): RevenueFlows {
  const billedStart = billedBefore(schedule, start);
  const billedEnd = billedBefore(schedule, end);
  const recognisedStart = recognisedBefore(schedule, line.billedOn, start);
  const recognisedEnd = recognisedBefore(schedule, line.billedOn, end);
  return {
    billed: billedEnd - billedStart,
    recognized: recognisedEnd - recognisedStart,
    deferredOpening: billedStart - recognisedStart,
    deferredClosing: billedEnd - recognisedEnd,
  };
}

export function addFlows(a: RevenueFlows, b: RevenueFlows): RevenueFlows {
  return {
    billed: a.billed + b.billed,
    recognized: a.recognized + b.recognized,
    deferredOpening: a.deferredOpening + b.deferredOpening,
    deferredClosing: a.deferredClosing + b.deferredClosing,
  };
}

/** The UTC days [start, end) of a month "YYYY-MM". */
export function monthDays(month: string): { start: number; end: number; from: Date; to: Date } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1));
  const to = new Date(Date.UTC(y, m, 1));
  return { start: dayOf(from), end: dayOf(to), from, to };
}
