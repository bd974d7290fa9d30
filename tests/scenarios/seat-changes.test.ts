import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { previewSubscriptionUpdate } from "@/lib/services/subscriptions/preview";
import { updateSubscription, type UpdateSubscriptionInput } from "@/lib/services/subscriptions/update-subscription";
import { balanceLedger, balanceOf, clockCustomer, draftMoney, invoiceMoney, invoiceView, invoicesOf, paymentsOfInvoice, pendingItemsOf, pricedLine } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A per-seat price, A$12.00 a seat a month, GST-inclusive (Sydney, AEST all of June–August 2027).
 *
 *   period 1 Jun 09:00 AEST (2027-05-31T23:00Z) → 1 Jul 09:00 AEST (2027-06-30T23:00Z) = 2 592 000 s
 *   signup 3 seats: 3 × 1200 = 3600, GST 3600 / 11 = 327.27 → 327
 *
 * 3 → 5 seats on 4 Jun 16:20 AEST (2027-06-04T06:20Z), always_invoice.
 *   left = 26 d 16 h 40 min = 2 246 400 + 60 000 = 2 306 400 s
 *   credit 3 seats −3600 × 2 306 400 / 2 592 000 = −3203.33 → −3203, GST −291.18 → −291
 *   charge 5 seats +6000 × 2 306 400 / 2 592 000 = 5338.89 → +5339, GST 485.36 → 485
 *   invoice now: 2136, GST 194, charged.
 *
 * 5 → 2 seats on 8 Jun 09:00 AEST (2027-06-07T23:00Z), create_prorations.
 *   left = 23 days = 1 987 200 s = 23/30 of the period
 *   credit 5 seats −6000 × 23/30 = −4600, GST −418.18 → −418
 *   charge 2 seats +2400 × 23/30 = +1840, GST 167.27 → 167
 *   nothing now; on the 1 Jul renewal: 2 × 1200 = 2400 (GST 218) − 4600 + 1840 = −360, GST −33.
 *   The total cannot go below 0: total 0, paid without a charge, and the 360 goes to the balance.
 *
 * 1 Aug renewal (2027-07-31T23:00Z): 2400, GST 218; the balance pays 360, the card 2040.
 */
const START = new Date("2027-05-31T23:00:00Z");
const JUL1 = "2027-06-30T23:00:00.000Z";
const AUG1 = "2027-07-31T23:00:00.000Z";
const SEP1 = "2027-08-31T23:00:00.000Z";

