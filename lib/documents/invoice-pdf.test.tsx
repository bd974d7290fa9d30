import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderInvoicePdf } from "./invoice-pdf";
import { documentFileName } from "./parts";
import { chargesAustralianGst, taxSummary } from "./tax-content";
import { input, line, texts } from "./test-fixtures";

describe("invoice PDF", { timeout: 20_000 }, () => {
  it("is a PDF with the number, the total, the bill-to and the GST wording of an inclusive AU tax invoice", async () => {
    const bytes = await renderInvoicePdf(input());
    expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const pages = await texts(bytes);
    expect(pages).toHaveLength(1);
    const [text = ""] = pages;
    expect(text).toContain("Tax invoice");
    expect(text).toContain("Invoice number TLY-000123");
    expect(text).toContain("ABN 51 824 753 556");
    expect(text).toContain("Casey Customer");
    expect(text).toContain("5 Pitt St");
    expect(text).toContain("ABN 12 345 678 901");
    expect(text).toContain("Total $10.00");
    expect(text).toContain("GST (10%) included in the total $0.91");
    expect(text).toContain("Amount due $10.00");
    expect(text).toContain("Service period 1 Mar 2026 – 1 Apr 2026");
    expect(text).toContain("Pay online: https://billing.example/i/tok");
    expect(text).toContain("Acme Learning Pty Ltd | ABN 51 824 753 556 | Tax invoice TLY-000123 Page 1 of 1");
    expect(text).not.toContain("Incomplete tax document");
  });

  it("prints a Polish, Greek and Japanese customer name as written", async () => {
    const [text = ""] = await texts(input({}, { billTo: { name: "Łódź Ωmega 株式会社", email: "kontakt@example.pl", address: { city: "Łódź", country: "PL" }, taxIds: [] } }));
    expect(text).toContain("Łódź Ωmega 株式会社");
    expect(text).not.toContain("?");
  });

  it("shows exclusive tax as its own row, discounts, prorations, credit notes, the amount paid and a PAID stamp", async () => {
    const lines = [
      line({ description: "Pro (monthly)", unitAmount: 3000, amount: 3000, discountAmount: 300, taxAmounts: [{ amount: 270, rate: "0.1", jurisdiction: "AU GST", inclusive: false }] }),
      line({ description: "Unused time on Starter", unitAmount: null, amount: -500, proration: true, taxAmounts: [{ amount: -50, rate: "0.1", jurisdiction: "AU GST", inclusive: false }] }),
    ];
    const [text = ""] = await texts(
      input(
        { lines, status: "paid", subtotal: 2500, discountTotal: 300, tax: 220, total: 2420, amountDue: 2420, amountPaid: 2000, amountRemaining: 0, amountCredited: 420, paidAt: new Date("2026-03-02T00:00:00Z") },
        { creditNotes: [{ number: "CN-000007", createdAt: new Date("2026-03-05T00:00:00Z"), amount: 420, outcome: "refund", status: "issued" }] },
      ),
    );
    expect(text).toContain("GST (10%) $2.20");
    expect(text).not.toContain("included");
    expect(text).toContain("Discounts −$3.00");
    expect(text).toContain("Discount −$3.00");
    expect(text).toContain("Proration: unused time credited");
    expect(text).toContain("−$5.00");
    expect(text).toContain("Credit notes −$4.20");
    expect(text).toContain("CN-000007 5 Mar 2026 Refunded to the card −$4.20");
    expect(text).toContain("Amount paid $20.00");
    expect(text).toContain("Status Paid 2 Mar 2026");
    expect(text).toContain("PAID");
    // Nothing is owed: no payment link.
    expect(text).not.toContain("Pay online");
  });

  it("stamps a void invoice VOID and owes nothing on it", async () => {
    const [text = ""] = await texts(input({ status: "void", voidedAt: new Date("2026-03-04T00:00:00Z") }));
    expect(text).toContain("VOID");
    expect(text).toContain("Status Void 4 Mar 2026");
    expect(text).toContain("Amount due (void) $0.00");
    expect(text).not.toContain("Pay online");
  });

  it("an invoice below the minimum card charge says its amount was carried to the balance; the next one shows the carried amount it collects", async () => {
    const carried = (await texts(input({ lines: [line({ amount: 30, unitAmount: 30, taxAmounts: [{ amount: 3, rate: "0.1", jurisdiction: "AU GST", inclusive: true }] })], subtotal: 30, tax: 3, total: 30, amountDue: 30, status: "paid", paidAt: new Date("2026-03-01T00:00:00Z"), amountRemaining: 0, carriedToBalance: 30 }))).join(" ");
    expect(carried).toContain("Added to your balance $0.30");
    expect(carried).toContain("$0.30 is less than the smallest amount a card can be charged ($0.50), so it was not charged. It was added to your account balance and will be collected with your next invoice.");
    const next = (await texts(input({ debitApplied: 30, amountDue: 1030, amountRemaining: 1030 }))).join(" ");
    expect(next).toContain("Carried from earlier invoices $0.30");
    expect(next).toContain("Amount due $10.30");
    expect(next).not.toContain("Added to your balance");
  });

  it("says Invoice (not Tax invoice) without GST, and prints JPY and KWD with their own decimals", async () => {
    const [jpy = ""] = await texts(input({ currency: "jpy", subtotal: 8000, tax: 0, total: 8000, amountDue: 8000, amountRemaining: 8000, lines: [line({ unitAmount: 8000, amount: 8000, taxAmounts: [] })] }));
    expect(jpy).toContain("Invoice");
    expect(jpy).not.toContain("Tax invoice");
    expect(jpy).toContain("Total JP¥8,000");
    const [kwd = ""] = await texts(input({ currency: "kwd", subtotal: 1234, tax: 0, total: 1234, amountDue: 1234, amountRemaining: 1234, lines: [line({ unitAmount: 1234, amount: 1234, taxAmounts: [] })] }));
    expect(kwd).toMatch(/Total KWD\s1\.234/);
  });

  it("formats money and dates in the locale it is given", async () => {
    const [text = ""] = await texts(input({ currency: "eur", lines: [line({ unitAmount: 123456, amount: 123456, taxAmounts: [] })], subtotal: 123456, total: 123456, tax: 0, amountDue: 123456, amountRemaining: 123456 }, { locale: "de-DE" }));
    expect(text).toContain("1.234,56 €");
    // (pdf.js reads the z of "März" in this font subset as "+"; pdftotext and the rendered page show "März".)
    expect(text).toContain("– 1. Apr. 2026");
  });

  it("breaks long invoices across pages with the table header and the document's name repeated", async () => {
    const many = Array.from({ length: 30 }, (_, i) => line({ description: `Seat ${i + 1} for 田中 — a long description that wraps across more than one line of the description column`, taxAmounts: [] }));
    const pages = await texts(input({ lines: many, tax: 0 }, { billTo: { name: "Zoë 田中", email: "z@example.jp", address: {}, taxIds: [] } }));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toContain("Zoë 田中");
    expect(pages[1]).toContain("Invoice TLY-000123 (continued)");
    expect(pages[1]).toContain("Description Qty Unit price Amount");
    expect(pages.at(-1)).toContain(`Page ${pages.length} of ${pages.length}`);
    expect(pages.join(" ")).toContain("Seat 30");
  }, 20_000);

  it("prints the business's own footer", async () => {
    const [text = ""] = await texts(input({}, { seller: { name: "Acme", taxNumber: "51 824 753 556", footer: "Pay by bank transfer to BSB 062-000 account 1234 5678.", brandColor: "#0F766E" } }));
    expect(text).toContain("Pay by bank transfer to BSB 062-000 account 1234 5678.");
    expect(text).toContain("Acme | ABN 51 824 753 556 | Tax invoice TLY-000123");
  });

  it("renders the same bytes for the same invoice (no clock inside)", async () => {
    const a = await renderInvoicePdf(input({ status: "paid", paidAt: new Date("2026-03-02T00:00:00Z") }));
    const b = await renderInvoicePdf(input({ status: "paid", paidAt: new Date("2026-03-02T00:00:00Z") }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("sums tax per jurisdiction and rate exactly, and words rates without floats", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 20 }), (amounts) => {
        const lines = amounts.map((amount) => ({ taxAmounts: [{ amount, rate: "0.1", jurisdiction: "AU GST", inclusive: true }] }));
        expect(taxSummary(lines)).toEqual([{ label: "GST (10%) included", amount: amounts.reduce((s, n) => s + n, 0), inclusive: true }]);
      }),
    );
    expect(taxSummary([{ taxAmounts: [{ amount: 5, rate: "0.0825", jurisdiction: "US TX", inclusive: false }, { amount: 7, rate: "0.2", jurisdiction: "UK VAT", inclusive: false }] }])).toEqual([
      { label: "TX (8.25%)", amount: 5, inclusive: false },
      { label: "VAT (20%)", amount: 7, inclusive: false },
    ]);
    expect(chargesAustralianGst([{ taxAmounts: [] }])).toBe(false);
  });

  it("names the download after the document number, with nothing a header could be broken by", () => {
    expect(documentFileName("TLY-000123")).toBe("TLY-000123.pdf");
    expect(documentFileName('A"B\r\n/C')).toBe("A_B___C.pdf");
  });
});
