import type { TaxAmount } from "@/lib/billing/types";
import { exclusiveTax, formatDecimal, inclusiveTaxPortion, parseDecimal, shiftDecimal } from "@/lib/money";
import { localDateString } from "@/lib/time";
import type { TaxableCustomer, TaxCalculator } from "./port";
import { taxPlaceKey, type ProvidedTaxDecision } from "./provided";
import { BUILT_IN_RATES, CANADA_HST_PROVINCES, EU_MEMBER_STATES, type TaxRateRule } from "./rates";
import { validateTaxId } from "./tax-id";

/**
 * The tax engine (decision 039): which jurisdiction taxes a sale, at which rate on the invoice's
 * date, from the seller's registrations and the rate table. Pure: the settings and the day are
 * passed in, so a preview and the invoice read the same rule, and a finalized invoice keeps the
 * amounts it was issued with (they are stored on its lines; nothing here is asked again).
 *
 * - Tax is charged only where the seller is registered (a registration active on the invoice's day).
 * - The rate is the one in force on the invoice's UTC day for the customer's region, else its country;
 *   a stored rate wins over a shipped one (lib/tax/rates.ts).
 * - EU: a business customer (a well-formed VAT number of an EU member state, or `tax_exempt: reverse`)
 *   in another member state than the seller's is reverse-charged: an entry of 0 at rate 0 with
 *   `reverseCharge`, and the invoice carries REVERSE_CHARGE_WORDING. A consumer is taxed at its
 *   country's rate where the seller is registered there or under the One-Stop Shop (scheme `oss`),
 *   else at the seller's own member state's rate (distance sales under the EU threshold).
 * - An exempt customer (`tax_exempt: exempt`, with its certificate on file) is charged none.
 * - Rounding: per line, per jurisdiction, half away from zero (lib/money), on the line's amount after
 *   discounts; inclusive prices have the tax taken out of them (gross × r / (1 + r)), so net + tax =
 *   gross exactly.
 */

export type TaxScheme = "standard" | "oss";

export interface TaxRegistrationRule {
  country: string;
  /** A state or province; null registers the whole country. */
  region: string | null;
  scheme: TaxScheme;
  /** First day registered (YYYY-MM-DD); null: always (a new install's registration). */
  activeFrom: string | null;
}

export interface TaxSettings {
  rates: readonly TaxRateRule[];
  registrations: readonly TaxRegistrationRule[];
  /**
   * Who decides the rate: Tally's own tables, or Stripe Tax (`tax.provider`). With Stripe Tax the
   * customer's stored decision is used while it holds for the customer's current place; otherwise
   * (not yet asked, or the address changed since) the tables decide, as they would without it.
   */
  provider?: "tally" | "stripe_tax";
}

export const REVERSE_CHARGE_WORDING = "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC)";

/** The registration of a new install: its business country, since always. */
export function defaultRegistration(country: string): TaxRegistrationRule {
  return { country: country.toUpperCase(), region: null, scheme: "standard", activeFrom: null };
}

/**
 * The settings in force: the shipped rates under the stored ones, and the stored registrations plus
 * the install's default registration unless one for its country is stored (which then governs it).
 */
export function taxSettings(stored: { rates: readonly TaxRateRule[]; registrations: readonly TaxRegistrationRule[] }, defaultCountry: string): TaxSettings {
  const home = defaultCountry.toUpperCase();
  const registrations = stored.registrations.some((r) => r.country === home && r.region === null) ? stored.registrations : [defaultRegistration(home), ...stored.registrations];
  return { rates: [...stored.rates, ...BUILT_IN_RATES], registrations };
}

/** The shipped rates and a registration in `country` only: a new install. */
export function defaultTaxSettings(country = "AU"): TaxSettings {
  return taxSettings({ rates: [], registrations: [] }, country);
}

const inForce = (from: string | null, to: string | null, day: string) => (from === null || from <= day) && (to === null || day <= to);

/** The rate in force on `day` for exactly this country and region: a stored one first, then the latest to start. */
export function rateOn(rates: readonly TaxRateRule[], country: string, region: string | null, day: string): TaxRateRule | null {
  const candidates = rates.filter((r) => r.country === country && r.region === region && inForce(r.effectiveFrom, r.effectiveTo, day));
  candidates.sort((a, b) => Number(a.source === "built_in") - Number(b.source === "built_in") || (b.effectiveFrom ?? "").localeCompare(a.effectiveFrom ?? ""));
  return candidates[0] ?? null;
}

/** "20" (percent) → "0.2" (the fraction lib/money's rates are). */
export function percentageToRate(percentage: string): string {
  return formatDecimal(shiftDecimal(parseDecimal(percentage, "percentage"), -2));
}

/** How a jurisdiction is named on the line: "AU GST", "UK VAT", "DE VAT", "CA HST (ON)", "US sales tax (TX)". */
export function jurisdictionName(rate: Pick<TaxRateRule, "country" | "region" | "kind">): string {
  const place = rate.country === "GB" ? "UK" : rate.country;
  const kind = rate.kind === "vat" ? "VAT" : rate.kind === "sales_tax" ? "sales tax" : rate.country === "CA" && rate.region && CANADA_HST_PROVINCES.includes(rate.region) ? "HST" : "GST";
  return `${place} ${kind}${rate.region ? ` (${rate.region})` : ""}`;
}

