import { describe, expect, it } from "vitest";
import type { TaxId } from "@/db/schema";
import type { TaxAmount } from "@/lib/billing/types";
import { REVERSE_CHARGE_WORDING } from "@/lib/tax/engine";
import { input, line, texts } from "./test-fixtures";
import { taxContent, sellerTaxLabel } from "./tax-content";

/** One invoice per jurisdiction: what its PDF must say, and must not. */
interface Case {
  name: string;
  sellerTaxNumber: string;
  currency: string;
  tax: TaxAmount;
  amount?: number;
  buyer?: { name: string | null; taxIds: TaxId[] };
  says: string[];
  saysNot: string[];
  missing?: string[];
}

const gst = (amount: number): TaxAmount => ({ amount, rate: "0.1", jurisdiction: "AU GST", inclusive: false });
const cases: Case[] = [
  {
    name: "AU: a registered seller charging GST issues a tax invoice with its ABN and the GST amount",
    sellerTaxNumber: "51 824 753 556",
    currency: "aud",
    tax: gst(100),
    says: ["Tax invoice", "ABN 51 824 753 556", "GST (10%) $1.00", "BILL TO "],
    saysNot: ["Incomplete tax document", "BILL TO (RECIPIENT)"],
  },
  {
    name: "AU: from A$1,000 the buyer's identity and ABN are shown as the recipient",
    sellerTaxNumber: "51 824 753 556",
    currency: "aud",
    tax: gst(10_000),
    amount: 100_000,
    buyer: { name: "Big Buyer Pty Ltd", taxIds: [{ type: "au_abn", value: "12345678901", verified: true }] },
    says: ["Tax invoice", "BILL TO (RECIPIENT)", "Big Buyer Pty Ltd", "ABN 12 345 678 901", "GST (10%) $100.00"],
    saysNot: ["Incomplete tax document"],
  },
  {
    name: "AU: from A$1,000 a buyer with neither name nor ABN is flagged",
    sellerTaxNumber: "51 824 753 556",
    currency: "aud",
    tax: gst(10_000),
    amount: 100_000,
    buyer: { name: null, taxIds: [] },
    says: ["Incomplete tax document", "the buyer's name or ABN"],
    saysNot: [],
    missing: ["the buyer's name or ABN (a tax invoice of A$1,000 or more)"],
  },
  {
    name: "AU: a tax invoice without the seller's ABN is flagged in print",
    sellerTaxNumber: "",
    currency: "aud",
    tax: gst(100),
    says: ["Tax invoice", "Incomplete tax document", "This document does not show the seller's ABN"],
    saysNot: ["ABN 51"],
    missing: ["the seller's ABN"],
  },
  {
    name: "AU: an ABN failing its check digits counts as none",
    sellerTaxNumber: "51 824 753 557",
    currency: "aud",
    tax: gst(100),
    says: ["Incomplete tax document"],
    saysNot: [],
    missing: ["the seller's ABN"],
  },
  {
    name: "NZ: a tax invoice with the seller's GST number",
    sellerTaxNumber: "49-091-850",
    currency: "nzd",
    tax: { amount: 150, rate: "0.15", jurisdiction: "NZ GST", inclusive: false },
    says: ["Tax invoice", "GST number 49-091-850", "GST (15%) NZ$1.50"],
    saysNot: ["Incomplete tax document"],
  },
  {
    name: "UK: the seller's VAT number, and an invoice titled as such",
    sellerTaxNumber: "GB 123 4567 82",
    currency: "gbp",
    tax: { amount: 200, rate: "0.2", jurisdiction: "UK VAT", inclusive: false },
    says: ["Invoice", "VAT number GB 123 4567 82", "VAT (20%) £2.00"],
    saysNot: ["Tax invoice", "Incomplete tax document"],
  },
  {
    name: "UK: VAT charged without the seller's VAT number is flagged",
    sellerTaxNumber: "",
    currency: "gbp",
    tax: { amount: 200, rate: "0.2", jurisdiction: "UK VAT", inclusive: false },
    says: ["Incomplete tax document", "the seller's VAT number"],
    saysNot: [],
    missing: ["the seller's VAT number"],
  },
  {
    name: "EU: domestic VAT with the seller's VAT number",
    sellerTaxNumber: "IE6388047V",
    currency: "eur",
    tax: { amount: 230, rate: "0.23", jurisdiction: "IE VAT", inclusive: false },
    says: ["VAT number IE6388047V", "VAT (23%) €2.30"],
    saysNot: ["Reverse charge", "Incomplete tax document"],
  },
  {
    name: "EU: a reverse-charged sale shows both VAT numbers and Article 196, and no VAT row",
    sellerTaxNumber: "IE6388047V",
    currency: "eur",
    tax: { amount: 0, rate: "0", jurisdiction: "DE VAT", inclusive: false, reverseCharge: true },
    buyer: { name: "Beispiel GmbH", taxIds: [{ type: "eu_vat", value: "DE136695976", verified: false }] },
    says: ["VAT number IE6388047V", "Beispiel GmbH", "VAT number DE136695976", REVERSE_CHARGE_WORDING],
    saysNot: ["VAT (0%)", "Incomplete tax document"],
  },
  {
    name: "EU: a reverse charge without the buyer's VAT number is flagged",
    sellerTaxNumber: "IE6388047V",
    currency: "eur",
    tax: { amount: 0, rate: "0", jurisdiction: "DE VAT", inclusive: false, reverseCharge: true },
    buyer: { name: "Beispiel GmbH", taxIds: [] },
    says: [REVERSE_CHARGE_WORDING, "Incomplete tax document"],
    saysNot: [],
    missing: ["the buyer's VAT number (a reverse-charged invoice)"],
  },
  {
    name: "No tax: an invoice, nothing required",
    sellerTaxNumber: "",
    currency: "usd",
    tax: { amount: 0, rate: "0", jurisdiction: "US sales tax (TX)", inclusive: false },
    says: ["Invoice"],
    saysNot: ["Tax invoice", "Incomplete tax document"],
  },
];

