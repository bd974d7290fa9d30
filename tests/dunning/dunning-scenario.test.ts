import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, like } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { customers, emails, invoices, outboxEvents, plans, subscriptions } from "@/db/schema";
import { GET as getEntitlements } from "@/app/api/v1/customers/[id]/entitlements/route";
import { dispatchOutbox } from "@/lib/events/outbox";
import { systemActor } from "@/lib/actor";
import { runDunning } from "@/lib/services/dunning/run-dunning";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { setSetting } from "@/lib/services/settings/settings";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { clockCustomer } from "../scenarios/support";
import { call, newKey } from "../api/support";
import { DAY_MS, historyOf, paymentsOf } from "../services/support";
import { makePlan } from "../factories";

// The mailbox, not Resend: these tests read the emails back.
delete process.env.RESEND_API_KEY;

let db: Db;
beforeAll(async () => {
  db = await getDb();
});

const start = new Date("2026-01-15T00:00:00Z");
const renewedAt = new Date("2026-02-15T00:00:00Z");
const day = (n: number) => new Date(renewedAt.getTime() + n * DAY_MS);

async function dispatchAll() {
  while ((await dispatchOutbox(db, outboxHandler(db))) > 0) {
    /* until the outbox is empty (handlers may enqueue more) */
  }
}

/** Subscribed with 4242 (the first invoice must succeed), then 4000 0000 0000 0341 as the default: every renewal charge fails. */
async function failingSubscriber(features: string[], from = start) {
  const clock = await clockCustomer(from);
  const { planId, priceId } = await makePlan(db, { code: "dunning", unitAmount: 1000 });
  await db.update(plans).set({ features: features.map((code) => ({ code, hard: false })) }).where(eq(plans.id, planId));
  const { subscription, invoice } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
  expect(subscription.status).toBe("active");
  expect(invoice?.status).toBe("paid");
  await attachPaymentMethod(clock.ctx, { customerId: clock.customerId, token: "pm_card_chargeCustomerFail", makeDefault: true });
  return { ...clock, planId, subscription };
}

async function customerStatus(id: string) {
  const [row] = await db.select({ status: customers.status }).from(customers).where(eq(customers.id, id));
  return row?.status;
}
async function subscriptionStatus(id: string) {
  const [row] = await db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id));
  return row?.status;
}
async function renewalOf(subscriptionId: string) {
  const [row, ...more] = await db.select().from(invoices).where(and(eq(invoices.subscriptionId, subscriptionId), eq(invoices.billingReason, "subscription_cycle")));
  if (!row || more.length) throw new Error("expected one renewal");
  return row;
}
async function mailbox(customerId: string) {
  return db.select().from(emails).where(eq(emails.customerId, customerId)).orderBy(asc(emails.createdAt), asc(emails.id));
}
async function dunningEvents(customerId: string) {
  return db.select({ type: outboxEvents.type, payload: outboxEvents.payload }).from(outboxEvents).where(and(eq(outboxEvents.customerId, customerId), like(outboxEvents.type, "customer.dunning.%"))).orderBy(asc(outboxEvents.createdAt));
}

