/**
 * How Tally writes numbers, amounts and dates for people: one module, and the only place a locale
 * is named. Callers make a `Formatter` for their reader (`formatterFor({ locale, timeZone })`) —
 * the portal's customer, the console's staff member, an email's customer — and format through it.
 */
export { formatterFor, systemFormatter, type Formatter, type Reader } from "./formatter";
export {
  SUPPORTED_LOCALES,
  acceptLanguageTags,
  defaultBusinessLocale,
  isLocaleTag,
  isSupportedLocale,
  localeForCountry,
  localeLabel,
  pickLocale,
  type SupportedLocale,
} from "./locales";

/** A calendar year and month (1–12) in a zone, as numbers. */
export function yearMonthIn(at: Date, timeZone: string): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "numeric", timeZone }).formatToParts(at);
  return { year: Number(parts.find((p) => p.type === "year")?.value), month: Number(parts.find((p) => p.type === "month")?.value) };
}

/** A country's name in the reader's locale ("AU" → "Australia", "Australien"). */
export function regionNames(locale: string): (code: string) => string {
  const names = new Intl.DisplayNames([locale], { type: "region" });
  return (code) => names.of(code) ?? code;
}

export function intervalLabel(unit: string, count: number): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}

/** "incl. GST" / "+ GST": how tax is shown the local way. */
export function taxNote(taxBehavior: "inclusive" | "exclusive", currency: string): string {
  const name = currency === "aud" || currency === "nzd" ? "GST" : "tax";
  return taxBehavior === "inclusive" ? `incl. ${name}` : `+ ${name}`;
}
