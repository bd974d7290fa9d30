import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { inBothApplyModes } from "./apply-modes";
import { clockCustomer, invoicesOf, localDate, subscriptionRow } from "./support";
import { makePlan } from "../factories";

describe("scenario: monthly renewal over 13 months from a Jan 31 anchor", () => {
  it("bills on the last day of short months and the 31st again after, each invoice A$10.00 with 91 GST", inBothApplyModes(async () => {
    const tz = "Australia/Sydney";
    // 31 Jan 2027, 09:00 in Sydney.
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-01-30T22:00:00Z"), { timezone: tz });
    const { priceId } = await makePlan(ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: 1 }] });
    expect(subscription.status).toBe("active");

    await advance("2028-02-29T12:00:00Z");

    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map((i) => localDate(i.periodStart, tz))).toEqual([
      "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30", "2027-07-31",
      "2027-08-31", "2027-09-30", "2027-10-31", "2027-11-30", "2027-12-31", "2028-01-31", "2028-02-29",
    ]);
    for (const inv of invoices) {
      expect(inv.status).toBe("paid");
      expect(inv.lines).toHaveLength(1);
      expect(inv.lines[0]).toMatchObject({ description: "Starter", amount: 1000, quantity: 1, proration: false });
      expect(inv.lines[0]?.taxAmounts).toEqual([{ amount: 91, rate: "0.1", jurisdiction: "AU GST", inclusive: true, reverseCharge: false }]);
      expect(inv).toMatchObject({ subtotal: 1000, tax: 91, total: 1000, amountPaid: 1000, amountRemaining: 0 });
      // Each period starts where the previous one ended, at 09:00 local.
      expect(new Intl.DateTimeFormat("en-AU", { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false }).format(inv.periodStart!)).toBe("09:00");
    }
    expect(invoices.slice(1).map((i) => i.billingReason)).toEqual(Array(13).fill("subscription_cycle"));
    const sub = await subscriptionRow(subscription.id);
    expect(localDate(sub.currentPeriodEnd, tz)).toBe("2028-03-31");
    expect(sub.status).toBe("active");

    // Advancing again to the same time changes nothing.
    await advance("2028-03-01T00:00:00Z");
    expect(await invoicesOf(subscription.id)).toHaveLength(14);
  }));
});
