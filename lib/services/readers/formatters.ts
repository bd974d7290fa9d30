import type { Executor } from "@/db/client";
import { formatterFor, pickLocale, type Formatter, type SupportedLocale } from "@/lib/format";
import { getSetting } from "../settings/settings";

/** The business's locale (Settings), for readers who have not chosen one. */
export function businessLocale(db: Executor): Promise<SupportedLocale> {
  return getSetting(db, "business.locale");
}

/**
 * The locale a customer reads in: the first of their `preferred_locales` Tally supports, else the
 * business's. Their own pages, hosted invoice and pay pages and emails all use it.
 */
export function customerLocale(customer: { preferredLocales: readonly string[] }, business: SupportedLocale): SupportedLocale {
  return pickLocale(customer.preferredLocales, business) ?? business;
}

/** A customer's formatter (dates in UTC unless a call names their zone, as before). */
export async function customerFormatter(db: Executor, customer: { preferredLocales: readonly string[] }): Promise<Formatter> {
  return formatterFor({ locale: customerLocale(customer, await businessLocale(db)) });
}

/** A staff member's locale: their own, else the first their browser asks for that Tally supports, else the business's. */
export function staffLocale(staff: { locale: string | null }, acceptLanguage: readonly string[], business: SupportedLocale): SupportedLocale {
  return pickLocale(staff.locale ? [staff.locale] : [], business) ?? pickLocale(acceptLanguage, business) ?? business;
}
