import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { clockCustomer, invoiceView, invoicesOf, localDate, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A yearly plan anchored on 29 Feb 2028 (a leap day), Sydney time. Every boundary is computed from
 * the anchor, never from the previous boundary, so the non-leap years bill on 28 Feb and 2032 — a
 * leap year again — goes back to the 29th (chaining "+1 year" would stay on the 28th for ever).
 * Sydney is on AEDT (UTC+11) in late February, so 10:00 local is 23:00Z the day before.
 */
describe("scenario: annual plan anchored on 29 Feb", () => {
  it("renews on 28 Feb in 2029, 2030 and 2031 and on 29 Feb in 2032, A$100.00 with 909 GST each", inBothApplyModes(async () => {
    const tz = "Australia/Sydney";
    const { ctx, customerId, advance } = await clockCustomer(new Date("2028-02-28T23:00:00Z"), { timezone: tz });
    const { priceId } = await makePlan(ctx.db, { code: "annual", name: "Annual", interval: "year", unitAmount: 10_000 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    expect(subscription.status).toBe("active");

    // Before the first renewal the preview already says 28 Feb 2029.
    const upcoming = await upcomingInvoice(ctx, subscription.id);
    expect(upcoming.date.toISOString()).toBe("2029-02-27T23:00:00.000Z");

    await advance("2031-03-01T00:00:00Z");

    // A$100.00 inclusive of GST: 10000 × 1/11 = 909.09 → 909 GST.
    const line = (start: string, end: string) => ({ description: "Annual", amount: 10_000, quantity: 1, proration: false, periodStart: start, periodEnd: end, tax: 909 });
    const invoice = (billingReason: string, start: string, end: string) => ({
      billingReason,
      status: "paid",
      periodStart: start,
      periodEnd: end,
      subtotal: 10_000,
      discountTotal: 0,
      tax: 909,
      total: 10_000,
      creditApplied: 0,
      amountDue: 10_000,
      amountPaid: 10_000,
      lines: [line(start, end)],
    });
    const feb29y28 = "2028-02-28T23:00:00.000Z"; // 29 Feb 2028 10:00 AEDT
    const feb28y29 = "2029-02-27T23:00:00.000Z"; // 28 Feb 2029 10:00 AEDT
    const feb28y30 = "2030-02-27T23:00:00.000Z";
    const feb28y31 = "2031-02-27T23:00:00.000Z";
    const feb29y32 = "2032-02-28T23:00:00.000Z"; // 29 Feb 2032 10:00 AEDT
    const feb28y33 = "2033-02-27T23:00:00.000Z";

    let invoices = await invoicesOf(subscription.id);
    expect(invoices.map(invoiceView)).toEqual([
      invoice("subscription_create", feb29y28, feb28y29),
      invoice("subscription_cycle", feb28y29, feb28y30),
      invoice("subscription_cycle", feb28y30, feb28y31),
      invoice("subscription_cycle", feb28y31, feb29y32),
    ]);
    expect(invoices.map((i) => localDate(i.periodStart, tz))).toEqual(["2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28"]);

    // The fourth renewal returns to the 29th: the anchor, not the previous boundary, decides.
    await advance("2032-03-01T00:00:00Z");
    invoices = await invoicesOf(subscription.id);
    expect(invoices).toHaveLength(5);
    expect(invoiceView(invoices[4]!)).toEqual(invoice("subscription_cycle", feb29y32, feb28y33));
    const sub = await subscriptionRow(subscription.id);
    expect(sub.billingCycleAnchor.toISOString()).toBe(feb29y28);
    expect(localDate(sub.currentPeriodStart, tz)).toBe("2032-02-29");
    expect(localDate(sub.currentPeriodEnd, tz)).toBe("2033-02-28");
    expect(sub.status).toBe("active");
  }));
});
