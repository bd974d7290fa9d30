import { renderInvoicePdf, type InvoiceDocumentInput, type InvoiceDocumentLine } from "./invoice-pdf";
import { pdfPageTexts } from "./pdf-text";

/** Fixtures for the document tests: an AU invoice of A$10.00 with GST included, and its text. */

export const line = (over: Partial<InvoiceDocumentLine> = {}): InvoiceDocumentLine => ({
  description: "Starter (monthly)",
  quantity: 1,
  unitAmount: 1000,
  amount: 1000,
  periodStart: new Date("2026-03-01T00:00:00Z"),
  periodEnd: new Date("2026-04-01T00:00:00Z"),
  proration: false,
  discountAmount: 0,
  taxAmounts: [{ amount: 91, rate: "0.1", jurisdiction: "AU GST", inclusive: true }],
  ...over,
});

export function input(over: Partial<InvoiceDocumentInput["invoice"]> = {}, rest: Partial<InvoiceDocumentInput> = {}): InvoiceDocumentInput {
  const lines = over.lines ?? [line()];
  return {
    seller: { name: "Acme Learning Pty Ltd", taxNumber: "51 824 753 556", addressLines: ["1 George St", "Sydney NSW 2000"], email: "billing@acme.example" },
    billTo: { name: "Casey Customer", email: "casey@example.com", address: { line1: "5 Pitt St", city: "Sydney", state: "NSW", postal_code: "2000", country: "AU" }, taxIds: [{ type: "au_abn", value: "12345678901", verified: true }] },
    locale: "en-AU",
    timeZone: "Australia/Sydney",
    hostedUrl: "https://billing.example/i/tok",
    invoice: {
      number: "TLY-000123",
      status: "open",
      currency: "aud",
      finalizedAt: new Date("2026-03-01T00:00:00Z"),
      dueDate: new Date("2026-03-31T00:00:00Z"),
      paidAt: null,
      voidedAt: null,
      periodStart: new Date("2026-03-01T00:00:00Z"),
      periodEnd: new Date("2026-04-01T00:00:00Z"),
      subtotal: 1000,
      discountTotal: 0,
      tax: 91,
      total: 1000,
      creditApplied: 0,
      debitApplied: 0,
      amountDue: 1000,
      amountPaid: 0,
      amountRemaining: 1000,
      carriedToBalance: 0,
      amountCredited: 0,
      ...over,
      lines,
    },
    ...rest,
  };
}

/** Each page's text with runs of white space as one space. */
export async function texts(doc: InvoiceDocumentInput | Uint8Array): Promise<string[]> {
  const bytes = doc instanceof Uint8Array ? doc : await renderInvoicePdf(doc);
  return (await pdfPageTexts(bytes)).map((t) => t.replace(/\s+/g, " "));
}

