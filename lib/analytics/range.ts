/**
 * The Analytics page's date range (UTC days): a preset counted back from today, or a custom
 * from/to. Pure: today is passed in.
 */
export const rangePresets = [
  { key: "30d", label: "Last 30 days", days: 30 },
  { key: "90d", label: "Last 90 days", days: 90 },
  { key: "12m", label: "Last 12 months", months: 12 },
  { key: "24m", label: "Last 24 months", months: 24 },
] as const;
export type RangePreset = (typeof rangePresets)[number]["key"] | "custom";

export interface AnalyticsRange {
  preset: RangePreset;
  from: string;
  to: string;
  /** Days for ranges of up to 92 days, else months. */
  interval: "day" | "month";
}

const DAY = 86_400_000;
const isDay = (s: string | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY));

function monthsBack(today: string, months: number): string {
  const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - (months - 1));
  return dayOf(d);
}

/** At most this many days: ten years of months. */
const MAX_DAYS = 3660;

/** The range from the page's query (?range=30d|90d|12m|24m, or ?from=&to= for custom); default the last 12 months. An error message for a custom range that cannot be. */
export function parseRange(q: { range?: string; from?: string; to?: string }, now: Date): AnalyticsRange | { error: string } {
  const today = dayOf(now);
  if (q.range === "custom" || (!q.range && (q.from || q.to))) {
    if (!isDay(q.from) || !isDay(q.to)) return { error: "Enter both dates of a custom range as YYYY-MM-DD." };
    if (q.from > q.to) return { error: "The custom range must start on or before its end." };
    if (q.to > today) return { error: "The custom range cannot end after today." };
    const days = (Date.parse(q.to) - Date.parse(q.from)) / DAY + 1;
    if (days > MAX_DAYS) return { error: "A custom range is at most ten years." };
    return { preset: "custom", from: q.from, to: q.to, interval: days <= 92 ? "day" : "month" };
  }
  const preset = rangePresets.find((p) => p.key === q.range) ?? rangePresets[2];
  if ("days" in preset) return { preset: preset.key, from: addDays(today, -(preset.days - 1)), to: today, interval: "day" };
  return { preset: preset.key, from: monthsBack(today, preset.months), to: today, interval: "month" };
}

/** The UTC months [from, to] touches, each with the day its month-to-date figures are read (its last day, capped at `to`). */
export function monthsOf(from: string, to: string): { month: string; date: string }[] {
  const out: { month: string; date: string }[] = [];
  const d = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  while (dayOf(d) <= to) {
    const month = dayOf(d).slice(0, 7);
    d.setUTCMonth(d.getUTCMonth() + 1);
    const last = addDays(dayOf(d), -1);
    out.push({ month, date: last < to ? last : to });
  }
  return out;
}
