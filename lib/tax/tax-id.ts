import { checkVAT, countries as jsvatCountries } from "jsvat";

/**
 * Tax ID validation: the format of each kind of number, and its check digits where the number has
 * them. EU and UK VAT numbers are checked by the `jsvat` library (each member state's format and
 * check-digit rule); the Australian ABN (mod 89), NZ IRD (mod 11), Canadian BN (Luhn) and US EIN,
 * which it does not cover, here. Pure: no registry is asked, so a number that passes is
 * well-formed, not "verified" (lib/tax/lookup.ts: VIES and ABN lookups, off by default).
 *
 * Type names follow Stripe's (`au_abn`, `eu_vat`, …), so the API reads the same.
 */

export const TAX_ID_TYPES = ["au_abn", "nz_gst", "gb_vat", "eu_vat", "us_ein", "ca_bn"] as const;
export type TaxIdType = (typeof TAX_ID_TYPES)[number];

export const taxIdTypeLabels: Record<TaxIdType, string> = {
  au_abn: "Australian Business Number (ABN)",
  nz_gst: "New Zealand GST number",
  gb_vat: "UK VAT number",
  eu_vat: "EU VAT number",
  us_ein: "US Employer Identification Number (EIN)",
  ca_bn: "Canadian Business Number (BN)",
};

/** An example of each, shown as a placeholder. */
export const taxIdExamples: Record<TaxIdType, string> = {
  au_abn: "51 824 753 556",
  nz_gst: "49-091-850",
  gb_vat: "GB 123 4567 82",
  eu_vat: "DE136695976",
  us_ein: "12-3456789",
  ca_bn: "123456782 RT0001",
};

export type TaxIdCheck = { ok: true; type: TaxIdType; value: string; country: string } | { ok: false; message: string };

/**
 * EU member states' VAT number formats, after the country prefix (Greece uses EL), for a message
 * that shows an example; the check digits are jsvat's. Sources: the European Commission's VIES
 * format list.
 */
const EU_VAT_FORMATS: Record<string, { pattern: RegExp; example: string }> = {
  AT: { pattern: /^U\d{8}$/, example: "ATU12345678" },
  BE: { pattern: /^[01]\d{9}$/, example: "BE0123456749" },
  BG: { pattern: /^\d{9,10}$/, example: "BG123456789" },
  CY: { pattern: /^\d{8}[A-Z]$/, example: "CY12345678X" },
  CZ: { pattern: /^\d{8,10}$/, example: "CZ12345678" },
  DE: { pattern: /^\d{9}$/, example: "DE123456789" },
  DK: { pattern: /^\d{8}$/, example: "DK12345678" },
  EE: { pattern: /^\d{9}$/, example: "EE123456789" },
  EL: { pattern: /^\d{9}$/, example: "EL123456789" },
  ES: { pattern: /^[A-Z0-9]\d{7}[A-Z0-9]$/, example: "ESX1234567X" },
  FI: { pattern: /^\d{8}$/, example: "FI12345678" },
  FR: { pattern: /^[0-9A-HJ-NP-Z]{2}\d{9}$/, example: "FR12345678901" },
  HR: { pattern: /^\d{11}$/, example: "HR12345678901" },
  HU: { pattern: /^\d{8}$/, example: "HU12345678" },
  IE: { pattern: /^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/, example: "IE1234567T" },
  IT: { pattern: /^\d{11}$/, example: "IT12345678901" },
  LT: { pattern: /^(\d{9}|\d{12})$/, example: "LT123456789" },
  LU: { pattern: /^\d{8}$/, example: "LU12345678" },
  LV: { pattern: /^\d{11}$/, example: "LV12345678901" },
  MT: { pattern: /^\d{8}$/, example: "MT12345678" },
  NL: { pattern: /^\d{9}B\d{2}$/, example: "NL123456789B01" },
  PL: { pattern: /^\d{10}$/, example: "PL1234567890" },
  PT: { pattern: /^\d{9}$/, example: "PT123456789" },
  RO: { pattern: /^[1-9]\d{1,9}$/, example: "RO1234567890" },
  SE: { pattern: /^\d{10}01$/, example: "SE123456789001" },
  SI: { pattern: /^\d{8}$/, example: "SI12345678" },
  SK: { pattern: /^\d{10}$/, example: "SK1234567890" },
};

/** ISO 3166 country of each EU VAT prefix (only Greece differs). */
const PREFIX_COUNTRY: Record<string, string> = { EL: "GR" };
const COUNTRY_PREFIX: Record<string, string> = { GR: "EL" };

