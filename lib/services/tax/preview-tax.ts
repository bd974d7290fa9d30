import { desc } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { customers } from "@/db/schema";
import { buildInvoice } from "@/lib/billing/invoices/build-invoice";
import type { InvoiceDraft } from "@/lib/billing/types";
import { AppError } from "@/lib/errors";
import { normalizeCurrency, parseMajor } from "@/lib/money";
import { decideTax, isReverseCharged, REVERSE_CHARGE_WORDING, taxEngine, type TaxDecision } from "@/lib/tax/engine";
import type { TaxableCustomer, TaxBehavior } from "@/lib/tax/port";
import { loadTaxSettings } from "./tax-settings";

/**
 * The console's tax preview: what an invoice of one line would charge a sample customer (a stored
 * one, or a country, region, business or consumer and VAT number), with the settings in force,
 * through the invoice engine itself (buildInvoice), so the preview is what an invoice would say.
 */
export interface TaxPreviewInput {
  customerId?: string;
  country?: string;
  region?: string;
  /** A business (with `vatNumber`) or a consumer. */
  buyer?: "business" | "consumer";
  vatNumber?: string;
  currency: string;
  /** Major units, as typed: "100.00". */
  amount: string;
  behavior: TaxBehavior;
}

export interface TaxPreview {
  customerLabel: string;
  invoice: InvoiceDraft;
  decision: TaxDecision;
  /** The words a reverse-charged invoice carries; null when it is not reverse-charged. */
  wording: string | null;
}

export async function previewTax(db: Executor, input: TaxPreviewInput, at: Date): Promise<TaxPreview> {
  const stored = input.customerId ? await findCustomer(db, input.customerId) : undefined;
  if (input.customerId && !stored) throw new AppError("not_found", { param: "customer", userMessage: "No such customer." });
  const currency = normalizeCurrency(stored?.currency ?? input.currency, "currency");
  const amount = parseMajor(input.amount.trim(), currency, "amount");
  const country = (input.country ?? "").trim().toUpperCase();
  if (!stored && !/^[A-Z]{2}$/.test(country)) throw new AppError("validation_failed", { param: "country", userMessage: "Pick a customer, or enter a two-letter country code." });
  const vat = input.vatNumber?.trim() ?? "";
  const customer: TaxableCustomer & { creditBalance: number } = stored
    ? { ...stored, creditBalance: 0 }
    : {
        address: { country, state: input.region?.trim() || null },
        currency,
        taxExempt: "none",
        taxIds: input.buyer === "business" && vat ? [{ type: "eu_vat", value: vat }] : [],
        creditBalance: 0,
      };
  if (!stored && input.buyer === "business" && !vat) customer.taxExempt = "reverse";
  const settings = await loadTaxSettings(db);
  const invoice = buildInvoice({
    customer,
    currency,
    lines: [{ description: "Sample line", amount, quantity: 1, unitAmount: amount, periodStart: null, periodEnd: null, proration: false, priceId: null, planId: null, taxBehavior: input.behavior }],
    discount: null,
    taxCalculator: taxEngine(settings),
    asOf: at,
  });
  const label = stored ? (stored.name ?? stored.email) : `${input.buyer === "business" ? "A business" : "A consumer"} in ${country}${input.region?.trim() ? `-${input.region.trim().toUpperCase()}` : ""}${vat ? ` (VAT ${vat})` : ""}`;
  return { customerLabel: label, invoice, decision: decideTax(settings, customer, at), wording: isReverseCharged(invoice.lines) ? REVERSE_CHARGE_WORDING : null };
}

/** Recent customers to pick a sample from. */
export async function sampleCustomers(db: Executor, limit = 25): Promise<{ id: string; label: string }[]> {
  const rows = await db.select({ id: customers.id, name: customers.name, email: customers.email, address: customers.address }).from(customers).orderBy(desc(customers.createdAt)).limit(limit);
  return rows.map((r) => ({ id: r.id, label: `${r.name ?? r.email}${r.address.country ? ` · ${r.address.country.toUpperCase()}` : ""}` }));
}
