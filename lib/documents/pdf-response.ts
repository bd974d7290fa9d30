import type { Executor } from "@/db/client";
import { listInvoiceCreditNotes, type CreditNoteWithLines } from "@/db/queries/credit-notes";
import { findCustomer } from "@/db/queries/customers";
import { findInvoice, type InvoiceWithLines } from "@/db/queries/invoices";
import type { ReceiptRow } from "@/db/queries/receipts";
import { problemResponse } from "@/lib/api/problem";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { randomToken } from "@/lib/ids";
import { log } from "@/lib/observability/logger";
import { billToOf } from "@/lib/services/privacy/bill-to";
import { customerFormatter } from "@/lib/services/readers/formatters";
import { getSetting } from "@/lib/services/settings/settings";
import { creditNoteTaxContent, renderCreditNotePdf } from "./credit-note-pdf";
import { invoiceTaxContent, renderInvoicePdf } from "./invoice-pdf";
import { documentFileName } from "./parts";
import { pdfDownload } from "./pdf-download";
import { renderReceiptPdf } from "./receipt-pdf";
import { sellerFromSettings } from "./seller";
import { missingWords } from "./tax-content";

/**
 * The locale a customer's documents are written in, whoever downloads them: the customer's own
 * (preferred_locales), else the business's.
 */
export async function documentLocale(db: Executor, customer: { preferredLocales: readonly string[] } | null | undefined): Promise<string> {
  return (await customerFormatter(db, customer ?? { preferredLocales: [] })).locale;
}

/**
 * Invoices, credit notes and receipts as PDF downloads (`Content-Disposition: attachment; filename="TLY-000123.pdf"`).
 * Callers have already checked who may see the document; drafts have no number and no PDF. A document
 * lacking the tax content its jurisdiction requires is printed with a notice, or refused with a 409
 * naming what is missing when the business's `documents.missing_tax_number` setting says so.
 */

export async function invoicePdfResponse(db: Executor, invoice: InvoiceWithLines): Promise<Response> {
  if (!invoice.number || !invoice.finalizedAt || invoice.status === "draft") throw new Error("a draft invoice has no PDF");
  const [parties, creditNotes] = await Promise.all([partiesOf(db, invoice), listInvoiceCreditNotes(db, invoice.id)]);
  const input = {
    ...parties.document,
    invoice: { ...invoice, number: invoice.number, finalizedAt: invoice.finalizedAt },
    creditNotes,
    hostedUrl: `${appUrl()}/i/${invoice.hostedToken}`,
  };
  const { missing, title } = invoiceTaxContent(input);
  return respond(parties.policy, `${title} ${invoice.number}`, missing, { invoice_id: invoice.id }, () => renderInvoicePdf(input), invoice.number);
}

export async function creditNotePdfResponse(db: Executor, note: CreditNoteWithLines): Promise<Response> {
  const invoice = await findInvoice(db, note.invoiceId);
  if (!invoice?.number || !invoice.finalizedAt) throw new Error("a credit note adjusts a finalized invoice");
  const parties = await partiesOf(db, invoice);
  const input = {
    ...parties.document,
    creditNote: note,
    invoice: { number: invoice.number, finalizedAt: invoice.finalizedAt, total: invoice.total, lines: invoice.lines },
  };
  const { missing } = creditNoteTaxContent(input);
  return respond(parties.policy, `Credit note ${note.number}`, missing, { credit_note_id: note.id }, () => renderCreditNotePdf(input), note.number);
}

/**
 * A receipt's PDF and its file name (the receipt email attaches it). It names the payer as the invoice
 * it paid names them (its bill-to, so an erased customer's receipt no longer names them). A receipt
 * is not a tax document: no tax content is required of it.
 */
export async function receiptPdf(db: Executor, receipt: ReceiptRow): Promise<{ filename: string; bytes: Uint8Array }> {
  const invoice = await findInvoice(db, receipt.invoiceId);
  if (!invoice) throw new Error("a receipt is for an invoice");
  const { billTo, ...document } = await documentParties(db, invoice);
  const bytes = await renderReceiptPdf({ ...document, receivedFrom: billTo, receipt, invoices: [{ number: invoice.number ?? invoice.id, total: invoice.total, paid: receipt.amount }] });
  return { filename: documentFileName(receipt.number), bytes };
}

export async function receiptPdfResponse(db: Executor, receipt: ReceiptRow): Promise<Response> {
  const { filename, bytes } = await receiptPdf(db, receipt);
  return pdfDownload(bytes, filename);
}

/** Who an invoice's documents are from and to, and in whose locale and zone. */
async function documentParties(db: Executor, invoice: InvoiceWithLines) {
  const [billTo, customer, seller] = await Promise.all([billToOf(db, invoice), findCustomer(db, invoice.customerId), sellerFromSettings(db)]);
  return { seller, billTo, locale: await documentLocale(db, customer), timeZone: customer?.timezone ?? "UTC" };
}

/** The document's parties, and the business's policy on missing tax numbers. */
async function partiesOf(db: Executor, invoice: InvoiceWithLines) {
  const [document, policy] = await Promise.all([documentParties(db, invoice), getSetting(db, "documents.missing_tax_number")]);
  return { policy, document };
}

/** The PDF, or, when it lacks required tax content, a 409 (policy refuse) or the PDF with a logged warning (flag). */
async function respond(policy: "flag" | "refuse", document: string, missing: readonly string[], subject: Record<string, string>, render: () => Promise<Uint8Array>, number: string): Promise<Response> {
  if (missing.length > 0) {
    if (policy === "refuse") return incomplete(document, missing);
    log.warn({ ...subject, missing }, `${document} is printed without ${missingWords(missing)} (setting documents.missing_tax_number: flag)`);
  }
  return pdfDownload(await render(), documentFileName(number));
}

/** 409 problem: the document cannot be issued as a valid tax document until the business adds what is missing. */
function incomplete(document: string, missing: readonly string[]): Response {
  const detail = `${document} cannot be produced: it must show ${missingWords(missing)}. Add it in Settings → Business profile (or set incomplete tax documents to be flagged instead of refused).`;
  return problemResponse(new AppError("conflict", { userMessage: detail, extra: { missing } }), `req_${randomToken(24)}`);
}
