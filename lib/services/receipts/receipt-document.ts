import type { Executor } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { findInvoice } from "@/db/queries/invoices";
import type { ReceiptRow } from "@/db/queries/receipts";
import { pdfDownload } from "@/lib/documents/pdf-download";
import { receiptPdfFileName, renderReceiptPdf } from "@/lib/documents/receipt-pdf";
import { sellerFromSettings } from "@/lib/documents/seller";
import { billToOf } from "@/lib/services/privacy/bill-to";
import { documentLocale } from "@/lib/documents/pdf-response";

/**
 * A receipt's PDF: its invoice's number and total, the customer as the invoice
 * names them (its bill-to, so an erased customer's receipt no longer names them), the seller from the
 * business settings, dates in the customer's time zone.
 */
export async function receiptPdf(db: Executor, receipt: ReceiptRow): Promise<{ filename: string; bytes: Uint8Array }> {
  const [invoice, customer, seller] = await Promise.all([findInvoice(db, receipt.invoiceId), findCustomer(db, receipt.customerId), sellerFromSettings(db)]);
  const billTo = invoice ? await billToOf(db, invoice) : null;
  const bytes = await renderReceiptPdf({
    seller,
    receipt: { number: receipt.number, amount: receipt.amount, currency: receipt.currency, methodLabel: receipt.methodLabel, paidAt: receipt.paidAt },
    invoices: invoice ? [{ number: invoice.number ?? invoice.id, total: invoice.total, paid: receipt.amount }] : [],
    customer: { name: billTo?.name ?? customer?.name ?? null, email: billTo?.email ?? customer?.email ?? "" },
    locale: await documentLocale(db, customer),
    timeZone: customer?.timezone ?? "UTC",
  });
  return { filename: receiptPdfFileName(receipt.number), bytes };
}

/** The receipt's PDF as a download (`Content-Disposition: attachment; filename="RCT-000123.pdf"`); callers have checked who may see it. */
export async function receiptPdfResponse(db: Executor, receipt: ReceiptRow): Promise<Response> {
  const { filename, bytes } = await receiptPdf(db, receipt);
  return pdfDownload(bytes, filename);
}
