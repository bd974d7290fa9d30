import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { creditNotes, customers, payments } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { balanceLedger, balanceOf, clockCustomer, invoiceView, invoicesOf, statusHistory, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A$30.00 a month, GST-inclusive, Sydney (AEST):
 *   period 1 Jun 2027 09:00 AEST (2027-05-31T23:00Z) → 1 Jul (2027-06-30T23:00Z), 30 days
 *   cancel now with prorate on 11 Jun 09:00 AEST (2027-06-10T23:00Z): 20 of 30 days unused
 *   credit 3000 × 20/30 = 2000 to the balance — inclusive of GST (2000 / 11 = 181.8 → 182), as
 *   the period was billed inclusive — then nothing is ever billed again.
 */
describe("scenario: cancel now with a prorated credit", () => {
  it("credits 2000 to the balance, ends the subscription now and bills nothing after", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-05-31T23:00:00Z"));
    const { priceId } = await makePlan(ctx.db, { code: "team", name: "Team", unitAmount: 3000 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });

    await advance("2027-06-10T23:00:00Z");
    const { subscription: canceled, credited } = await cancelSubscription(ctx, subscription.id, { atPeriodEnd: false, prorate: true, reason: "too expensive" });
    expect(credited).toBe(2000);
    expect(canceled.status).toBe("canceled");
    expect(canceled.endedAt?.toISOString()).toBe("2027-06-10T23:00:00.000Z");
    expect(canceled.canceledAt?.toISOString()).toBe("2027-06-10T23:00:00.000Z");
    expect(canceled.cancellationReason).toBe("too expensive");
    expect(canceled.nextDueAt).toBeNull();
    expect(await balanceOf(customerId)).toBe(2000);
    expect((await balanceLedger(customerId)).map((t) => [t.type, t.amount, t.endingBalance])).toEqual([["proration_credit", 2000, 2000]]);

    // Nothing to preview, nothing billed for three months.
    await expect(upcomingInvoice(ctx, subscription.id)).rejects.toBeInstanceOf(AppError);
    await advance("2027-09-15T00:00:00Z");
    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map(invoiceView)).toEqual([
      {
        billingReason: "subscription_create",
        status: "paid",
        periodStart: "2027-05-31T23:00:00.000Z",
        periodEnd: "2027-06-30T23:00:00.000Z",
        subtotal: 3000,
        discountTotal: 0,
        tax: 273,
        total: 3000,
        creditApplied: 0,
        amountDue: 3000,
        amountPaid: 3000,
        lines: [{ description: "Team", amount: 3000, quantity: 1, proration: false, periodStart: "2027-05-31T23:00:00.000Z", periodEnd: "2027-06-30T23:00:00.000Z", tax: 273 }],
      },
    ]);
    expect((await subscriptionRow(subscription.id)).status).toBe("canceled");
    expect(await statusHistory(subscription.id)).toEqual(["∅→incomplete", "incomplete→active", "active→canceled"]);
    // The credit stays with the customer for their next purchase.
    expect(await balanceOf(customerId)).toBe(2000);

    // Canceling again is refused and changes nothing.
    await expect(cancelSubscription(ctx, subscription.id, { atPeriodEnd: false, prorate: true })).rejects.toBeInstanceOf(AppError);
    expect(await balanceOf(customerId)).toBe(2000);
  }));

  it("an incomplete subscription (first payment declined) credits nothing: that period was never paid; its open invoice is voided", inBothApplyModes(async () => {
    const { ctx, customerId } = await clockCustomer(new Date("2027-05-31T23:00:00Z"), { token: "pm_card_chargeDeclined" });
    const { priceId } = await makePlan(ctx.db, { code: "team", name: "Team", unitAmount: 3000 });
    const { subscription, invoice } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    expect(subscription.status).toBe("incomplete");
    expect(invoice?.status).toBe("open");

    const { subscription: canceled, credited } = await cancelSubscription(ctx, subscription.id, { atPeriodEnd: false, prorate: true });
    expect(credited).toBe(0);
    expect(canceled.status).toBe("canceled");
    expect(await balanceOf(customerId)).toBe(0);
    expect(await balanceLedger(customerId)).toEqual([]);
    const [first] = await invoicesOf(subscription.id);
    expect(first).toMatchObject({ status: "void", number: invoice?.number, amountPaid: 0, amountRemaining: 0 });
    expect(await statusHistory(subscription.id)).toEqual(["∅→incomplete", "incomplete→canceled"]);
  }));
});

describe("scenario: cancel now with the unused time refunded to the card", () => {
  it("refunds through a credit note on the period's invoice instead of crediting the balance", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-04-01T00:00:00Z"), { timezone: "UTC" });
    const { priceId } = await makePlan(ctx.db, { code: "team", name: "Team", unitAmount: 3000 });
    const { subscription, invoice } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    await advance("2027-04-11T00:00:00Z");
    const { credited } = await cancelSubscription(ctx, subscription.id, { atPeriodEnd: false, prorate: true, refund: true });
    // 20 of 30 days unused: 3000 × 20/30 = 2000 (incl. GST).
    expect(credited).toBe(2000);
    const [note] = await ctx.db.select().from(creditNotes).where(eq(creditNotes.invoiceId, invoice!.id));
    expect(note).toMatchObject({ amount: 2000, outcome: "refund", tax: 182 });
    const [customer] = await ctx.db.select().from(customers).where(eq(customers.id, customerId));
    expect(customer?.creditBalance).toBe(0);
    const [payment] = await ctx.db.select().from(payments).where(eq(payments.invoiceId, invoice!.id));
    expect(payment?.amountRefunded).toBe(2000);
  }));
});