function customerPlace(customer: TaxableCustomer): { country: string; region: string | null } {
  let country = (customer.address.country ?? "").trim().toUpperCase();
  // An address without a country, billed in Australian dollars, was always taken to be in Australia.
  if (country === "" && customer.currency.toLowerCase() === "aud") country = "AU";
  const state = (customer.address.state ?? "").trim().toUpperCase().replace(new RegExp(`^${country}-`), "");
  return { country, region: state || null };
}

/** The customer's EU VAT number when it has a well-formed one (lib/tax/tax-id.ts), else null. */
export function euVatNumber(customer: Pick<TaxableCustomer, "taxIds">): string | null {
  for (const id of customer.taxIds ?? []) {
    if (id.type !== "eu_vat") continue;
    const check = validateTaxId("eu_vat", id.value);
    if (check.ok) return check.value;
  }
  return null;
}

/** What the engine decided for a customer on a day: the rate to charge, a reverse charge, or nothing. */
export type TaxDecision = { kind: "charge"; rate: TaxRateRule } | { kind: "reverse_charge"; country: string } | { kind: "none"; reason: string };

export function decideTax(settings: TaxSettings, customer: TaxableCustomer, asOf: Date): TaxDecision {
  const provided = settings.provider === "stripe_tax" && customer.providedTax?.place === taxPlaceKey(customer) ? customer.providedTax.decision : null;
  if (provided) return fromProvider(provided);
  if (customer.taxExempt === "exempt") return { kind: "none", reason: "The customer is exempt." };
  const day = localDateString(asOf, "UTC");
  const { country, region } = customerPlace(customer);
  if (!country) return { kind: "none", reason: "The customer has no country." };
  const active = settings.registrations.filter((r) => r.activeFrom === null || r.activeFrom <= day);
  const charge = (c: string, r: string | null): TaxDecision => {
    const rate = (r ? rateOn(settings.rates, c, r, day) : null) ?? rateOn(settings.rates, c, null, day);
    if (!rate) return { kind: "none", reason: `No tax rate for ${c}${r ? `-${r}` : ""} on ${day}.` };
    if (!rate.saasTaxable) return { kind: "none", reason: `Software as a service is not taxed in ${c}${rate.region ? `-${rate.region}` : ""}.` };
    return { kind: "charge", rate };
  };
  const registeredIn = (c: string, r: string | null) => active.some((reg) => reg.country === c && (reg.region === null || reg.region === r));

  if (EU_MEMBER_STATES.includes(country)) {
    const euRegistrations = active.filter((reg) => EU_MEMBER_STATES.includes(reg.country));
    const home = euRegistrations.find((reg) => reg.scheme === "standard") ?? euRegistrations[0];
    if (!home) return { kind: "none", reason: "Not registered for VAT in the EU." };
    const business = customer.taxExempt === "reverse" || euVatNumber(customer) !== null;
    if (business && country !== home.country) return { kind: "reverse_charge", country };
    if (registeredIn(country, null)) return charge(country, null);
    if (!business && euRegistrations.some((reg) => reg.scheme === "oss")) return charge(country, null);
    return business ? { kind: "none", reason: `Not registered for VAT in ${country}.` } : charge(home.country, null);
  }
  if (customer.taxExempt === "reverse") return { kind: "none", reason: "The customer accounts for the tax (reverse charge)." };
  if (!registeredIn(country, region)) return { kind: "none", reason: `Not registered for tax in ${country}${region ? `-${region}` : ""}.` };
  return charge(country, region);
}

/** A provider's decision as the engine's: its rate is a rule of its own, named like the tables' rates. */
function fromProvider(decision: ProvidedTaxDecision): TaxDecision {
  if (decision.kind !== "charge") return decision;
  const { country, region, taxKind, percentage } = decision;
  return { kind: "charge", rate: { country, region, kind: taxKind, percentage, effectiveFrom: null, effectiveTo: null, saasTaxable: true, source: "stripe_tax" } };
}

/** The engine behind the tax port, for one set of settings. */
export function taxEngine(settings: TaxSettings): TaxCalculator {
  return {
    calculate({ customer, lines, asOf }) {
      const decision = decideTax(settings, customer, asOf);
      return lines.map((line): TaxAmount[] => {
        const inclusive = line.taxBehavior === "inclusive";
        if (decision.kind === "none") return [];
        if (decision.kind === "reverse_charge") return [{ amount: 0, rate: "0", jurisdiction: `${decision.country} VAT`, inclusive, reverseCharge: true }];
        const rate = percentageToRate(decision.rate.percentage);
        const amount = inclusive ? inclusiveTaxPortion(line.amount, rate) : exclusiveTax(line.amount, rate);
        return [{ amount, rate, jurisdiction: jurisdictionName(decision.rate), inclusive, reverseCharge: false }];
      });
    },
  };
}

/** Whether any line of an invoice is reverse-charged (its document then carries REVERSE_CHARGE_WORDING). */
export function isReverseCharged(lines: readonly { taxAmounts: readonly Pick<TaxAmount, "reverseCharge">[] }[]): boolean {
  return lines.some((l) => l.taxAmounts.some((t) => t.reverseCharge === true));
}
