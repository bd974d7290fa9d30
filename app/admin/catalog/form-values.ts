import { AppError } from "@/lib/errors";
import { MoneyError, normalizeCurrency, parseMajor } from "@/lib/money";

/** Console form values → service input; every refusal names the form's field. */

/** "35" or "35.00" in the currency → minor units. */
export function minorUnits(value: string | undefined, currency: string, param: string): number {
  const trimmed = (value ?? "").trim().replace(/,/g, "");
  if (!trimmed) throw new AppError("amount_invalid", { param, userMessage: "Enter an amount, e.g. 35.00." });
  try {
    const minor = parseMajor(trimmed, currency, param);
    if (minor < 0) throw new AppError("amount_invalid", { param, userMessage: "The amount must not be negative." });
    return minor;
  } catch (error) {
    if (error instanceof MoneyError) throw new AppError("amount_invalid", { param, userMessage: `${error.message.replace(param, "The amount")}.` });
    throw error;
  }
}

export function currencyCode(value: string | undefined, param = "currency"): string {
  try {
    return normalizeCurrency((value ?? "").trim().toLowerCase(), param);
  } catch (error) {
    if (error instanceof MoneyError || error instanceof AppError) throw new AppError("currency_unsupported", { param, userMessage: "Enter a three-letter currency code, e.g. AUD." });
    throw error;
  }
}

export function wholeNumber(value: string | undefined, param: string, opts: { min: number; max: number; optional?: false }): number;
export function wholeNumber(value: string | undefined, param: string, opts: { min: number; max: number; optional: true }): number | null;
export function wholeNumber(value: string | undefined, param: string, opts: { min: number; max: number; optional?: boolean }): number | null {
  const trimmed = (value ?? "").trim();
  if (!trimmed && opts.optional) return null;
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < opts.min || Number(trimmed) > opts.max) {
    throw new AppError("out_of_range", { param, userMessage: `Enter a whole number from ${opts.min} to ${opts.max}.` });
  }
  return Number(trimmed);
}

/** A YYYY-MM-DD date field → the end of that day in UTC (the console's time zone); empty → null. */
export function endOfDayUtc(value: string | undefined, param: string): Date | null {
  const trimmed = (value ?? "").trim();
  if (!trimmed) return null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? new Date(`${trimmed}T23:59:59Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new AppError("date_invalid", { param, userMessage: "Enter a date, e.g. 2027-12-31." });
  return date;
}

/** Run a service call and move its errors' params onto the form's field names. */
export async function withFieldNames<T>(names: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.param && names[error.param]) {
      throw new AppError(error.code, { userMessage: error.userMessage, param: names[error.param] });
    }
    throw error;
  }
}

/**
 * A meter's filters as typed: one property per line, `region = au, nz` (only events whose region is
 * au or nz count). Blank lines are skipped; an empty field means no filters.
 */
export function meterFilters(value: string | undefined, param: string): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  const lines = (value ?? "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    const match = /^([^=\s][^=]*?)\s*=\s*(.+)$/.exec(line);
    const values = match ? match[2]!.split(",").map((v) => v.trim()).filter(Boolean) : [];
    if (!match || values.length === 0) {
      throw new AppError("validation_failed", { param, userMessage: `Write each filter as “property = value, value”, e.g. region = au, nz (line “${line.slice(0, 40)}”).` });
    }
    filters[match[1]!] = [...new Set([...(filters[match[1]!] ?? []), ...values])];
  }
  if (Object.keys(filters).length > 20) throw new AppError("out_of_range", { param, userMessage: "A meter takes at most 20 filtered properties." });
  return filters;
}
