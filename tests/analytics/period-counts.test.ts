import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { periodCounts } from "@/db/queries/analytics-summary";
import { invoices, payments, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import { ctxAt } from "../scenarios/support";
import { makeCustomer } from "../factories";
import { newId, randomToken } from "@/lib/ids";

/**
 * The summary's counts over March 2043 (a month no other history reaches), from rows written as the
 * services write them:
 *   trials   three end in March: two to active / past_due (converted), one canceled; one ends in
 *            April, one live-mode trial ends in March (neither counted)
 *   payments March: 3 succeeded, 3 failed (one pending and one failed in February: not counted)
 *   invoices a failed payment in March on three: one paid on 30 March (recovered), one still open,
 *            one paid on 2 April (not recovered by the end of March)
 */
const at = (iso: string) => new Date(iso);

describe("periodCounts: trials, payments and recoveries of a period", () => {
  it("counts what happened in [from, to) in the caller's mode", async () => {
    const ctx = await ctxAt();
    const db = await getDb();
    const customer = await makeCustomer(ctx, { card: null });
    const sub = async (livemode = false) => {
      const id = newId("subscription");
      await db.insert(subscriptions).values({ id, customerId: customer.id, status: "active", currency: "aud", billingCycleAnchor: at("2043-01-01T00:00:00Z"), currentPeriodStart: at("2043-01-01T00:00:00Z"), currentPeriodEnd: at("2043-02-01T00:00:00Z"), livemode });
      return id;
    };
    const trialEnd = async (to: "active" | "past_due" | "canceled", when: string, livemode = false) =>
      db.insert(subscriptionStatusHistory).values({ subscriptionId: await sub(livemode), fromStatus: "trialing", toStatus: to, reason: "trial_end", at: at(when) });
    await trialEnd("active", "2043-03-02T00:00:00Z");
    await trialEnd("past_due", "2043-03-31T23:59:59Z");
    await trialEnd("canceled", "2043-03-15T00:00:00Z");
    await trialEnd("active", "2043-04-01T00:00:00Z");
    await trialEnd("active", "2043-03-10T00:00:00Z", true);

    const invoice = async (paidAt: string | null) => {
      const id = newId("invoice");
      await db.insert(invoices).values({ id, customerId: customer.id, status: paidAt ? "paid" : "open", billingReason: "manual", currency: "aud", subtotal: 1000, total: 1000, amountDue: 1000, amountRemaining: paidAt ? 0 : 1000, collectionMethod: "charge_automatically", hostedToken: randomToken(16), paidAt: paidAt ? at(paidAt) : null });
      return id;
    };
    const pay = async (invoiceId: string, status: "succeeded" | "failed" | "pending", when: string) =>
      db.insert(payments).values({ id: newId("payment"), invoiceId, customerId: customer.id, amount: 1000, currency: "aud", status, gateway: "sandbox", idempotencyKey: randomToken(20), attempt: 1, createdAt: at(when) });
    const recovered = await invoice("2043-03-30T00:00:00Z");
    await pay(recovered, "failed", "2043-03-05T00:00:00Z");
    await pay(recovered, "succeeded", "2043-03-30T00:00:00Z");
    const open = await invoice(null);
    await pay(open, "failed", "2043-03-06T00:00:00Z");
    await pay(open, "pending", "2043-03-20T00:00:00Z");
    const late = await invoice("2043-04-02T00:00:00Z");
    await pay(late, "failed", "2043-03-20T00:00:00Z");
    await pay(late, "failed", "2043-02-27T00:00:00Z");
    await pay(late, "succeeded", "2043-03-08T00:00:00Z");
    await pay(late, "succeeded", "2043-03-09T00:00:00Z");

    // Several periods in one statement (a trend's months): each counted on its own, in order.
    expect(await periodCounts(db, false, [{ from: at("2043-03-01T00:00:00Z"), to: at("2043-04-01T00:00:00Z") }, { from: at("2043-02-01T00:00:00Z"), to: at("2043-03-01T00:00:00Z") }])).toEqual([
      { trials_ended: 3, trials_converted: 2, payments_succeeded: 3, payments_failed: 3, invoices_failed: 3, invoices_recovered: 1 },
      { trials_ended: 0, trials_converted: 0, payments_succeeded: 0, payments_failed: 1, invoices_failed: 1, invoices_recovered: 0 },
    ]);
  });
});
