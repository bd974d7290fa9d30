import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { dunningQueue, failedStripeEvents, listStripeEvents } from "@/db/queries/work-queues";
import { stripeEvents } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { makeCustomer, makePlan } from "../factories";

describe("work queues", () => {
  it("lists invoices whose payment failed with the amount at risk and the last decline, and only those", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: new Date("2026-11-21T00:00:00Z") };
    const { priceId } = await makePlan(db, { code: "q", unitAmount: 2500 });
    const failing = await makeCustomer(ctx, { email: "fail@example.com", name: "Failing Fran", timezone: "UTC", card: "pm_card_chargeDeclinedInsufficientFunds" });
    const { invoice: failed } = await createSubscription(ctx, { customerId: failing.id, items: [{ priceId, quantity: 1 }] });
    const paying = await makeCustomer(ctx, { email: "ok@example.com", name: null, timezone: "UTC" });
    await createSubscription(ctx, { customerId: paying.id, items: [{ priceId, quantity: 1 }] });

    const queue = await dunningQueue(db);
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ invoice_id: failed!.id, customer_id: failing.id, customer_name: "Failing Fran", amount_remaining: 2500, currency: "aud", failures: 1 });
    expect(queue[0]!.last_decline).toMatch(/insufficient/i);
    expect(queue[0]!.first_failed_at).toBeInstanceOf(Date);
  });

  it("shows Stripe events that failed processing, and pages the event log", async () => {
    const db = await getDb();
    const at = (s: number) => new Date(Date.UTC(2026, 10, 21, 0, 0, s));
    await db.insert(stripeEvents).values([
      { id: "evt_ok", type: "payment_intent.succeeded", livemode: false, payload: {}, receivedAt: at(1), processedAt: at(2) },
      { id: "evt_bad", type: "charge.refunded", livemode: false, payload: {}, receivedAt: at(3), error: "no such payment", attempts: 3 },
      { id: "evt_wait", type: "charge.refunded", livemode: false, payload: {}, receivedAt: at(4) },
    ]);
    expect((await failedStripeEvents(db)).map((e) => e.id)).toEqual(["evt_bad"]);
    const first = await listStripeEvents(db, {}, 2);
    expect(first.rows.map((e) => e.id)).toEqual(["evt_wait", "evt_bad"]);
    const second = await listStripeEvents(db, { before: first.next! }, 2);
    expect(second.rows.map((e) => e.id)).toEqual(["evt_ok"]);
    expect(second.next).toBeNull();
    expect((await listStripeEvents(db, { status: "failed" })).rows.map((e) => e.id)).toEqual(["evt_bad"]);
    expect((await listStripeEvents(db, { status: "pending", type: "charge.refunded" })).rows.map((e) => e.id)).toEqual(["evt_wait"]);
  });
});