export const EU_COUNTRIES: readonly string[] = Object.keys(EU_VAT_FORMATS).map((p) => PREFIX_COUNTRY[p] ?? p);

/** The tax ID type a customer in `country` would usually give, or null when we have none for it. */
export function taxIdTypeForCountry(country: string | null | undefined): TaxIdType | null {
  const c = (country ?? "").toUpperCase();
  if (c === "AU") return "au_abn";
  if (c === "NZ") return "nz_gst";
  if (c === "GB") return "gb_vat";
  if (c === "US") return "us_ein";
  if (c === "CA") return "ca_bn";
  if (EU_COUNTRIES.includes(c)) return "eu_vat";
  return null;
}

export function isTaxIdType(value: string): value is TaxIdType {
  return (TAX_ID_TYPES as readonly string[]).includes(value);
}

/** Spaces, dots, dashes and slashes people type are dropped; letters upper-cased. */
function compact(value: string): string {
  return value.replace(/[\s.\-/]/g, "").toUpperCase();
}

const digitsOf = (s: string) => Array.from(s, (c) => c.charCodeAt(0) - 48);

/**
 * Validate a tax ID of a given type and return it normalized (no separators, upper case; an EU VAT
 * number always with its country prefix). `country` (the customer's address) lets an EU VAT number
 * be typed without its prefix.
 */
export function validateTaxId(type: TaxIdType, raw: string, opts: { country?: string | null } = {}): TaxIdCheck {
  const value = compact(raw);
  if (!value) return { ok: false, message: "Enter the number." };
  if (value.length > 20) return { ok: false, message: "That is too long for a tax ID." };
  switch (type) {
    case "au_abn":
      return checkAbn(value);
    case "nz_gst":
      return checkNzGst(value);
    case "gb_vat":
      return checkGbVat(value);
    case "eu_vat":
      return checkEuVat(value, opts.country);
    case "us_ein":
      return checkEin(value);
    case "ca_bn":
      return checkCaBn(value);
  }
}

// ---- Australia: ABN, 11 digits, weighted sum mod 89 ----

const ABN_WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19] as const;

export function isValidAbn(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || digits[0] === "0") return false;
  const d = digitsOf(digits);
  d[0] = d[0]! - 1;
  return d.reduce((sum, n, i) => sum + n * ABN_WEIGHTS[i]!, 0) % 89 === 0;
}

function checkAbn(value: string): TaxIdCheck {
  if (!/^\d+$/.test(value)) return { ok: false, message: "An ABN has 11 digits and no letters, like 51 824 753 556." };
  if (value.length !== 11) return { ok: false, message: `An ABN has 11 digits; this has ${value.length}.` };
  if (!isValidAbn(value)) return { ok: false, message: "This is not a valid ABN: its check digits don't match. Please check each digit." };
  return { ok: true, type: "au_abn", value, country: "AU" };
}

// ---- New Zealand: GST number = IRD number, 8 or 9 digits, mod 11 ----

const IRD_PRIMARY = [3, 2, 7, 6, 5, 4, 3, 2] as const;
const IRD_SECONDARY = [7, 4, 3, 2, 5, 2, 7, 6] as const;

export function isValidIrd(digits: string): boolean {
  if (!/^\d{8,9}$/.test(digits)) return false;
  const n = Number(digits);
  if (n < 10_000_000 || n > 150_000_000) return false;
  const padded = digits.padStart(9, "0");
  const base = digitsOf(padded.slice(0, 8));
  const check = Number(padded[8]);
  for (const weights of [IRD_PRIMARY, IRD_SECONDARY]) {
    const remainder = base.reduce((sum, x, i) => sum + x * weights[i]!, 0) % 11;
    const expected = remainder === 0 ? 0 : 11 - remainder;
    if (expected !== 10) return expected === check;
  }
  return false;
}

function checkNzGst(value: string): TaxIdCheck {
  const digits = value.startsWith("NZ") ? value.slice(2) : value;
  if (!/^\d{8,9}$/.test(digits)) return { ok: false, message: "A New Zealand GST number has 8 or 9 digits, like 49-091-850." };
  if (!isValidIrd(digits)) return { ok: false, message: "This is not a valid New Zealand GST number: its check digit doesn't match." };
  return { ok: true, type: "nz_gst", value: digits, country: "NZ" };
}

// ---- United Kingdom: VAT, GB + 9 digits, 12 digits (branch), GD/HA + 3; XI for Northern Ireland ----

/** jsvat's verdict on a number with its country prefix (GB for XI, which it does not list). */
function jsvatValid(prefixed: string): boolean {
  return checkVAT(prefixed.replace(/^XI/, "GB"), jsvatCountries).isValid;
}

