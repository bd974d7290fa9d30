import { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import { isLocaleTag } from "@/lib/format";
import { isSafeMinor, isSupportedCurrency, supportedCurrencies } from "@/lib/money";
import { normalizeTimeZone, isValidTimeZone } from "@/lib/time";
import { AMOUNT_MESSAGE } from "./problem";

/**
 * Reusable request fields. Each one reports a specific error code (through the issue's
 * `params.code`, which lib/api/problem.ts turns into the problem's `code`) and a message phrased as
 * a predicate so the problem detail reads "amount must be …".
 */

/** A refusal may name the part of the field at fault (`path`, e.g. a property's name). */
type Verdict<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; path?: PropertyKey[] };

/**
 * A field whose every failure (wrong type included) carries one error code. `json` is what the
 * OpenAPI document shows, since a custom check has no JSON Schema of its own.
 */
export function codedField<T>(json: Record<string, unknown>, verdict: (input: unknown) => Verdict<T>) {
  // meta before check: zod-openapi only renders a custom schema whose override sits beneath its checks.
  return z
    .custom<T>(() => true)
    .meta({ override: json })
    .check((ctx) => {
      const v = verdict(ctx.value);
      if (v.ok) {
        ctx.value = v.value;
        return;
      }
      ctx.issues.push({ code: "custom", input: ctx.value, params: { code: v.code }, message: v.message, ...(v.path ? { path: v.path } : {}) });
    });
}

