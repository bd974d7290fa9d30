import type { Executor } from "@/db/client";
import { listInvoiceCreditNotes } from "@/db/queries/credit-notes";
import { findCustomer } from "@/db/queries/customers";
import type { InvoiceWithLines } from "@/db/queries/invoices";
import { appUrl } from "@/lib/env";
import { billToOf } from "@/lib/services/privacy/bill-to";
import { invoicePdfFileName, renderInvoicePdf, type PdfSeller } from "./pdf";

/**
 * The business on its invoices. Set TALLY_BUSINESS_NAME, TALLY_BUSINESS_TAX_ID (printed as given,
 * e.g. "ABN 51 824 753 556"), TALLY_BUSINESS_ADDRESS (lines separated by "|") and
 * TALLY_BUSINESS_EMAIL; without them the invoice says "Tally".
 */
export function sellerFromEnv(): PdfSeller {
  const split = (v: string | undefined) => (v ?? "").split("|").map((s) => s.trim()).filter(Boolean);
  return {
    name: process.env.TALLY_BUSINESS_NAME?.trim() || "Tally",
    taxId: process.env.TALLY_BUSINESS_TAX_ID?.trim() || null,
    addressLines: split(process.env.TALLY_BUSINESS_ADDRESS),
    email: process.env.TALLY_BUSINESS_EMAIL?.trim() || null,
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
    seller: sellerFromEnv(),
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
