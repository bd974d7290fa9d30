/**
 * The locales Tally formats in, and how a reader's locale is chosen. This module (with the rest of
 * lib/format) is the one place a locale is written down: everything else passes one in.
 */

/** Locales whose money, dates and counts are checked (lib/format/money.test.ts). */
export const SUPPORTED_LOCALES = ["en-AU", "en-US", "en-GB", "en-NZ", "en-CA", "en-IE", "de-DE", "fr-FR", "ja-JP"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** The business's home locale when nobody has chosen one (and TALLY_DEFAULT_COUNTRY names none). */
const FALLBACK_LOCALE: SupportedLocale = "en-AU";

const COUNTRY_LOCALES: Record<string, SupportedLocale> = {
  AU: "en-AU",
  US: "en-US",
  GB: "en-GB",
  NZ: "en-NZ",
  CA: "en-CA",
  IE: "en-IE",
  DE: "de-DE",
  AT: "de-DE",
  FR: "fr-FR",
  JP: "ja-JP",
};

/** Names for the console's locale pickers ("English (Australia)"), in the locale itself. */
export function localeLabel(locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: "language" }).of(locale);
    return name ? `${name.charAt(0).toUpperCase()}${name.slice(1)} · ${locale}` : locale;
  } catch {
    return locale;
  }
}

export function isSupportedLocale(value: unknown): value is SupportedLocale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** The locale of a country's businesses ("AU" → en-AU), null for a country Tally has no locale for. */
export function localeForCountry(country: string | null | undefined): SupportedLocale | null {
  return country ? (COUNTRY_LOCALES[country.toUpperCase()] ?? null) : null;
}

/** The business locale before staff set one: from TALLY_DEFAULT_COUNTRY, else en-AU. */
export function defaultBusinessLocale(country: string | null | undefined = process.env.TALLY_DEFAULT_COUNTRY): SupportedLocale {
  return localeForCountry(country) ?? FALLBACK_LOCALE;
}

/**
 * The first supported locale among a reader's preferences (in order), matching a bare language
 * ("de") or another region of it ("en-ZA") to a supported locale of that language, the business's
 * own first. Null when none of them is supported.
 */
export function pickLocale(preferences: readonly string[], business: string): SupportedLocale | null {
  for (const raw of preferences) {
    let tag: string;
    try {
      [tag = ""] = Intl.getCanonicalLocales(raw.trim());
    } catch {
      continue;
    }
    if (isSupportedLocale(tag)) return tag;
    const language = tag.split("-")[0]!.toLowerCase();
    if (isSupportedLocale(business) && business.startsWith(`${language}-`)) return business;
    const same = SUPPORTED_LOCALES.find((l) => l.startsWith(`${language}-`));
    if (same) return same;
  }
  return null;
}

/** An Accept-Language header's tags, best first ("de-DE,de;q=0.9,en;q=0.8" → de-DE, de, en). */
export function acceptLanguageTags(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((t) => t.tag && t.tag !== "*" && Number.isFinite(t.q) && t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((t) => t.tag);
}

/** Whether a tag is well-formed BCP 47 (what the API accepts in a customer's `preferred_locales`). */
export function isLocaleTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}
