import { describe, expect, it } from "vitest";
import { formatterFor } from "@/lib/format";
import { pdfPageTexts } from "./pdf-text";
import { renderReceiptPdf, type ReceiptDocumentInput } from "./receipt-pdf";

const input: ReceiptDocumentInput = {
  seller: { name: "Acme Pty Ltd", taxNumber: "51 824 753 556", addressLines: ["1 George St", "Sydney NSW 2000"], email: "billing@acme.test", brandColor: "#4f46e5" },
  receipt: { number: "RCT-000123", amount: 123456, currency: "aud", methodLabel: "Visa ending 4242", paidAt: new Date("2026-11-30T22:15:00Z") },
  invoices: [{ number: "TLY-000042", total: 123456, paid: 123456 }],
  receivedFrom: { name: "Łódź Ωmega 株式会社", email: "billing@lodz.test", address: { city: "Łódź", country: "PL" }, taxIds: [] },
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
    // Paid late on 30 Nov UTC is 1 December in Sydney, written as the customer's pages write a day.
    expect(text).toContain("Paid on 1 Dec 2026");
    expect(text).toContain("ABN 51 824 753 556");
    // The footer every Tally document has.
    expect(text).toContain("Acme Pty Ltd | ABN 51 824 753 556 | Receipt RCT-000123");
    expect(text).toContain("Page 1 of 1");
  });

  it("formats the amount and the day for the reader it is given, as their pages do", async () => {
    const reader = { locale: "de-DE", timeZone: "Australia/Sydney" };
    const [page] = await pdfPageTexts(await renderReceiptPdf({ ...input, ...reader, receipt: { ...input.receipt, currency: "eur", methodLabel: "Bank transfer (ref 7731)" } }));
    const flat = (text: string | undefined) => text?.replace(/\s+/g, " ");
    expect(flat(page)).toContain(flat(`Amount paid ${formatterFor(reader).money(123456, "eur")}`));
    expect(flat(page)).toContain(flat(`Paid on ${formatterFor(reader).date(input.receipt.paidAt)}`));
    expect(flat(page)).toContain("1.234,56 €");
    expect(flat(page)).toContain("Payment method Bank transfer (ref 7731)");
  });

  it("renders the same bytes for the same receipt", async () => {
    const a = await renderReceiptPdf(input);
    const b = await renderReceiptPdf(input);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
  });
});