function checkGbVat(value: string): TaxIdCheck {
  const body = value.startsWith("GB") ? value.slice(2) : value.startsWith("XI") ? value.slice(2) : value;
  const prefix = value.startsWith("XI") ? "XI" : "GB";
  if (!/^(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/.test(body)) return { ok: false, message: "A UK VAT number is GB followed by 9 digits, like GB 123 4567 82." };
  if (!jsvatValid(`${prefix}${body}`)) return { ok: false, message: "This is not a valid UK VAT number: its check digits don't match." };
  return { ok: true, type: "gb_vat", value: `${prefix}${body}`, country: "GB" };
}

// ---- European Union: VAT, country prefix + a per-country format ----

function checkEuVat(value: string, country: string | null | undefined): TaxIdCheck {
  let prefix = value.slice(0, 2);
  let body = value.slice(2);
  if (!/^[A-Z]{2}$/.test(prefix)) {
    // Typed without its prefix: take the country from the address.
    const c = (country ?? "").toUpperCase();
    const fromAddress = COUNTRY_PREFIX[c] ?? c;
    if (!EU_VAT_FORMATS[fromAddress]) return { ok: false, message: "Start an EU VAT number with its country code, like DE136695976." };
    prefix = fromAddress;
    body = value;
  }
  if (prefix === "GR") prefix = "EL";
  const format = EU_VAT_FORMATS[prefix];
  if (!format) {
    if (prefix === "GB" || prefix === "XI") return { ok: false, message: "That is a UK VAT number: choose “UK VAT number” as the type." };
    return { ok: false, message: `${prefix} is not an EU country code. An EU VAT number starts with its country code, like DE136695976.` };
  }
  if (!format.pattern.test(body)) return { ok: false, message: `That doesn't look like a ${prefix} VAT number. It should look like ${format.example}.` };
  const verdict = checkVAT(`${prefix}${body}`, jsvatCountries);
  if (!verdict.isValid) return { ok: false, message: `This is not a valid VAT number for ${verdict.country?.name ?? prefix}: its check digits don't match. Please check each digit.` };
  return { ok: true, type: "eu_vat", value: `${prefix}${body}`, country: PREFIX_COUNTRY[prefix] ?? prefix };
}

// ---- United States: EIN, 9 digits, XX-XXXXXXX, with an IRS campus prefix ----

/** Prefixes the IRS has never assigned. */
const EIN_UNUSED_PREFIXES = new Set(["00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96", "97"]);

function checkEin(value: string): TaxIdCheck {
  if (!/^\d{9}$/.test(value)) return { ok: false, message: "An EIN has 9 digits, like 12-3456789." };
  if (EIN_UNUSED_PREFIXES.has(value.slice(0, 2))) return { ok: false, message: `No EIN starts with ${value.slice(0, 2)}. Please check the first two digits.` };
  return { ok: true, type: "us_ein", value, country: "US" };
}

// ---- Canada: Business Number, 9 digits (Luhn), optionally with a program account like RT0001 ----

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

function checkCaBn(value: string): TaxIdCheck {
  const match = /^(\d{9})((?:RT|RC|RP|RR|RZ)\d{4})?$/.exec(value);
  if (!match) return { ok: false, message: "A Business Number has 9 digits, optionally followed by a program account such as RT0001." };
  if (!luhnValid(match[1]!)) return { ok: false, message: "This is not a valid Business Number: its check digit doesn't match." };
  return { ok: true, type: "ca_bn", value, country: "CA" };
}

/** How a normalized tax ID is shown: grouped the way it is printed locally. */
export function formatTaxId(type: TaxIdType, value: string): string {
  switch (type) {
    case "au_abn":
      return value.replace(/^(\d{2})(\d{3})(\d{3})(\d{3})$/, "$1 $2 $3 $4");
    case "nz_gst":
      return value.padStart(9, "0").replace(/^(\d{3})(\d{3})(\d{3})$/, "$1-$2-$3").replace(/^0/, "");
    case "us_ein":
      return value.replace(/^(\d{2})(\d{7})$/, "$1-$2");
    case "gb_vat":
      return value.replace(/^(GB|XI)(\d{3})(\d{4})(\d{2})(\d{3})?$/, (_m, p: string, a: string, b: string, c: string, d?: string) => `${p} ${a} ${b} ${c}${d ? ` ${d}` : ""}`);
    case "ca_bn":
      return value.replace(/^(\d{9})([A-Z]{2}\d{4})$/, "$1 $2");
    case "eu_vat":
      return value;
  }
}