async function entitlements(customerId: string) {
  const { key } = await newKey();
  const res = await call(getEntitlements, { method: "GET", key, path: `/customers/${customerId}/entitlements`, params: { id: customerId } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { object: string; customer: string; access: string; features: { code: string; allowed: boolean }[]; subscriptions: { id: string; status: string; plan: string | null }[] };
  // The features the customer may use now (a blocked customer's are listed, none allowed).
  return { ...body, features: body.features.filter((f) => f.allowed).map((f) => f.code) };
}

describe("dunning on a test clock", () => {
  it("…0341 renewal fails → retries → emails on days 0/3/7/14 → blocked; a 4242 card pays at once → active, restored", async () => {
    const { customerId, subscription, planId, advance, ctx, clockId } = await failingSubscriber(["api", "reports"]);
    let seen = 0;
    /** The templates of the emails sent since the last call; same-instant emails as a sorted group. */
    const newMail = async () => {
      await dispatchAll();
      const all = await mailbox(customerId);
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh;
    };
    const templates = (mails: { template: string }[]) => mails.map((m) => m.template).sort();
    // The welcome and first receipt (and whatever the billing emails send at subscribe) are not dunning's.
    await newMail();

    // Day 0: the renewal fails. The "payment failed — update your card" email; still active.
    await advance(renewedAt);
    const renewal = await renewalOf(subscription.id);
    expect(renewal.status).toBe("open");
    expect(await subscriptionStatus(subscription.id)).toBe("past_due");
    expect(templates(await newMail())).toEqual(["payment-failed"]);
    expect(await customerStatus(customerId)).toBe("active");
    expect(await entitlements(customerId)).toMatchObject({ object: "entitlements", customer: customerId, access: "active", features: ["api", "reports"] });

    // Day 1: the first retry fails.
    await advance(day(1));
    expect(templates(await newMail())).toEqual(["payment-failed"]);

    // Day 3: the second retry fails, and the reminder goes out (still served).
    await advance(day(3));
    const day3 = await newMail();
    expect(templates(day3)).toEqual(["dunning-reminder", "payment-failed"]);
    const reminder = day3.find((m) => m.template === "dunning-reminder")!;
    expect(reminder.eventId).toBe(`dunning:${renewal.id}:reminder`);
    expect(reminder.subject).toBe(`Reminder: invoice ${renewal.number} is still unpaid`);
    expect(reminder.text).toMatch(/https?:\/\/\S+\/payment-methods\/add(\s|$)/);
    expect(reminder.text).toContain("collect $10.00 for invoice");
    expect(reminder.text).toContain("if the invoice is still unpaid on 1 Mar 2026, it will be blocked");
    expect(await customerStatus(customerId)).toBe("active");

    // Day 7: the third retry fails; warning.
    await advance(day(7));
    const day7 = await newMail();
    expect(templates(day7)).toEqual(["dunning-warning", "payment-failed"]);
    expect(day7.find((m) => m.template === "dunning-warning")).toMatchObject({ eventId: `dunning:${renewal.id}:warning` });
    expect(await customerStatus(customerId)).toBe("warning");
    expect(await entitlements(customerId)).toMatchObject({ access: "warning", features: ["api", "reports"], subscriptions: [{ id: subscription.id, status: "past_due", plan: planId }] });

    // Day 14: the last retry fails; blocked, the subscription unpaid (the default final action), the invoice left open.
    await advance(day(14));
    const day14 = await newMail();
    expect(templates(day14)).toEqual(["dunning-blocked", "payment-failed"]);
    const blockedMail = day14.find((m) => m.template === "dunning-blocked")!;
    expect(blockedMail.eventId).toBe(`dunning:${renewal.id}:blocked`);
    expect(blockedMail.subject).toBe(`Your service has been blocked: invoice ${renewal.number} is unpaid`);
    expect(blockedMail.text).toMatch(/https?:\/\/\S+\/payment-methods\/add(\s|$)/);
    expect(day14.find((m) => m.template === "payment-failed")?.subject).toBe(`Please update your card to pay invoice ${renewal.number}`);
    expect(await customerStatus(customerId)).toBe("blocked");
    expect(await subscriptionStatus(subscription.id)).toBe("unpaid");
    expect((await renewalOf(subscription.id)).status).toBe("open");
    expect((await paymentsOf(db, renewal.id)).map((p) => p.status)).toEqual(["failed", "failed", "failed", "failed", "failed"]);
    expect(await entitlements(customerId)).toEqual({ object: "entitlements", customer: customerId, access: "blocked", features: [], subscriptions: [{ id: subscription.id, status: "unpaid", plan: planId }] });
    expect((await dunningEvents(customerId)).map((e) => e.type)).toEqual(["customer.dunning.reminder", "customer.dunning.warning", "customer.dunning.blocked"]);

    // Running dunning again for the same now (or advancing further) changes nothing.
    const again = await runDunning(db, day(14), { testClockId: clockId });
    expect(again).toMatchObject({ stages: [], finalActions: 0, restored: 0 });
    await advance(day(20));
    expect(await newMail()).toEqual([]);
    expect(await dunningEvents(customerId)).toHaveLength(3);

    // The customer adds 4242 as the default: the open invoice is charged at once, everything restored.
    const paidAt = day(20);
    await attachPaymentMethod({ ...ctx, now: paidAt }, { customerId, token: "pm_card_visa", makeDefault: true });
    expect(await renewalOf(subscription.id)).toMatchObject({ status: "paid", amountPaid: 1000, amountRemaining: 0 });
    expect(await subscriptionStatus(subscription.id)).toBe("active");
    expect((await historyOf(db, subscription.id)).slice(-3)).toEqual([
      { from: "active", to: "past_due", reason: "renewal payment failed" },
      { from: "past_due", to: "unpaid", reason: "dunning: payment not recovered" },
      { from: "unpaid", to: "active", reason: "invoice paid" },
    ]);
    expect(await customerStatus(customerId)).toBe("active");
    const restored = await newMail();
    expect(templates(restored)).toEqual(["account-restored", "receipt"]);
    expect(restored.find((m) => m.template === "account-restored")).toMatchObject({ eventId: `dunning:${renewal.id}:restored` });
    expect(restored.find((m) => m.template === "account-restored")?.text).toContain(`we received your payment of $10.00 for invoice ${renewal.number}`);
    expect(await entitlements(customerId)).toEqual({ object: "entitlements", customer: customerId, access: "active", features: ["api", "reports"], subscriptions: [{ id: subscription.id, status: "active", plan: planId }] });

    // Once: a second dispatch or dunning run sends nothing more.
    expect(await runDunning(db, paidAt, {})).toMatchObject({ restored: 0 });
    expect(await newMail()).toEqual([]);
    expect((await mailbox(customerId)).filter((m) => m.template === "account-restored")).toHaveLength(1);
  });

  it("final action cancel (invoice uncollectible): blocked on day 14 cancels the subscription and writes the invoice off", async () => {
    const admin = { db, actor: systemActor("test"), now: new Date() };
    await setSetting(admin, "dunning.final_action", "cancel");
    await setSetting(admin, "dunning.final_invoice_state", "uncollectible");
    try {
      const { customerId, subscription, advance, clockId } = await failingSubscriber(["api"]);
      await advance(day(14));
      const renewal = await renewalOf(subscription.id);
      expect(await customerStatus(customerId)).toBe("blocked");
      expect(await subscriptionStatus(subscription.id)).toBe("canceled");
      expect(renewal.status).toBe("uncollectible");
      expect((await historyOf(db, subscription.id)).at(-1)).toMatchObject({ from: "past_due", to: "canceled" });
      expect(await entitlements(customerId)).toMatchObject({ access: "blocked", features: [], subscriptions: [] });

      // Idempotent: the same now again, then later, changes nothing.
      expect(await runDunning(db, day(14), { testClockId: clockId })).toMatchObject({ stages: [], finalActions: 0, restored: 0 });
      await advance(day(30));
      expect(await customerStatus(customerId)).toBe("blocked");
      expect((await dunningEvents(customerId)).map((e) => e.type)).toEqual(["customer.dunning.reminder", "customer.dunning.warning", "customer.dunning.blocked"]);
      await dispatchAll();
      const sent = (await mailbox(customerId)).map((m) => m.template).filter((t) => t.startsWith("dunning-"));
      expect(sent.sort()).toEqual(["dunning-blocked", "dunning-reminder", "dunning-warning"]);
    } finally {
      await setSetting(admin, "dunning.final_action", "unpaid");
      await setSetting(admin, "dunning.final_invoice_state", "open");
    }
  });

  it("a runner that was down catches up in one step (the highest stage only) and a second run for the same now does nothing", async () => {
    const { customerId, subscription, clockId, advance } = await failingSubscriber([]);
    await advance(renewedAt);
    // Straight to day 8 outside the clock's stops: one run acts on the warning only.
    const first = await runDunning(db, day(8), { testClockId: clockId });
    expect(first.stages).toEqual([`${customerId}:warning`]);
    const second = await runDunning(db, day(8), { testClockId: clockId });
    expect(second).toMatchObject({ stages: [], finalActions: 0 });
    expect(await customerStatus(customerId)).toBe("warning");
    expect(await subscriptionStatus(subscription.id)).toBe("past_due");
    await dispatchAll();
    expect((await mailbox(customerId)).filter((m) => m.template.startsWith("dunning-")).map((m) => m.template)).toEqual(["dunning-warning"]);
  });

  it("counts calendar days in the customer's zone: across Sydney's clock change the stages and retries keep the local time", async () => {
    // Renewed Sat 3 Oct 2026 10:00 AEST; clocks go forward on Sun 4 Oct, so later days are 10:00 AEDT (23:00Z the day before).
    const { customerId, subscription, advance } = await failingSubscriber([], new Date("2026-09-03T00:00:00Z"));
    await advance("2026-10-03T00:00:00Z");
    const renewal = await renewalOf(subscription.id);
    expect(renewal.nextPaymentAttemptAt?.toISOString()).toBe("2026-10-03T23:00:00.000Z"); // day 1: 23 hours later
    await advance("2026-10-16T22:59:00Z");
    expect(await customerStatus(customerId)).toBe("warning");
    await advance("2026-10-16T23:00:00Z"); // day 14, 10:00 AEDT
    expect(await customerStatus(customerId)).toBe("blocked");
    expect((await paymentsOf(db, renewal.id)).map((p) => p.createdAt.toISOString())).toEqual([
      "2026-10-03T00:00:00.000Z",
      "2026-10-03T23:00:00.000Z",
      "2026-10-05T23:00:00.000Z",
      "2026-10-09T23:00:00.000Z",
      "2026-10-16T23:00:00.000Z",
    ]);
    const events = await dunningEvents(customerId);
    expect(events.map((e) => e.payload)).toEqual(
      ["reminder", "warning", "blocked"].map((stage) => expect.objectContaining({ stage, blocks_at: "2026-10-16T23:00:00.000Z" })),
    );
  });
});