describe("scenario: seats up mid-period (always_invoice), then down (create_prorations)", () => {
  it("invoices 3 → 5 at once, carries 5 → 2 to the renewal and puts the excess credit on the balance", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const { priceId } = await makePlan(ctx.db, { code: "seat", name: "Seat", unitAmount: 1200 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 3 }] });

    // 3 → 5, invoiced now.
    await advance("2027-06-04T06:20:00Z");
    const up: UpdateSubscriptionInput = { items: [{ priceId, quantity: 5 }], prorationBehavior: "always_invoice", effective: "now" };
    const upPreview = await previewSubscriptionUpdate(ctx, subscription.id, up);
    const { invoice: upInvoice } = await updateSubscription(ctx, subscription.id, up);
    const afterUp = await invoicesOf(subscription.id);
    expect(afterUp).toHaveLength(2);
    expect(afterUp[1]!.id).toBe(upInvoice?.id);
    expect(upPreview.lines.map(pricedLine)).toEqual(afterUp[1]!.lines.map(pricedLine));
    expect(upPreview.invoiceNow && draftMoney(upPreview.invoiceNow)).toEqual(invoiceMoney(afterUp[1]!));
    expect(upPreview.amountDueNow).toBe(2136);

    // 5 → 2, carried to the next invoice.
    await advance("2027-06-07T23:00:00Z");
    const down: UpdateSubscriptionInput = { items: [{ priceId, quantity: 2 }], prorationBehavior: "create_prorations", effective: "now" };
    const downPreview = await previewSubscriptionUpdate(ctx, subscription.id, down);
    const { invoice: downInvoice } = await updateSubscription(ctx, subscription.id, down);
    expect(downInvoice).toBeNull();
    expect(downPreview.amountDueNow).toBe(0);
    const pending = await pendingItemsOf(subscription.id, { open: true });
    expect(downPreview.lines.map(pricedLine)).toEqual(pending.map(pricedLine));
    expect(await balanceOf(customerId)).toBe(0);

    await advance("2027-08-02T00:00:00Z");
    const all = await invoicesOf(subscription.id);
    const upAt = "2027-06-04T06:20:00.000Z";
    const downAt = "2027-06-07T23:00:00.000Z";
    expect(all.map(invoiceView)).toEqual([
      {
        billingReason: "subscription_create",
        status: "paid",
        periodStart: START.toISOString(),
        periodEnd: JUL1,
        subtotal: 3600,
        discountTotal: 0,
        tax: 327,
        total: 3600,
        creditApplied: 0,
        amountDue: 3600,
        amountPaid: 3600,
        lines: [{ description: "3 × Seat", amount: 3600, quantity: 3, proration: false, periodStart: START.toISOString(), periodEnd: JUL1, tax: 327 }],
      },
      {
        billingReason: "subscription_update",
        status: "paid",
        periodStart: upAt,
        periodEnd: JUL1,
        subtotal: 2136,
        discountTotal: 0,
        tax: 194,
        total: 2136,
        creditApplied: 0,
        amountDue: 2136,
        amountPaid: 2136,
        lines: [
          { description: "Unused time on 3 × Seat after 4 June 2027", amount: -3203, quantity: 3, proration: true, periodStart: upAt, periodEnd: JUL1, tax: -291 },
          { description: "Remaining time on 5 × Seat after 4 June 2027", amount: 5339, quantity: 5, proration: true, periodStart: upAt, periodEnd: JUL1, tax: 485 },
        ],
      },
      {
        billingReason: "subscription_cycle",
        status: "paid",
        periodStart: JUL1,
        periodEnd: AUG1,
        subtotal: -360,
        discountTotal: 0,
        tax: -33,
        total: 0,
        creditApplied: 0,
        amountDue: 0,
        amountPaid: 0,
        lines: [
          { description: "2 × Seat", amount: 2400, quantity: 2, proration: false, periodStart: JUL1, periodEnd: AUG1, tax: 218 },
          { description: "Unused time on 5 × Seat after 8 June 2027", amount: -4600, quantity: 5, proration: true, periodStart: downAt, periodEnd: JUL1, tax: -418 },
          { description: "Remaining time on 2 × Seat after 8 June 2027", amount: 1840, quantity: 2, proration: true, periodStart: downAt, periodEnd: JUL1, tax: 167 },
        ],
      },
      {
        billingReason: "subscription_cycle",
        status: "paid",
        periodStart: AUG1,
        periodEnd: SEP1,
        subtotal: 2400,
        discountTotal: 0,
        tax: 218,
        total: 2400,
        creditApplied: 360,
        amountDue: 2040,
        amountPaid: 2040,
        lines: [{ description: "2 × Seat", amount: 2400, quantity: 2, proration: false, periodStart: AUG1, periodEnd: SEP1, tax: 218 }],
      },
    ]);
    const [, , july, august] = all;
    expect(july!.excessCredited).toBe(360);
    // A zero invoice is paid without touching the card; the August one charges only what the balance left.
    expect(await paymentsOfInvoice(july!.id)).toEqual([]);
    expect((await paymentsOfInvoice(august!.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 2040]]);
    expect(await balanceLedger(customerId)).toEqual([
      { type: "invoice_excess", amount: 360, endingBalance: 360, invoiceId: july!.id },
      { type: "applied_to_invoice", amount: -360, endingBalance: 0, invoiceId: august!.id },
    ]);
    expect(await balanceOf(customerId)).toBe(0);
    // R10: what the 5 → 2 preview said the next invoice would be, it was.
    expect(downPreview.next && draftMoney(downPreview.next.invoice)).toEqual(invoiceMoney(july!));
  }));
});
