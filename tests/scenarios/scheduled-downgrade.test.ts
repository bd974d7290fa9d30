import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { subscriptionItems } from "@/db/schema";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { previewSubscriptionUpdate, upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { clockCustomer, draftMoney, invoiceMoney, invoiceView, invoicesOf, pendingItemsOf, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * Pro (A$29.00) → Starter (A$10.00) at the end of the period (Sydney, AEST):
 *   period  1 Jun 2027 09:00 AEST (2027-05-31T23:00Z) → 1 Jul (2027-06-30T23:00Z)
 *   request 10 Jun 09:00 AEST (2027-06-09T23:00Z): nothing billed now, no prorations, the change
 *           is stored as pending_change effective 1 Jul
 *   1 Jul   the renewal applies it: Starter 1000, GST 1000 / 11 = 90.9 → 91; pending_change cleared
 *   1 Aug   (2027-07-31T23:00Z) Starter again
 */
describe("scenario: downgrade scheduled at the period end", () => {
  it("bills Pro until 1 Jul and Starter from the renewal, with nothing now", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(new Date("2027-05-31T23:00:00Z"));
    const pro = await makePlan(ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
    const starter = await makePlan(ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: pro.priceId, quantity: 1 }] });
    await advance("2027-06-09T23:00:00Z");

    const input = { items: [{ priceId: starter.priceId, quantity: 1 }], prorationBehavior: "create_prorations" as const, effective: "period_end" as const };
    const preview = await previewSubscriptionUpdate(ctx, subscription.id, input);
    expect(preview.lines).toEqual([]);
    expect(preview.invoiceNow).toBeNull();
    expect(preview.amountDueNow).toBe(0);

    const { invoice, subscription: updated } = await updateSubscription(ctx, subscription.id, input);
    expect(invoice).toBeNull();
    expect(updated.pendingChange).toEqual({
      items: [{ price: starter.priceId, quantity: 1 }],
      effective_at: "2027-06-30T23:00:00.000Z",
      requested_at: "2027-06-09T23:00:00.000Z",
    });
    expect(await pendingItemsOf(subscription.id)).toEqual([]);
    // Until then the subscription is still on Pro.
    const items = await ctx.db.select().from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, subscription.id));
    expect(items.map((i) => i.priceId)).toEqual([pro.priceId]);
    expect(await invoicesOf(subscription.id)).toHaveLength(1);

    // The upcoming invoice already bills Starter.
    const upcoming = await upcomingInvoice(ctx, subscription.id);
    expect(upcoming.invoice.lines.map((l) => [l.description, l.amount])).toEqual([["Starter", 1000]]);

    await advance("2027-08-02T00:00:00Z");
    const all = await invoicesOf(subscription.id);
    const period = (start: string, end: string, description: string, amount: number, tax: number) => ({
      periodStart: start,
      periodEnd: end,
      status: "paid",
      subtotal: amount,
      discountTotal: 0,
      tax,
      total: amount,
      creditApplied: 0,
      amountDue: amount,
      amountPaid: amount,
      lines: [{ description, amount, quantity: 1, proration: false, periodStart: start, periodEnd: end, tax }],
    });
    expect(all.map(invoiceView)).toEqual([
      { billingReason: "subscription_create", ...period("2027-05-31T23:00:00.000Z", "2027-06-30T23:00:00.000Z", "Pro", 2900, 264) },
      { billingReason: "subscription_cycle", ...period("2027-06-30T23:00:00.000Z", "2027-07-31T23:00:00.000Z", "Starter", 1000, 91) },
      { billingReason: "subscription_cycle", ...period("2027-07-31T23:00:00.000Z", "2027-08-31T23:00:00.000Z", "Starter", 1000, 91) },
    ]);
    // R10: the change preview's "then $Y on date" and the upcoming invoice are the renewal.
    expect(preview.next?.date.toISOString()).toBe("2027-06-30T23:00:00.000Z");
    expect(preview.next && draftMoney(preview.next.invoice)).toEqual(invoiceMoney(all[1]!));
    expect(draftMoney(upcoming.invoice)).toEqual(invoiceMoney(all[1]!));

    const sub = await subscriptionRow(subscription.id);
    expect(sub.pendingChange).toBeNull();
    expect(sub.status).toBe("active");
    // The anchor did not move: a same-interval downgrade keeps the cycle.
    expect(sub.billingCycleAnchor.toISOString()).toBe("2027-05-31T23:00:00.000Z");
    const after = await ctx.db.select().from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, subscription.id));
    expect(after.map((i) => [i.priceId, i.quantity])).toEqual([[starter.priceId, 1]]);
  }));
});
