import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { previewSubscriptionUpdate } from "@/lib/services/subscriptions/preview";
import { updateSubscription, type UpdateSubscriptionInput } from "@/lib/services/subscriptions/update-subscription";
import { balanceOf, clockCustomer, draftMoney, invoiceMoney, invoiceView, invoicesOf, paymentsOfInvoice, pricedLine, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * Pro monthly (A$29.00) ↔ Pro annual (A$290.00), both GST-inclusive, Sydney.
 *
 * Monthly → annual on 11 Jun 2027 09:00 AEST (2027-06-10T23:00Z), 10 days into
 * 1 Jun → 1 Jul (30 days). An interval change restarts the cycle today:
 *   credit −2900 × 20/30 = −1933.33 → −1933, GST −175.73 → −176
 *   annual 29000 for 11 Jun 2027 → 11 Jun 2028 (2028-06-10T23:00Z), GST 2636.36 → 2636
 *   invoice now 27067, GST 2460; the new anchor is 11 Jun 09:00.
 *
 * Annual → monthly on 11 Jul 2027 09:00 AEST (2027-07-10T23:00Z), create_prorations — an interval
 * change is invoiced now whatever the proration behaviour:
 *   the annual period is 366 days (29 Feb 2028 is in it) = 31 622 400 s; 336 days are unused
 *   credit −29000 × 336/366 = −26622.95 → −26623, GST −2420.27 → −2420
 *   monthly 2900 for 11 Jul → 11 Aug, GST 264
 *   −23723 in all: total 0, and 23723 goes to the customer's balance.
 * The balance then pays the monthly renewals on the 11th: 8 × 2900 = 23200 in full (balance
 * 23723 → 523), and on 11 Apr 2028 523 of 2900, the card 2377. From 11 May the card pays it all.
 * Sydney moves to AEDT (UTC+11) on 3 Oct 2027 and back on 2 Apr 2028, so 09:00 local is 22:00Z
 * from October to March.
 */
const START = new Date("2027-05-31T23:00:00Z");
const JUN11 = "2027-06-10T23:00:00.000Z";
const JUL1 = "2027-06-30T23:00:00.000Z";
const JUL11 = "2027-07-10T23:00:00.000Z";
const JUN11_2028 = "2028-06-10T23:00:00.000Z";
/** 09:00 Sydney on the 11th of each month from Aug 2027 to Jun 2028. */
const ELEVENTHS = [
  "2027-08-10T23:00:00.000Z",
  "2027-09-10T23:00:00.000Z",
  "2027-10-10T22:00:00.000Z",
  "2027-11-10T22:00:00.000Z",
  "2027-12-10T22:00:00.000Z",
  "2028-01-10T22:00:00.000Z",
  "2028-02-10T22:00:00.000Z",
  "2028-03-10T22:00:00.000Z",
  "2028-04-10T23:00:00.000Z",
  "2028-05-10T23:00:00.000Z",
  "2028-06-10T23:00:00.000Z",
];

describe("scenario: interval changes monthly ↔ annual", () => {
  it("restarts the cycle each time, credits unused time, and lets the excess credit pay later renewals", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const monthly = await makePlan(ctx.db, { code: "pro-m", name: "Pro", unitAmount: 2900 });
    const annual = await makePlan(ctx.db, { code: "pro-y", name: "Pro (annual)", interval: "year", unitAmount: 29_000 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: monthly.priceId, quantity: 1 }] });

    // Monthly → annual, now.
    await advance(JUN11);
    const toAnnual: UpdateSubscriptionInput = { items: [{ priceId: annual.priceId, quantity: 1 }], prorationBehavior: "always_invoice", effective: "now" };
    const annualPreview = await previewSubscriptionUpdate(ctx, subscription.id, toAnnual);
    const { invoice: annualInvoice } = await updateSubscription(ctx, subscription.id, toAnnual);
    let invoices = await invoicesOf(subscription.id);
    expect(invoices[1]!.id).toBe(annualInvoice?.id);
    expect(annualPreview.lines.map(pricedLine)).toEqual(invoices[1]!.lines.map(pricedLine));
    expect(annualPreview.invoiceNow && draftMoney(annualPreview.invoiceNow)).toEqual(invoiceMoney(invoices[1]!));
    expect(annualPreview.amountDueNow).toBe(27_067);
    let sub = await subscriptionRow(subscription.id);
    expect(sub.billingCycleAnchor.toISOString()).toBe(JUN11);
    expect(sub.currentPeriodStart.toISOString()).toBe(JUN11);
    expect(sub.currentPeriodEnd.toISOString()).toBe(JUN11_2028);

    // Annual → monthly a month later, with create_prorations: still invoiced now.
    await advance(JUL11);
    const toMonthly: UpdateSubscriptionInput = { items: [{ priceId: monthly.priceId, quantity: 1 }], prorationBehavior: "create_prorations", effective: "now" };
    const monthlyPreview = await previewSubscriptionUpdate(ctx, subscription.id, toMonthly);
    const { invoice: monthlyInvoice } = await updateSubscription(ctx, subscription.id, toMonthly);
    invoices = await invoicesOf(subscription.id);
    expect(invoices[2]!.id).toBe(monthlyInvoice?.id);
    expect(monthlyPreview.lines.map(pricedLine)).toEqual(invoices[2]!.lines.map(pricedLine));
    expect(monthlyPreview.invoiceNow && draftMoney(monthlyPreview.invoiceNow)).toEqual(invoiceMoney(invoices[2]!));
    expect(monthlyPreview.amountDueNow).toBe(0);
    expect(await balanceOf(customerId)).toBe(23_723);
    sub = await subscriptionRow(subscription.id);
    expect(sub.billingCycleAnchor.toISOString()).toBe(JUL11);
    expect(sub.currentPeriodEnd.toISOString()).toBe(ELEVENTHS[0]);

    await advance("2028-05-12T00:00:00Z");
    invoices = await invoicesOf(subscription.id);
    const [created, upToAnnual, downToMonthly, ...renewals] = invoices.map(invoiceView);
    expect(created).toMatchObject({ billingReason: "subscription_create", total: 2900, amountDue: 2900, status: "paid" });
    expect(upToAnnual).toEqual({
      billingReason: "subscription_update",
      status: "paid",
      periodStart: JUN11,
      periodEnd: JUN11_2028,
      subtotal: 27_067,
      discountTotal: 0,
      tax: 2460,
      total: 27_067,
      creditApplied: 0,
      amountDue: 27_067,
      amountPaid: 27_067,
      lines: [
        { description: "Unused time on Pro after 11 June 2027", amount: -1933, quantity: 1, proration: true, periodStart: JUN11, periodEnd: JUL1, tax: -176 },
        { description: "Pro (annual)", amount: 29_000, quantity: 1, proration: false, periodStart: JUN11, periodEnd: JUN11_2028, tax: 2636 },
      ],
    });
    expect(downToMonthly).toEqual({
      billingReason: "subscription_update",
      status: "paid",
      periodStart: JUL11,
      periodEnd: ELEVENTHS[0],
      subtotal: -23_723,
      discountTotal: 0,
      tax: -2156,
      total: 0,
      creditApplied: 0,
      amountDue: 0,
      amountPaid: 0,
      lines: [
        { description: "Unused time on Pro (annual) after 11 July 2027", amount: -26_623, quantity: 1, proration: true, periodStart: JUL11, periodEnd: JUN11_2028, tax: -2420 },
        { description: "Pro", amount: 2900, quantity: 1, proration: false, periodStart: JUL11, periodEnd: ELEVENTHS[0], tax: 264 },
      ],
    });
    expect(invoices[2]!.excessCredited).toBe(23_723);
    expect(await paymentsOfInvoice(invoices[2]!.id)).toEqual([]);

    // Ten monthly renewals, 11 Aug 2027 … 11 May 2028: the balance pays 2900 eight times, then 523.
    let balance = 23_723;
    const expected = ELEVENTHS.slice(0, 10).map((start, i) => {
      const creditApplied = Math.min(balance, 2900);
      balance -= creditApplied;
      return {
        billingReason: "subscription_cycle",
        status: "paid",
        periodStart: start,
        periodEnd: ELEVENTHS[i + 1],
        subtotal: 2900,
        discountTotal: 0,
        tax: 264,
        total: 2900,
        creditApplied,
        amountDue: 2900 - creditApplied,
        amountPaid: 2900 - creditApplied,
        lines: [{ description: "Pro", amount: 2900, quantity: 1, proration: false, periodStart: start, periodEnd: ELEVENTHS[i + 1], tax: 264 }],
      };
    });
    expect(expected.map((e) => e.creditApplied)).toEqual([2900, 2900, 2900, 2900, 2900, 2900, 2900, 2900, 523, 0]);
    expect(renewals).toEqual(expected);
    // Only the renewals with something left to pay touched the card.
    const charged = await Promise.all(invoices.slice(3).map(async (inv) => (await paymentsOfInvoice(inv.id)).map((p) => p.amount)));
    expect(charged).toEqual([[], [], [], [], [], [], [], [], [2377], [2900]]);
    expect(await balanceOf(customerId)).toBe(0);
  }));
});
