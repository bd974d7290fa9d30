import { DAY_MS } from "@/lib/time";
/**
 * The date range of a console export: two UTC calendar days, both included, as the half-open
 * instant range [from 00:00, the day after `to` 00:00). Pure.
 */
export interface ReportRange {
  /** YYYY-MM-DD, included. */
  from: string;
  /** YYYY-MM-DD, included. */
  to: string;
  start: Date;
  /** The first instant after the range. */
  end: Date;
}

/** The longest range one export covers: about five years of days. */
export const MAX_RANGE_DAYS = 5 * 366;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(text: string | null | undefined): Date | null {
  if (!text || !DAY.test(text)) return null;
  const date = new Date(`${text}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? null : date;
}

/** The range for these inputs, or why it is refused. Missing `from` and `to` default to this UTC month to date. */
export function parseReportRange(from: string | null | undefined, to: string | null | undefined, now: Date): ReportRange | { error: string } {
  const today = now.toISOString().slice(0, 10);
  const fromText = from || `${today.slice(0, 7)}-01`;
  const toText = to || today;
  const start = day(fromText);
  const last = day(toText);
  if (!start) return { error: "from must be a date as YYYY-MM-DD." };
  if (!last) return { error: "to must be a date as YYYY-MM-DD." };
  if (last < start) return { error: "to must be on or after from." };
  const days = Math.round((last.getTime() - start.getTime()) / DAY_MS) + 1;
  if (days > MAX_RANGE_DAYS) return { error: `A range covers at most ${MAX_RANGE_DAYS} days.` };
  return { from: fromText, to: toText, start, end: new Date(last.getTime() + DAY_MS) };
}
