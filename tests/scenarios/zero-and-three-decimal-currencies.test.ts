import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sandboxCharges } from "@/db/schema";
import { parseMajor, toMajorString } from "@/lib/money";
import { formatMoney } from "@/lib/format/money";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { clockCustomer, invoiceView, invoicesOf, paymentsOfInvoice } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * R13: currencies with 0 and 3 decimals. Amounts are integer minor units of the currency: ¥980 is
 * 980 (not 98000), KWD 3.500 is 3500 fils. Neither customer is in Australia, so no GST: tax 0,
 * total = subtotal. Each is billed at signup and renewed three times; every amount — line,
 * invoice, payment, gateway charge — is the same integer, and formats and parses back exactly.
 */
const cases = [
  // Tokyo is UTC+9 without DST: 1 Jun 2027 09:00 JST = 00:00Z.
  { currency: "jpy", timezone: "Asia/Tokyo", country: "JP", amount: 980, start: "2027-06-01T00:00:00.000Z", display: "JP¥980", major: "980", boundaries: ["2027-06-01T00:00:00.000Z", "2027-07-01T00:00:00.000Z", "2027-08-01T00:00:00.000Z", "2027-09-01T00:00:00.000Z", "2027-10-01T00:00:00.000Z"] },
  // Kuwait is UTC+3 without DST: 1 Jun 2027 09:00 AST = 06:00Z.
  { currency: "kwd", timezone: "Asia/Kuwait", country: "KW", amount: 3500, start: "2027-06-01T06:00:00.000Z", display: "KWD 3.500", major: "3.500", boundaries: ["2027-06-01T06:00:00.000Z", "2027-07-01T06:00:00.000Z", "2027-08-01T06:00:00.000Z", "2027-09-01T06:00:00.000Z", "2027-10-01T06:00:00.000Z"] },
] as const;

describe("scenario: JPY and KWD renewals", () => {
  it.each(cases)("$currency $major a month, tax-exclusive with no tax: four invoices of exactly $amount minor units", inBothApplyModes(async (c) => {
    const { ctx, customerId, advance } = await clockCustomer(new Date(c.start), { currency: c.currency, timezone: c.timezone, country: c.country });
    const { priceId } = await makePlan(ctx.db, { code: `basic-${c.currency}`, name: "Basic", unitAmount: c.amount, currency: c.currency, taxBehavior: "exclusive" });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    await advance(new Date(new Date(c.boundaries[3]).getTime() + 86_400_000));

    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map(invoiceView)).toEqual(
      [0, 1, 2, 3].map((i) => ({
        billingReason: i === 0 ? "subscription_create" : "subscription_cycle",
        status: "paid",
        periodStart: c.boundaries[i],
        periodEnd: c.boundaries[i + 1],
        subtotal: c.amount,
        discountTotal: 0,
        tax: 0,
        total: c.amount,
        creditApplied: 0,
        amountDue: c.amount,
        amountPaid: c.amount,
        lines: [{ description: "Basic", amount: c.amount, quantity: 1, proration: false, periodStart: c.boundaries[i], periodEnd: c.boundaries[i + 1], tax: 0 }],
      })),
    );
    for (const inv of invoices) {
      expect(inv.currency).toBe(c.currency);
      expect(inv.lines[0]?.taxAmounts).toEqual([]);
      expect(inv.lines[0]?.unitAmount).toBe(c.amount);
      const payments = await paymentsOfInvoice(inv.id);
      expect(payments.map((p) => [p.status, p.amount, p.currency])).toEqual([["succeeded", c.amount, c.currency]]);
      // What the gateway was asked to charge is the same integer in the same currency.
      const [charge] = await ctx.db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, payments[0]!.idempotencyKey));
      expect(charge).toBeDefined();
      expect(Number.isInteger(inv.total)).toBe(true);
    }
    // Intl separates the code from the number with a no-break space.
    expect(formatMoney(invoices[3]!.total, c.currency, "en-AU").replace(/\u00a0/g, " ")).toBe(c.display);
    expect(toMajorString(invoices[3]!.total, c.currency)).toBe(c.major);
    expect(parseMajor(toMajorString(invoices[3]!.total, c.currency), c.currency)).toBe(c.amount);
  }));
});