/** Integer minor units, never negative, within ±2^53: `1099` = $10.99. */
export const amountField = codedField<number>(
  { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Integer minor units, e.g. 1099 = $10.99." },
  (v) =>
    isSafeMinor(v) && v >= 0
      ? { ok: true, value: v }
      : { ok: false, code: "amount_invalid", message: isSafeMinor(v) ? "must not be negative" : AMOUNT_MESSAGE },
);

/**
 * An amount whose currency is a sibling field (`unit_amount` beside `currency`). Only the shape is
 * checked here; the service checks the minor units against that currency with assertMinorUnits, so
 * `unit_amount: 80.5` in JPY is refused as "JPY has no minor unit" rather than as a generic float.
 */
export const amountInCurrencyField = codedField<number>(
  { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Integer minor units of the currency, e.g. 1099 = $10.99, 80 = ¥80." },
  (v) =>
    typeof v === "number" && Number.isFinite(v)
      ? v >= 0
        ? { ok: true, value: v }
        : { ok: false, code: "amount_invalid", message: "must not be negative" }
      : { ok: false, code: "amount_invalid", message: AMOUNT_MESSAGE },
);

/** A supported ISO 4217 code; either case is accepted and it is stored lower case ("usd"). */
export const currencyField = codedField<string>(
  { type: "string", enum: supportedCurrencies(), description: "Lowercase ISO 4217 currency code." },
  (v) =>
    isSupportedCurrency(v)
      ? { ok: true, value: v.toLowerCase() }
      : {
          ok: false,
          code: "currency_unsupported",
          message: 'must be a supported three-letter ISO 4217 code such as "usd", "aud" or "jpy"',
        },
);

/** Integer ≥ 0 (seat counts, units). */
export const quantityField = codedField<number>(
  { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  (v) =>
    typeof v === "number" && Number.isSafeInteger(v) && v >= 0
      ? { ok: true, value: v }
      : { ok: false, code: "out_of_range", message: "must be an integer of at least 0" },
);

export const NAME_MAX_LENGTH = 500;
/** Zero-width and bidi-control characters hide text from people reading names, invoices and exports. */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u0000-\u001F\u007F]/;

export const nameField = z
  .string()
  .max(NAME_MAX_LENGTH)
  .refine((s) => !INVISIBLE.test(s), {
    params: { code: "validation_failed" },
    message: "must not contain zero-width, bidirectional-control or control characters",
  });

export const emailField = z.email().max(254);

/** IANA zone names only ("America/Los_Angeles", "UTC"); returned in canonical case. */
export const timezoneField = codedField<string>(
  { type: "string", maxLength: 64, description: 'IANA time zone name, e.g. "America/Los_Angeles" or "UTC".', example: "Australia/Sydney" },
  (v) =>
    typeof v === "string" && isValidTimeZone(v)
      ? { ok: true, value: normalizeTimeZone(v) }
      : {
          ok: false,
          code: "timezone_invalid",
          message: 'must be an IANA time zone name such as "Australia/Sydney", "America/Los_Angeles" or "UTC" (abbreviations like "PST" are not accepted)',
        },
);

/** A customer's preferred locales, best first (BCP 47, as Stripe's `preferred_locales`); returned canonical ("de-de" → "de-DE"). */
export const preferredLocalesField = codedField<string[]>(
  { type: "array", items: { type: "string", maxLength: 35 }, maxItems: 5, description: "BCP 47 language tags, best first, e.g. [\"de-DE\", \"en\"]. Amounts and dates in the portal, hosted pages and emails follow the first one Tally supports; the business's locale otherwise." },
  (v) =>
    Array.isArray(v) && v.length <= 5 && v.every((t) => typeof t === "string" && t.length <= 35 && isLocaleTag(t))
      ? { ok: true, value: v.map((t: string) => Intl.getCanonicalLocales(t)[0]!) }
      : { ok: false, code: "validation_failed", message: "must be a list of at most 5 BCP 47 language tags, best first" },
);

export const METADATA_MAX_KEYS = 50;

/** Stripe-style metadata: up to 50 string keys (≤ 40 chars) with string values (≤ 500 chars). */
export const metadataField = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= METADATA_MAX_KEYS, {
    params: { code: "out_of_range" },
    message: `must have at most ${METADATA_MAX_KEYS} keys`,
  })
  .meta({ override: { maxProperties: METADATA_MAX_KEYS } });

export const EVENT_PROPERTIES_MAX = 50;
const PROPERTY_NAME_MAX = 100;
const PROPERTY_TEXT_MAX = 500;

/**
 * An event's properties (usage events and API costs): at most 50, each named by 1–100 characters,
 * each a string of at most 500 characters or a number. Checked in one pass over the object (the
 * batch endpoints check a thousand per request); a refusal names the property at fault.
 */
export const eventPropertiesField = codedField<Record<string, string | number>>(
  {
    type: "object",
    maxProperties: EVENT_PROPERTIES_MAX,
    propertyNames: { minLength: 1, maxLength: PROPERTY_NAME_MAX },
    additionalProperties: { oneOf: [{ type: "string", maxLength: PROPERTY_TEXT_MAX }, { type: "number" }] },
    description: `Up to ${EVENT_PROPERTIES_MAX} properties: names of 1–${PROPERTY_NAME_MAX} characters, values strings of at most ${PROPERTY_TEXT_MAX} characters or numbers.`,
  },
  (v) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return { ok: false, code: "validation_failed", message: "must be an object" };
    let count = 0;
    for (const name in v) {
      if (!Object.hasOwn(v, name)) continue;
      if (++count > EVENT_PROPERTIES_MAX) return { ok: false, code: "out_of_range", message: `must have at most ${EVENT_PROPERTIES_MAX} properties` };
      if (name.length === 0 || name.length > PROPERTY_NAME_MAX) return { ok: false, code: "validation_failed", message: `must have property names of 1 to ${PROPERTY_NAME_MAX} characters` };
      const value = (v as Record<string, unknown>)[name];
      const fits = typeof value === "number" ? Number.isFinite(value) : typeof value === "string" && value.length <= PROPERTY_TEXT_MAX;
      if (!fits) return { ok: false, code: "validation_failed", message: `must be a string of at most ${PROPERTY_TEXT_MAX} characters or a number`, path: [name] };
    }
    return { ok: true, value: v as Record<string, string | number> };
  },
);

/** A prefixed object id, e.g. idField("cus") accepts "cus_3kTz…". */
export function idField(prefix: string) {
  return z
    .string()
    .max(255)
    .regex(new RegExp(`^${prefix}_[0-9A-Za-z]+$`), { message: `must be an id starting with "${prefix}_"` })
    .meta({ example: `${prefix}_3kTzA9bQ2mX7` });
}

const ISO_DATE_TIME = z.iso.datetime({ offset: true });

/** An ISO 8601 date-time with a UTC offset ("2026-12-31T23:59:59Z"); impossible dates such as 02-30 are refused. */
export const dateTimeField = codedField<Date>(
  { type: "string", format: "date-time", example: "2026-12-31T23:59:59Z" },
  (v) =>
    typeof v === "string" && ISO_DATE_TIME.safeParse(v).success
      ? { ok: true, value: new Date(v) }
      : { ok: false, code: "date_invalid", message: 'must be an ISO 8601 date-time with an offset, e.g. "2026-12-31T23:59:59Z"' },
);
