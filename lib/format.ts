import { formatMoney } from "@/lib/money";

export { formatMoney };

/** The one locale the console and portal format in (issue 19 makes it the reader's). */
const LOCALE = "en-AU";

export function formatDate(date: Date | null | undefined, timeZone = "UTC"): string {
  if (!date) return "—";
  return new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric", timeZone }).format(date);
}

export function formatDateTime(date: Date | null | undefined, timeZone = "UTC", options: { zoneName?: boolean } = {}): string {
  if (!date) return "—";
  const base = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
  // UTC is always named, since customers' own times are shown in their zone; `zoneName` names any zone.
  if (timeZone === "UTC") return `${base} UTC`;
  if (!options.zoneName) return base;
  const zone = new Intl.DateTimeFormat(LOCALE, { timeZone, timeZoneName: "short" }).formatToParts(date).find((p) => p.type === "timeZoneName")?.value;
  return zone ? `${base} ${zone}` : base;
}

/** A day without its year, for chart axes and day lists ("5 Dec"); UTC days unless a zone is given. */
export function formatDayMonth(date: Date, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", timeZone }).format(date);
}

/** A count for people to read, with the locale's grouping ("12,345"); `maximumFractionDigits` for a rate ("12.5"). */
export function formatCount(n: number, maximumFractionDigits?: number): string {
  return n.toLocaleString(LOCALE, maximumFractionDigits === undefined ? undefined : { maximumFractionDigits });
}

/** A UTC month: "December 2026" (long) or "Dec 2026" (short). */
export function formatMonth(date: Date, style: "long" | "short" = "long"): string {
  return new Intl.DateTimeFormat(LOCALE, { month: style, year: "numeric", timeZone: "UTC" }).format(date);
}

const compactNumber = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 });

/** A chart axis's number: "1.2K", "3.5M". */
export function formatCompact(n: number): string {
  return compactNumber.format(n);
}

/** A usage quantity (an exact decimal string) for people: "1234567.5" → "1,234,567.5". */
export function formatUsage(value: string): string {
  const [whole = "0", fraction] = value.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${grouped}.${fraction}` : grouped;
}

export function intervalLabel(unit: string, count: number): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}

/** "incl. GST" / "+ GST": how tax is shown the local way. */
export function taxNote(taxBehavior: "inclusive" | "exclusive", currency: string): string {
  const name = currency === "aud" || currency === "nzd" ? "GST" : "tax";
  return taxBehavior === "inclusive" ? `incl. ${name}` : `+ ${name}`;
}
