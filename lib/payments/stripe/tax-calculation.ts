import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { addDecimal, formatDecimal, parseDecimal, ZERO_DECIMAL } from "@/lib/money";
import type { ProvidedTaxDecision } from "@/lib/tax/provided";
import type { TaxKind } from "@/lib/tax/rates";
import { stripeCall } from "./call";
import type { StripeDeps } from "./deps";

export interface TaxQuestion {
  /** Tally's customer id: names the calculation's idempotency key with the place and the day. */
  customerId: string;
  currency: string;
  address: { line1?: string | null; line2?: string | null; city?: string | null; state?: string | null; postal_code?: string | null; country?: string | null };
  taxIds: readonly { type: string; value: string }[];
  taxExempt: "none" | "exempt" | "reverse";
  /** The day the decision is for (the calculation's `tax_date`). */
  at: Date;
  /** Key of the facts asked about (lib/tax/provided.ts taxPlaceKey), so a changed place is a new question. */
  placeKey: string;
}

/** A probe amount: the decision (rate, jurisdiction, reverse charge) does not depend on it. */
const PROBE_AMOUNT = 100_000;
/** Stripe's tax code for software as a service, business use. */
const SAAS_TAX_CODE = "txcd_10103001";

/**
 * Stripe Tax's decision for a customer's place (`POST /v1/tax/calculations`, decision 039): one
 * calculation on a probe line, read back as the rate to charge (the jurisdictions it names summed,
 * e.g. a US state and its county), a reverse charge, or no tax with Stripe's reason. Tally keeps the
 * decision on the customer and does its own arithmetic per line, so an invoice needs no call to Stripe.
 */
export async function decideTaxWithStripe(deps: StripeDeps, q: TaxQuestion): Promise<ProvidedTaxDecision> {
  const day = q.at.toISOString().slice(0, 10);
  const idempotencyKey = `tax_${q.customerId}_${day}_${createHash("sha256").update(q.placeKey).digest("hex").slice(0, 16)}`;
  const params: Stripe.Tax.CalculationCreateParams = {
    currency: q.currency.toLowerCase(),
    line_items: [{ amount: PROBE_AMOUNT, reference: "tally-rate", tax_behavior: "exclusive", tax_code: SAAS_TAX_CODE }],
    customer_details: {
      address: { country: q.address.country?.toUpperCase() ?? "", ...compact({ line1: q.address.line1, line2: q.address.line2, city: q.address.city, state: q.address.state, postal_code: q.address.postal_code }) },
      address_source: "billing",
      tax_ids: q.taxIds.filter((t) => STRIPE_TAX_ID_TYPES.has(t.type)).map((t) => ({ type: t.type as Stripe.Tax.CalculationCreateParams.CustomerDetails.TaxId.Type, value: t.value })),
      taxability_override: q.taxExempt === "exempt" ? "customer_exempt" : q.taxExempt === "reverse" ? "reverse_charge" : "none",
    },
    tax_date: Math.floor(q.at.getTime() / 1000),
  };
  const calculation = await stripeCall(deps, "write", idempotencyKey, () => deps.stripe().tax.calculations.create(params, { idempotencyKey }), "ask Stripe Tax for the customer's rate");
  return decisionFromCalculation(calculation, q.address.country?.toUpperCase() ?? "");
}

/** How Stripe's answer reads as a decision (exported for its unit test). */
export function decisionFromCalculation(calculation: Pick<Stripe.Tax.Calculation, "tax_breakdown">, country: string): ProvidedTaxDecision {
  const entries = calculation.tax_breakdown;
  const reverse = entries.find((e) => e.taxability_reason === "reverse_charge");
  if (reverse) return { kind: "reverse_charge", country: reverse.tax_rate_details.country ?? country };
  const charged = entries.filter((e) => e.amount > 0 && e.tax_rate_details.rate_type !== "flat_amount");
  const first = charged[0];
  if (!first) return { kind: "none", reason: NO_TAX_REASONS[entries[0]?.taxability_reason ?? ""] ?? "Stripe Tax charges no tax here." };
  let percentage = ZERO_DECIMAL;
  for (const e of charged) percentage = addDecimal(percentage, parseDecimal(e.tax_rate_details.percentage_decimal, "percentage_decimal"));
  return {
    kind: "charge",
    country: (first.tax_rate_details.country ?? country).toUpperCase(),
    region: first.tax_rate_details.state?.toUpperCase() || null,
    taxKind: taxKindOf(first.tax_rate_details.tax_type),
    percentage: formatDecimal(percentage),
  };
}

function taxKindOf(type: string | null): TaxKind {
  if (type === "vat") return "vat";
  if (type === "gst" || type === "hst" || type === "jct" || type === "igst") return "gst";
  return "sales_tax";
}

const NO_TAX_REASONS: Record<string, string> = {
  not_collecting: "Stripe Tax: the business does not collect tax here (no registration in Stripe).",
  customer_exempt: "Stripe Tax: the customer is exempt.",
  not_subject_to_tax: "Stripe Tax: the sale is not subject to tax here.",
  product_exempt: "Stripe Tax: software as a service is exempt here.",
  zero_rated: "Stripe Tax: the sale is zero-rated here.",
  not_supported: "Stripe Tax does not support this place.",
};

/** Tally's tax id types that Stripe's `customer_details.tax_ids` takes as they are. */
const STRIPE_TAX_ID_TYPES = new Set(["au_abn", "nz_gst", "eu_vat", "gb_vat", "ca_bn", "ca_gst_hst", "us_ein", "ch_vat", "no_vat", "jp_cn", "sg_gst", "in_gst"]);

function compact<T extends Record<string, string | null | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as { [K in keyof T]?: string };
}