describe("each jurisdiction's required content on the invoice PDF", { timeout: 30_000 }, () => {
  it.each(cases)("$name", async (c) => {
    const amount = c.amount ?? 1000;
    const lines = [line({ amount, unitAmount: amount, taxAmounts: [c.tax] })];
    const total = amount + (c.tax.inclusive ? 0 : c.tax.amount);
    const buyer = c.buyer ?? { name: "Casey Customer", taxIds: [] };
    const doc = input(
      { currency: c.currency, lines, subtotal: amount, tax: c.tax.amount, total, amountDue: total, amountRemaining: total },
      { seller: { name: "Seller Ltd", taxNumber: c.sellerTaxNumber }, billTo: { ...buyer, email: "buyer@example.com", address: {} } },
    );
    const content = taxContent({ lines, sellerTaxNumber: c.sellerTaxNumber, buyer, total, currency: c.currency });
    expect(content.missing).toEqual(c.missing ?? []);
    const text = (await texts(doc)).join(" ");
    for (const s of c.says) expect(text).toContain(s);
    for (const s of c.saysNot) expect(text).not.toContain(s);
  });

  it("prints the seller's tax number the way its kind is written", () => {
    expect(sellerTaxLabel("")).toBeNull();
    expect(sellerTaxLabel("51 824 753 556")).toBe("ABN 51 824 753 556");
    expect(sellerTaxLabel("IE6388047V")).toBe("VAT number IE6388047V");
    expect(sellerTaxLabel("GB123456782")).toBe("VAT number GB 123 4567 82");
    expect(sellerTaxLabel("49091850")).toBe("GST number 49-091-850");
    expect(sellerTaxLabel("12-3456789")).toBe("12-3456789");
  });
});
