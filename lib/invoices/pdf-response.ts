import type { Executor } from "@/db/client";
import { listInvoiceCreditNotes } from "@/db/queries/credit-notes";
import { findCustomer } from "@/db/queries/customers";
import type { InvoiceWithLines } from "@/db/queries/invoices";
import { appUrl } from "@/lib/env";
import { billToOf } from "@/lib/services/privacy/bill-to";
import { getSetting } from "@/lib/services/settings/settings";
import { abnInTaxNumber } from "@/lib/tax/seller-abn";
import { invoicePdfFileName, renderInvoicePdf, type PdfSeller } from "./pdf";

/** The business on its invoices, from the console's business profile and branding settings. */
export async function sellerFromSettings(db: Executor): Promise<PdfSeller> {
  const profile = await getSetting(db, "business.profile");
  const branding = await getSetting(db, "business.branding");
  return {
    name: profile.name,
    // An 11-digit number is an Australian Business Number, which a tax invoice must show as such.
    taxId: !profile.taxNumber ? null : abnInTaxNumber(profile.taxNumber) ? `ABN ${profile.taxNumber}` : profile.taxNumber,
    addressLines: profile.address.split(/\r?\n|,\s*/).map((l) => l.trim()).filter(Boolean),
    email: profile.supportEmail || null,
    footer: profile.invoiceFooter || null,
    brandColor: branding.brandColor,
  };
}

/**
 * The invoice as a PDF download (`Content-Disposition: attachment; filename="TLY-000123.pdf"`).
 * Callers have already checked who may see it; drafts have no number and no PDF.
 */
export async function invoicePdfResponse(db: Executor, invoice: InvoiceWithLines): Promise<Response> {
  if (!invoice.number || !invoice.finalizedAt || invoice.status === "draft") throw new Error("a draft invoice has no PDF");
  const [billTo, customer, creditNotes] = await Promise.all([billToOf(db, invoice), findCustomer(db, invoice.customerId), listInvoiceCreditNotes(db, invoice.id)]);
  const bytes = await renderInvoicePdf({
    seller: await sellerFromSettings(db),
    invoice: { ...invoice, number: invoice.number, finalizedAt: invoice.finalizedAt },
    billTo,
    creditNotes,
    timeZone: customer?.timezone ?? "UTC",
    hostedUrl: `${appUrl()}/i/${invoice.hostedToken}`,
  });
  return new Response(Buffer.from(bytes), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${invoicePdfFileName(invoice.number)}"`,
      "content-length": String(bytes.byteLength),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
