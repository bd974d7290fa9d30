import { describe, expect, it } from "vitest";
import { REVERSE_CHARGE_WORDING } from "@/lib/tax/engine";
import { renderCreditNotePdf, type CreditNoteDocumentInput } from "./credit-note-pdf";
import { pdfPageTexts } from "./pdf-text";

function note(over: Partial<CreditNoteDocumentInput> = {}): CreditNoteDocumentInput {
  return {
    seller: { name: "Acme Learning Pty Ltd", taxNumber: "51 824 753 556", footer: "Questions? billing@acme.example" },
    creditNote: {
      number: "CN-000007",
      createdAt: new Date("2026-03-05T00:00:00Z"),
      amount: 1100,
      tax: 100,
      currency: "aud",
      reason: "order_change",
      outcome: "refund",
      status: "issued",
      memo: "Seat removed mid-month.",
      lines: [{ description: "Pro (monthly)", amount: 1100, tax: 100 }],
    },
    invoice: { number: "TLY-000123", finalizedAt: new Date("2026-03-01T00:00:00Z"), total: 3300, lines: [{ taxAmounts: [{ amount: 300, rate: "0.1", jurisdiction: "AU GST", inclusive: false }] }] },
    billTo: { name: "Łódź Ωmega 株式会社", email: "casey@example.com", address: { country: "AU" }, taxIds: [] },
    locale: "en-AU",
    timeZone: "Australia/Sydney",
    ...over,
  };
}

const text = async (input: CreditNoteDocumentInput) => (await pdfPageTexts(await renderCreditNotePdf(input))).join(" ").replace(/\s+/g, " ");

describe("credit note PDF", { timeout: 20_000 }, () => {
  it("adjusts an Australian tax invoice: adjustment note, the seller's ABN, the invoice it adjusts and the GST credited", async () => {
    const t = await text(note());
    expect(t).toContain("Adjustment note");
    expect(t).toContain("Credit note number CN-000007");
    expect(t).toContain("Adjusts tax invoice TLY-000123");
    expect(t).toContain("ABN 51 824 753 556");
    expect(t).toContain("Łódź Ωmega 株式会社");
    expect(t).toContain("Pro (monthly) −$1.00 −$11.00");
    expect(t).toContain("GST credited −$1.00");
    expect(t).toContain("Total credited −$11.00");
    expect(t).toContain("Order changed. Refunded to the card.");
    expect(t).toContain("Seat removed mid-month.");
    expect(t).toContain("Acme Learning Pty Ltd | ABN 51 824 753 556 | Credit note CN-000007 Page 1 of 1");
  });

  it("on a reverse-charged EU invoice: a credit note with both VAT numbers and Article 196; a void one is stamped", async () => {
    const t = await text(
      note({
        seller: { name: "Seller Ltd", taxNumber: "IE6388047V" },
        creditNote: { ...note().creditNote, currency: "eur", tax: 0, amount: 1000, status: "void", lines: [{ description: "Consulting", amount: 1000, tax: 0 }] },
        invoice: { number: "INV-9", finalizedAt: new Date("2026-03-01T00:00:00Z"), total: 1000, lines: [{ taxAmounts: [{ amount: 0, rate: "0", jurisdiction: "DE VAT", inclusive: false, reverseCharge: true }] }] },
        billTo: { name: "Beispiel GmbH", email: "b@example.de", address: { country: "DE" }, taxIds: [{ type: "eu_vat", value: "DE136695976", verified: false }] },
      }),
    );
    expect(t).toContain("Credit note");
    expect(t).not.toContain("Adjustment note");
    expect(t).toContain("Adjusts invoice INV-9");
    expect(t).toContain("VAT number IE6388047V");
    expect(t).toContain("VAT number DE136695976");
    expect(t).toContain(REVERSE_CHARGE_WORDING);
    expect(t).toContain("VOID");
    expect(t).toContain("This credit note is void.");
  });

  it("flags a missing seller ABN, and renders the same bytes twice", async () => {
    const input = note({ seller: { name: "Acme", taxNumber: "" } });
    expect(await text(input)).toContain("This document does not show the seller's ABN");
    expect(Buffer.from(await renderCreditNotePdf(input)).equals(Buffer.from(await renderCreditNotePdf(input)))).toBe(true);
  });
});
