import type { TaxKind } from "./rates";

/**
 * What a tax provider (Stripe Tax, lib/payments/stripe/tax-calculation.ts) decided for a customer,
 * kept on the customer (`customers.provided_tax`) so invoices are planned without a network call
 * (decision 039, "Stripe Tax"). It holds for the place it was asked about: `place` is the key of the
 * customer's address, tax ids and exemption when it was asked (taxPlaceKey); once any of those
 * change, the engine no longer uses it until it is asked again.
 */
export interface ProvidedTax {
  provider: "stripe_tax";
  place: string;
  /** When the provider was asked (ISO 8601). */
  decidedAt: string;
  decision: ProvidedTaxDecision;
}

export type ProvidedTaxDecision =
  /** Charge at `percentage` (the sum of the jurisdictions the provider named, e.g. a US state and its county). */
  | { kind: "charge"; country: string; region: string | null; taxKind: TaxKind; percentage: string }
  | { kind: "reverse_charge"; country: string }
  | { kind: "none"; reason: string };

/** The facts a tax decision depends on, as one string: a decision holds while this stays the same. */
export function taxPlaceKey(customer: { address: { country?: string | null; state?: string | null; postal_code?: string | null; city?: string | null; line1?: string | null }; taxExempt: string; taxIds?: readonly { type: string; value: string }[]; currency: string }): string {
  const a = customer.address;
  const norm = (v: string | null | undefined) => (v ?? "").trim().toUpperCase();
  const ids = (customer.taxIds ?? []).map((t) => `${t.type}:${norm(t.value).replace(/\s+/g, "")}`).sort();
  return [norm(a.country), norm(a.state), norm(a.postal_code), norm(a.city), norm(a.line1), customer.taxExempt, customer.currency.toLowerCase(), ...ids].join("|");
}
