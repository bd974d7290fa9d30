import { inflateSync } from "node:zlib";
import fc from "fast-check";
import { PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { invoicePdfFileName, isTaxInvoice, renderInvoicePdf, taxSummary, type InvoicePdfInput, type PdfLine } from "./pdf";

/** Every string drawn on each page, in drawing order (pdf-lib writes text as `<hex> Tj`). */
async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const texts: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const refs = contents ? ("asArray" in contents ? contents.asArray() : [contents]) : [];
    let text = "";
    for (const ref of refs) {
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const filter = stream.dict.get(PDFName.of("Filter"));
      const raw = filter === PDFName.of("FlateDecode") ? inflateSync(Buffer.from(stream.contents)) : Buffer.from(stream.contents);
      for (const m of raw.toString("latin1").matchAll(/<([0-9A-Fa-f]*)> Tj/g)) text += `${Buffer.from(m[1] ?? "", "hex").toString("latin1")}\n`;
    }
    texts.push(text);
  }
  return texts;
}

const line = (over: Partial<PdfLine> = {}): PdfLine => ({
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

function input(over: Partial<InvoicePdfInput["invoice"]> = {}, rest: Partial<InvoicePdfInput> = {}): InvoicePdfInput {
  const lines = over.lines ?? [line()];
  return {
    seller: { name: "Acme Learning Pty Ltd", taxId: "ABN 51 824 753 556", addressLines: ["1 George St", "Sydney NSW 2000"], email: "billing@acme.example" },
    billTo: { name: "Casey Customer", email: "casey@example.com", address: { line1: "5 Pitt St", city: "Sydney", state: "NSW", postal_code: "2000", country: "AU" }, taxIds: [{ type: "au_abn", value: "12 345 678 901", verified: true }] },
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

describe("invoice PDF", () => {
  it("is a PDF pdf-lib can load, with the number, the total, the bill-to and GST wording of an inclusive AU invoice", async () => {
    const bytes = await renderInvoicePdf(input());
    expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe("Tax invoice TLY-000123");
    const [text = ""] = await pageTexts(bytes);
    expect(text).toContain("Tax invoice");
    expect(text).toContain("TLY-000123");
    expect(text).toContain("ABN 51 824 753 556");
    expect(text).toContain("Casey Customer");
    expect(text).toContain("5 Pitt St");
    expect(text).toContain("AU ABN 12 345 678 901");
    expect(text).toMatch(/Total\n\$10\.00/);
    expect(text).toContain("GST (10%) included in the total\n$0.91");
    expect(text).toMatch(/Amount due\n\$10\.00/);
    expect(text).toContain("1 Mar 2026 - 1 Apr 2026");
    expect(text).toContain("Pay online: https://billing.example/i/tok");
    expect(text).toContain("Page 1 of 1");
  });

  it("shows exclusive tax as its own row, discounts, prorations, credit notes and the amount paid", async () => {
    const lines = [
      line({ description: "Pro (monthly)", unitAmount: 3000, amount: 3000, discountAmount: 300, taxAmounts: [{ amount: 270, rate: "0.1", jurisdiction: "AU GST", inclusive: false }] }),
      line({ description: "Unused time on Starter", unitAmount: null, amount: -500, proration: true, taxAmounts: [{ amount: -50, rate: "0.1", jurisdiction: "AU GST", inclusive: false }] }),
    ];
    const bytes = await renderInvoicePdf(
      input(
        { lines, status: "paid", subtotal: 2500, discountTotal: 300, tax: 220, total: 2420, amountDue: 2420, amountPaid: 2000, amountRemaining: 0, amountCredited: 420, paidAt: new Date("2026-03-02T00:00:00Z") },
        { creditNotes: [{ number: "CN-000007", createdAt: new Date("2026-03-05T00:00:00Z"), amount: 420, outcome: "refund", status: "issued" }] },
      ),
    );
    const [text = ""] = await pageTexts(bytes);
    expect(text).toContain("GST (10%)\n$2.20");
    expect(text).not.toContain("included");
    expect(text).toContain("Discounts\n-$3.00");
    expect(text).toContain("Proration: unused time credited");
    expect(text).toContain("-$5.00");
    expect(text).toContain("Credit notes\n-$4.20");
    expect(text).toContain("CN-000007");
    expect(text).toContain("Refunded to the card");
    expect(text).toMatch(/Amount paid\n\$20\.00/);
    expect(text).toContain("Paid 2 Mar 2026");
    // Nothing is owed: no payment link.
    expect(text).not.toContain("Pay online");
  });

  it("an invoice below the minimum card charge says its amount was carried to the balance; the next one shows the carried amount it collects", async () => {
    const carried = (await pageTexts(await renderInvoicePdf(input({ lines: [line({ amount: 30, unitAmount: 30, taxAmounts: [{ amount: 3, rate: "0.1", jurisdiction: "AU GST", inclusive: true }] })], subtotal: 30, tax: 3, total: 30, amountDue: 30, status: "paid", paidAt: new Date("2026-03-01T00:00:00Z"), amountRemaining: 0, carriedToBalance: 30 })))).join("");
    expect(carried).toContain("Added to your balance");
    // The note wraps: compare it without line breaks.
    expect(carried.replace(/\n/g, " ")).toContain("$0.30 is less than the smallest amount a card can be charged ($0.50), so it was not charged. It was added to your account balance and will be collected with your next invoice.");
    const next = (await pageTexts(await renderInvoicePdf(input({ debitApplied: 30, amountDue: 1030, amountRemaining: 1030 })))).join("");
    expect(next).toContain("Carried from earlier invoices");
    expect(next).toContain("$10.30");
    expect(next).not.toContain("Added to your balance");
  });

  it("says Invoice (not Tax invoice) without GST, and prints JPY and KWD with their own decimals", async () => {
    const jpy = await pageTexts(await renderInvoicePdf(input({ currency: "jpy", subtotal: 8000, tax: 0, total: 8000, amountDue: 8000, amountRemaining: 8000, lines: [line({ unitAmount: 8000, amount: 8000, taxAmounts: [] })] })));
    expect(jpy[0]).toContain("Invoice");
    expect(jpy[0]).not.toContain("Tax invoice");
    expect(jpy[0]).toMatch(/Total\nJP¥8,000\n/);
    const kwd = await pageTexts(await renderInvoicePdf(input({ currency: "kwd", subtotal: 1234, tax: 0, total: 1234, amountDue: 1234, amountRemaining: 1234, lines: [line({ unitAmount: 1234, amount: 1234, taxAmounts: [] })] })));
    expect(kwd[0]).toMatch(/Total\nKWD\s1\.234\n/);
  });

  it("never throws on characters the standard fonts lack, and breaks long invoices across pages with the table header repeated", async () => {
    const many = Array.from({ length: 60 }, (_, i) => line({ description: `Seat ${i + 1} for 田中 — a long description that wraps across more than one line of the description column`, taxAmounts: [] }));
    const bytes = await renderInvoicePdf(input({ lines: many, tax: 0 }, { billTo: { name: "Zoë 田中", email: "z@example.jp", address: {}, taxIds: [] } }));
    const texts = await pageTexts(bytes);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts[0]).toContain("Zoë ??");
    expect(texts[1]).toContain("TLY-000123 (continued)");
    expect(texts[1]).toContain("Description");
    expect(texts.at(-1)).toContain(`Page ${texts.length} of ${texts.length}`);
    expect(texts.join("")).toContain("Seat 60");
  });

  it("prints the business's own footer and brand colour", async () => {
    const bytes = await renderInvoicePdf(input({}, { seller: { name: "Acme", taxId: null, footer: "Pay by bank transfer to BSB 062-000 account 1234 5678.", brandColor: "#0F766E" } }));
    const [text = ""] = await pageTexts(bytes);
    expect(text).toContain("Pay by bank transfer to BSB 062-000 account 1234 5678.");
    expect(text).toContain("Acme  |  Tax invoice TLY-000123");
  });

  it("renders the same bytes for the same invoice (no clock inside)", async () => {
    const a = await renderInvoicePdf(input());
    const b = await renderInvoicePdf(input());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("sums tax per jurisdiction and rate exactly, and words rates without floats", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 20 }), (amounts) => {
        const lines = amounts.map((amount) => ({ taxAmounts: [{ amount, rate: "0.1", jurisdiction: "AU GST", inclusive: true }] }));
        const rows = taxSummary(lines);
        expect(rows).toEqual([{ label: "GST (10%) included", amount: amounts.reduce((s, n) => s + n, 0) }]);
      }),
    );
    expect(taxSummary([{ taxAmounts: [{ amount: 5, rate: "0.0825", jurisdiction: "US TX", inclusive: false }, { amount: 7, rate: "0.2", jurisdiction: "UK VAT", inclusive: false }] }])).toEqual([
      { label: "TX (8.25%)", amount: 5 },
      { label: "VAT (20%)", amount: 7 },
    ]);
    expect(isTaxInvoice([{ taxAmounts: [] }])).toBe(false);
  });

  it("names the download after the invoice number, with nothing a header could be broken by", () => {
    expect(invoicePdfFileName("TLY-000123")).toBe("TLY-000123.pdf");
    expect(invoicePdfFileName('A"B\r\n/C')).toBe("A_B___C.pdf");
  });
});
