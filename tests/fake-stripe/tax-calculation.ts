/**
 * The fake's Stripe Tax (`POST /v1/tax/calculations`): a small, fixed table shaped like Stripe's
 * answers, enough to tell Stripe's decision from Tally's own tables in tests. Rates here are the
 * fake's, chosen to differ from Tally's where a test needs to see which one was used (US states,
 * which Tally ships no rates for; a county rate split from its state's, as Stripe reports them).
 */
type Json = Record<string, unknown>;

interface Entry {
  state: string | null;
  type: string;
  pct: string;
}

const EU = new Set(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]);
const COUNTRY_RATES: Record<string, Entry[]> = {
  AU: [{ state: null, type: "gst", pct: "10.0" }],
  NZ: [{ state: null, type: "gst", pct: "15.0" }],
  GB: [{ state: null, type: "vat", pct: "20.0" }],
  DE: [{ state: null, type: "vat", pct: "19.0" }],
  FR: [{ state: null, type: "vat", pct: "20.0" }],
  IE: [{ state: null, type: "vat", pct: "23.0" }],
};
const US_RATES: Record<string, Entry[]> = {
  // Washington: the state's rate and a local one, as two jurisdictions.
  WA: [
    { state: "WA", type: "sales_tax", pct: "6.5" },
    { state: "WA", type: "sales_tax", pct: "3.6" },
  ],
  TX: [{ state: "TX", type: "sales_tax", pct: "6.25" }],
};
const NOT_TAXED_US = new Set(["CA", "FL"]);

function taxFor(country: string, state: string): { reason: string; entries: Entry[] } {
  if (country === "US") {
    if (US_RATES[state]) return { reason: "standard_rated", entries: US_RATES[state] };
    if (NOT_TAXED_US.has(state)) return { reason: "product_exempt", entries: [] };
    return { reason: "not_collecting", entries: [] };
  }
  if (country === "CA") return state === "ON" ? { reason: "standard_rated", entries: [{ state: "ON", type: "hst", pct: "13.0" }] } : { reason: "standard_rated", entries: [{ state: null, type: "gst", pct: "5.0" }] };
  const rates = COUNTRY_RATES[country];
  return rates ? { reason: "standard_rated", entries: rates } : { reason: "not_collecting", entries: [] };
}

export function taxCalculation(params: Json, id: string, created: number): Json {
  const details = (params.customer_details ?? {}) as Json;
  const address = (details.address ?? {}) as Record<string, string>;
  const country = String(address.country ?? "").toUpperCase();
  const state = String(address.state ?? "").toUpperCase();
  const taxIds = (Array.isArray(details.tax_ids) ? details.tax_ids : []) as { type: string; value: string }[];
  const override = String(details.taxability_override ?? "none");
  const items = (params.line_items ?? []) as { amount: string; tax_behavior?: string }[];
  const taxable = items.reduce((sum, i) => sum + Number(i.amount), 0);
  const inclusive = items[0]?.tax_behavior === "inclusive";
  const zero = (reason: string, type = "vat") => [{ amount: 0, inclusive, taxability_reason: reason, taxable_amount: 0, tax_rate_details: { country, flat_amount: null, percentage_decimal: "0.0", rate_type: "percentage", state: state || null, tax_type: type } }];
  let breakdown: Json[];
  if (override === "customer_exempt") breakdown = zero("customer_exempt");
  else if (override === "reverse_charge" || (EU.has(country) && taxIds.some((t) => t.type === "eu_vat"))) breakdown = zero("reverse_charge");
  else {
    const { reason, entries } = taxFor(country, state);
    breakdown =
      entries.length === 0
        ? zero(reason, "sales_tax")
        : entries.map((e) => ({
            amount: Math.round((taxable * Number(e.pct)) / 100),
            inclusive,
            taxability_reason: reason,
            taxable_amount: taxable,
            tax_rate_details: { country, flat_amount: null, percentage_decimal: e.pct, rate_type: "percentage", state: e.state, tax_type: e.type },
          }));
  }
  const tax = breakdown.reduce((sum, b) => sum + Number(b.amount), 0);
  return {
    id,
    object: "tax.calculation",
    amount_total: taxable + (inclusive ? 0 : tax),
    currency: String(params.currency),
    customer: null,
    customer_details: { address, address_source: details.address_source ?? "billing", ip_address: null, tax_ids: taxIds, taxability_override: override },
    expires_at: created + 90 * 86_400,
    livemode: false,
    ship_from_details: null,
    shipping_cost: null,
    tax_amount_exclusive: inclusive ? 0 : tax,
    tax_amount_inclusive: inclusive ? tax : 0,
    tax_breakdown: breakdown,
    tax_date: Number(params.tax_date ?? created),
  };
}
