import { defaultBusinessLocale } from "./locales";
import { formatMoney, formatUnitAmount } from "./money";

/** Who reads a page, an email or a message: their locale and the time zone their times are shown in. */
export interface Reader {
  locale: string;
  /** The zone dates default to (UTC unless given); a call may name another, e.g. the customer's. */
  timeZone?: string;
}

/**
 * Everything Tally shows people as numbers, amounts and dates, formatted for one reader. Made once
 * per request (the portal's customer, the console's staff member, an email's customer) and passed
 * to what renders; client components get the `Reader` and make their own.
 */
export interface Formatter {
  readonly locale: string;
  readonly timeZone: string;
  /** The reader, for handing to a client component. */
  readonly reader: Required<Reader>;
  /** "$10.00" (AUD, en-AU), "A$10.00" (AUD, en-US), "10,00 €" (de-DE); credits with a true minus "−$4.84". */
  money(minor: number, currency: string): string;
  /** A unit price held exactly (10⁻¹² minor units), with as many decimals as it has: "$0.002". */
  unitAmount(exact: bigint, currency: string): string;
  /** "5 Dec 2026" (en-AU), "Dec 5, 2026" (en-US), "05.12.2026" (de-DE); "—" for none. */
  date(date: Date | null | undefined, timeZone?: string): string;
  /** Two days as a span, "1 Mar 2026 – 1 Apr 2026": a service or billing period. */
  period(start: Date | null | undefined, end: Date | null | undefined, timeZone?: string): string;
  /** A moment: the date and time; UTC is always named, another zone when `zoneName` asks. */
  dateTime(date: Date | null | undefined, timeZone?: string, options?: { zoneName?: boolean }): string;
  /** A day without its year, for chart axes and day lists ("5 Dec"). */
  dayMonth(date: Date, timeZone?: string): string;
  /** A UTC month: "December 2026" (long) or "Dec 2026" (short). */
  month(date: Date, style?: "long" | "short"): string;
  /** A count with the locale's grouping ("12,345", "12.345"); `maximumFractionDigits` for a rate. */
  count(n: number, maximumFractionDigits?: number): string;
  /** A chart axis's number: "1.2K", "3.5M" (the locale's own compact form). */
  compact(n: number): string;
  /** A usage quantity, an exact decimal string, with the locale's grouping and decimal mark: "1,234,567.5". */
  usage(value: string): string;
}

const cache = new Map<string, Formatter>();

/** The formatter for a reader (kept per locale and zone: Intl formatters are slow to make). */
export function formatterFor(reader: Reader): Formatter {
  const locale = reader.locale;
  const timeZone = reader.timeZone ?? "UTC";
  const key = `${locale}|${timeZone}`;
  const known = cache.get(key);
  if (known) return known;
  const made = makeFormatter(locale, timeZone);
  cache.set(key, made);
  return made;
}

/**
 * For text no single reader is known for (error messages, log lines, audit details written at the
 * time): the business's default locale from TALLY_DEFAULT_COUNTRY, UTC dates.
 */
export function systemFormatter(): Formatter {
  return formatterFor({ locale: defaultBusinessLocale(), timeZone: "UTC" });
}

function makeFormatter(locale: string, defaultZone: string): Formatter {
  const dateFormats = new Map<string, Intl.DateTimeFormat>();
  const dateFormat = (kind: string, timeZone: string, options: Intl.DateTimeFormatOptions) => {
    const key = `${kind}|${timeZone}`;
    let f = dateFormats.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      dateFormats.set(key, f);
    }
    return f;
  };
  const date = (day: Date | null | undefined, timeZone = defaultZone) => (day ? dateFormat("date", timeZone, { day: "numeric", month: "short", year: "numeric" }).format(day) : "—");
  const compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  const marks = numberMarks(locale);
  return {
    locale,
    timeZone: defaultZone,
    reader: { locale, timeZone: defaultZone },
    money: (minor, currency) => formatMoney(minor, currency, locale),
    unitAmount: (exact, currency) => formatUnitAmount(exact, currency, locale),
    date,
    period: (start, end, timeZone = defaultZone) => `${date(start, timeZone)} – ${date(end, timeZone)}`,
    dateTime(date, timeZone = defaultZone, options = {}) {
      if (!date) return "—";
      const base = dateFormat("dateTime", timeZone, { dateStyle: "medium", timeStyle: "short" }).format(date);
      // UTC is always named, since customers' own times are shown in their zone; `zoneName` names any zone.
      if (timeZone === "UTC") return `${base} UTC`;
      if (!options.zoneName) return base;
      const zone = dateFormat("zone", timeZone, { timeZoneName: "short" }).formatToParts(date).find((p) => p.type === "timeZoneName")?.value;
      return zone ? `${base} ${zone}` : base;
    },
    dayMonth: (date, timeZone = defaultZone) => dateFormat("dayMonth", timeZone, { day: "numeric", month: "short" }).format(date),
    month: (date, style = "long") => dateFormat(`month-${style}`, "UTC", { month: style, year: "numeric" }).format(date),
    count: (n, maximumFractionDigits) => n.toLocaleString(locale, maximumFractionDigits === undefined ? undefined : { maximumFractionDigits }),
    compact: (n) => compact.format(n),
    usage(value) {
      const negative = value.startsWith("-");
      const [whole = "0", fraction] = (negative ? value.slice(1) : value).split(".");
      const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, marks.group);
      return `${negative ? "\u2212" : ""}${fraction ? `${grouped}${marks.decimal}${fraction}` : grouped}`;
    },
  };
}

/** The locale's grouping and decimal marks ("," and "." in en-AU, "." and "," in de-DE). */
function numberMarks(locale: string): { group: string; decimal: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return { group: parts.find((p) => p.type === "group")?.value ?? ",", decimal: parts.find((p) => p.type === "decimal")?.value ?? "." };
}
