import { describe, expect, it } from "vitest";
import { pdfPageTexts } from "./pdf-text";
import { receiptPdfFileName, renderReceiptPdf, type ReceiptPdfInput } from "./receipt-pdf";

const input: ReceiptPdfInput = {
  seller: { name: "Acme Pty Ltd", taxNumber: "51 824 753 556", addressLines: ["1 George St", "Sydney NSW 2000"], email: "billing@acme.test", brandColor: "#4f46e5" },
  receipt: { number: "RCT-000123", amount: 123456, currency: "aud", methodLabel: "Visa ending 4242", paidAt: new Date("2026-11-30T22:15:00Z") },
  invoices: [{ number: "TLY-000042", total: 123456, paid: 123456 }],
  customer: { name: "Łódź Ωmega 株式会社", email: "billing@lodz.test" },
  locale: "en-AU",
  timeZone: "Australia/Sydney",
};

describe("receipt PDF", () => {
  it("says the number, amount, method, invoice, date and customer, in the customer's script", async () => {
    const [page] = await pdfPageTexts(await renderReceiptPdf(input));
    const text = page?.replace(/\s+/g, " ") ?? "";
    expect(text).toContain("Receipt");
    expect(text).toContain("RCT-000123");
    expect(text).toContain("$1,234.56");
    expect(text).toContain("Visa ending 4242");
    expect(text).toContain("TLY-000042");
    expect(text).toContain("Łódź Ωmega 株式会社");
    // Paid late on 30 Nov UTC is 1 December in Sydney.
    expect(text).toContain("1 December 2026");
    expect(text).toContain("ABN 51 824 753 556");
  });

  it("formats the amount in the locale it is given", async () => {
    const [page] = await pdfPageTexts(await renderReceiptPdf({ ...input, locale: "de-DE", receipt: { ...input.receipt, currency: "eur", methodLabel: "Bank transfer (ref 7731)" } }));
    expect(page?.replace(/\s+/g, " ")).toContain("1.234,56 €");
    expect(page).toContain("Payment method: Bank transfer (ref 7731)");
  });

  it("renders the same bytes for the same receipt", async () => {
    const a = await renderReceiptPdf(input);
    const b = await renderReceiptPdf(input);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
  });

  it("names the file after the receipt", () => {
    expect(receiptPdfFileName("RCT-000123")).toBe("RCT-000123.pdf");
    expect(receiptPdfFileName("2027/RCT 7")).toBe("2027-RCT-7.pdf");
  });
});
