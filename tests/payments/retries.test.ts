import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { emails, invoices, subscriptions } from "@/db/schema";
import { DEFAULT_RETRY_DAYS } from "@/lib/billing/retries/policy";
import { dispatchOutbox } from "@/lib/events/outbox";
import { createOneOffInvoice } from "@/lib/services/invoices/create-one-off-invoice";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { retryDuePayments } from "@/lib/services/payments/retries/retry-due-payments";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { clockCustomer } from "../scenarios/support";
import { ctx, DAY_MS, eventsFor, historyOf, needsPostgres, paymentsOf } from "../services/support";
import { makePlan, makeCatalog, makeCustomer, type Catalog } from "../factories";

// The mailbox, not Resend: these tests read the emails back.
delete process.env.RESEND_API_KEY;

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

const dispatch = () => dispatchOutbox(db, outboxHandler(db));
const at = (start: Date, days: number) => new Date(start.getTime() + days * DAY_MS);

async function invoiceRow(id: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
  if (!row) throw new Error(`invoice ${id} missing`);
  return row;
}

async function subscriptionStatus(id: string) {
  const [row] = await db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id));
  return row?.status;
}

async function mailOf(customerId: string, template: string) {
  return db
    .select()
    .from(emails)
    .where(and(eq(emails.customerId, customerId), eq(emails.template, template)))
    .orderBy(asc(emails.createdAt), asc(emails.id));
}

/** A subscriber on a test clock who paid the first month with 4242, then switched to `card` as the default. */
async function renewingWith(card: string, start = new Date("2026-01-15T00:00:00Z")) {
  const clock = await clockCustomer(start);
  const { priceId } = await makePlan(db, { code: "retry", unitAmount: 1000 });
  const { subscription, invoice } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
  expect(subscription.status).toBe("active");
  expect(invoice?.status).toBe("paid");
  await attachPaymentMethod(clock.ctx, { customerId: clock.customerId, token: card, makeDefault: true });
  return { ...clock, subscription };
}

async function renewalOf(subscriptionId: string) {
  const rows = await db.select().from(invoices).where(and(eq(invoices.subscriptionId, subscriptionId), eq(invoices.billingReason, "subscription_cycle"))).orderBy(asc(invoices.createdAt));
  const [renewal] = rows;
  if (!renewal || rows.length !== 1) throw new Error(`expected one renewal, found ${rows.length}`);
  return renewal;
}

describe("retries by decline code", () => {
  it("a soft decline (4000 0000 0000 0341) is retried 1, 3, 7 and 14 days after the first failure, each a new attempt, then stops", async () => {
    const { subscription, customerId, advance } = await renewingWith("pm_card_chargeCustomerFail");
    const renewedAt = new Date("2026-02-15T00:00:00Z");

    await advance(renewedAt);
    const renewal = await renewalOf(subscription.id);
    expect(renewal).toMatchObject({ status: "open", nextPaymentAttemptAt: at(renewedAt, 1) });
    expect(await subscriptionStatus(subscription.id)).toBe("past_due");
    await dispatch();
    const [first] = await mailOf(customerId, "payment-failed");
    expect(first?.subject).toBe(`Your payment for invoice ${renewal.number} did not go through`);
    expect(first?.text).toContain("We'll try again automatically on 16 Feb 2026, or you can update your card now");
    expect(first?.text).toMatch(/https?:\/\/\S+\/payment-methods\/add(\s|$)/);
    expect(first?.text).toContain("Your card was declined.");

    // Advancing the clock past the schedule runs each retry at its own instant, in order.
    await advance(at(renewedAt, 20));
    const attempts = await paymentsOf(db, renewal.id);
    expect(attempts.map((p) => [p.attempt, p.status, p.idempotencyKey, p.createdAt.toISOString()])).toEqual(
      [0, ...DEFAULT_RETRY_DAYS].map((days, i) => [i + 1, "failed", `inv_${renewal.id}_attempt_${i + 1}`, at(renewedAt, days).toISOString()]),
    );
    expect(await invoiceRow(renewal.id)).toMatchObject({ status: "open", nextPaymentAttemptAt: null, amountPaid: 0 });
    // Dunning blocked the customer on day 14 and applied the default final action (tests/dunning).
    expect(await subscriptionStatus(subscription.id)).toBe("unpaid");

    // One email per failed payment: the retries say when the next one is, the last asks for a card.
    await dispatch();
    await dispatch();
    const failed = await mailOf(customerId, "payment-failed");
    expect(failed).toHaveLength(5);
    expect(failed.map((m) => /try again automatically on (\d+ \w+ \d{4})/.exec(m.text)?.[1] ?? null)).toEqual([
      "16 Feb 2026",
      "18 Feb 2026",
      "22 Feb 2026",
      "1 Mar 2026",
      null,
    ]);
    expect(failed[4]?.subject).toBe(`Please update your card to pay invoice ${renewal.number}`);
    expect(failed[4]?.text).toContain("We won't try this card again automatically");
    expect(new Set(failed.map((m) => m.eventId)).size).toBe(5);

    // Nothing more happens until the next renewal.
    await advance(at(renewedAt, 25));
    expect(await paymentsOf(db, renewal.id)).toHaveLength(5);
  });

  it("a hard decline (expired card) schedules no retry and asks for a new card; a new default card pays at once", async () => {
    const { subscription, customerId, ctx: c, advance } = await renewingWith("pm_card_chargeDeclinedExpiredCard");
    const renewedAt = new Date("2026-02-15T00:00:00Z");
    await advance(renewedAt);
    const renewal = await renewalOf(subscription.id);
    expect(renewal).toMatchObject({ status: "open", nextPaymentAttemptAt: null });
    expect((await paymentsOf(db, renewal.id)).map((p) => [p.attempt, p.status, p.declineCode])).toEqual([[1, "failed", "expired_card"]]);
    expect(await subscriptionStatus(subscription.id)).toBe("past_due");

    await advance(at(renewedAt, 10));
    expect(await paymentsOf(db, renewal.id)).toHaveLength(1);
    await dispatch();
    const [mail, ...more] = await mailOf(customerId, "payment-failed");
    expect(more).toEqual([]);
    expect(mail?.subject).toBe(`Please update your card to pay invoice ${renewal.number}`);
    expect(mail?.text).toContain("Your card has expired.");
    expect(mail?.text).not.toContain("try again automatically on");

    // The customer adds 4242 as the default: the open invoice is charged straight away.
    await attachPaymentMethod(c, { customerId, token: "pm_card_visa", makeDefault: true });
    expect(await invoiceRow(renewal.id)).toMatchObject({ status: "paid", amountPaid: 1000, amountRemaining: 0, nextPaymentAttemptAt: null });
    expect((await paymentsOf(db, renewal.id)).map((p) => [p.attempt, p.status, p.idempotencyKey])).toEqual([
      [1, "failed", `inv_${renewal.id}_attempt_1`],
      [2, "succeeded", `inv_${renewal.id}_attempt_2`],
    ]);
    expect(await subscriptionStatus(subscription.id)).toBe("active");
    expect((await historyOf(db, subscription.id)).slice(-2)).toEqual([
      { from: "active", to: "past_due", reason: "renewal payment failed" },
      { from: "past_due", to: "active", reason: "invoice paid" },
    ]);
    await dispatch();
    expect(await mailOf(customerId, "receipt")).toHaveLength(2);
  });

  it("a new default card during a soft-decline schedule pays at once, oldest open invoice first, and the schedule ends", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_chargeDeclinedInsufficientFunds" });
    const one = await createOneOffInvoice(c, { customerId: customer.id, lines: [{ description: "Setup", unitAmount: 500, quantity: 1, taxBehavior: "exclusive" }], autoAdvance: true });
    const two = await createOneOffInvoice(ctx(db, new Date(c.now.getTime() + 1000)), {
      customerId: customer.id,
      lines: [{ description: "Course", unitAmount: 700, quantity: 1, taxBehavior: "exclusive" }],
      autoAdvance: true,
    });
    expect((await invoiceRow(one.id)).nextPaymentAttemptAt).toEqual(at(c.now, 1));
    expect((await invoiceRow(two.id)).nextPaymentAttemptAt).toEqual(at(new Date(c.now.getTime() + 1000), 1));

    // A card that is not made the default retries nothing.
    await attachPaymentMethod(c, { customerId: customer.id, token: "pm_card_mastercard" });
    expect(await paymentsOf(db, one.id)).toHaveLength(1);

    const later = ctx(db, at(c.now, 0.5));
    await attachPaymentMethod(later, { customerId: customer.id, token: "pm_card_visa", makeDefault: true });
    const [paidOne, paidTwo] = [await invoiceRow(one.id), await invoiceRow(two.id)];
    expect(paidOne).toMatchObject({ status: "paid", nextPaymentAttemptAt: null });
    expect(paidTwo).toMatchObject({ status: "paid", nextPaymentAttemptAt: null });
    expect(paidOne.paidAt!.getTime()).toBeLessThanOrEqual(paidTwo.paidAt!.getTime());
    const [p1, p2] = [await paymentsOf(db, one.id), await paymentsOf(db, two.id)];
    expect(p1[1]!.createdAt.getTime()).toBeLessThanOrEqual(p2[1]!.createdAt.getTime());

    // The run that was due tomorrow finds nothing to do.
    expect(await retryDuePayments(db, at(c.now, 2))).toMatchObject({ attempted: 0 });
  });

  it("retryDuePayments twice for the same now makes one attempt; it skips customers on test clocks", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_chargeCustomerFail" });
    const invoice = await createOneOffInvoice(c, { customerId: customer.id, lines: [{ description: "Setup", unitAmount: 500, quantity: 1, taxBehavior: "exclusive" }], autoAdvance: true });
    const dueAt = at(c.now, 1);
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: "open", nextPaymentAttemptAt: dueAt });

    // Not due yet.
    await retryDuePayments(db, new Date(dueAt.getTime() - 1));
    expect(await paymentsOf(db, invoice.id)).toHaveLength(1);

    const first = await retryDuePayments(db, dueAt);
    const second = await retryDuePayments(db, dueAt);
    expect(first.attempted).toBeGreaterThanOrEqual(1);
    expect(second).toMatchObject({ attempted: 0, failed: [] });
    expect((await paymentsOf(db, invoice.id)).map((p) => [p.attempt, p.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
    ]);
    expect((await invoiceRow(invoice.id)).nextPaymentAttemptAt).toEqual(at(c.now, 3));
    expect(await eventsFor(db, invoice.id, "invoice.payment_failed")).toHaveLength(2);

    // A test clock's customer is retried in the clock's time, when the clock moves — never by the wall clock.
    const clocked = await renewingWith("pm_card_chargeCustomerFail");
    await clocked.advance("2026-02-15T00:00:00Z");
    const renewal = await renewalOf(clocked.subscription.id);
    expect(renewal.nextPaymentAttemptAt).toEqual(new Date("2026-02-16T00:00:00Z"));
    await retryDuePayments(db, new Date("2099-01-01T00:00:00Z"));
    expect(await paymentsOf(db, renewal.id)).toHaveLength(1);
    expect(await retryDuePayments(db, new Date("2026-02-16T00:00:00Z"), { testClockId: clocked.clockId })).toMatchObject({ due: 1, attempted: 1 });
    expect((await paymentsOf(db, renewal.id)).map((p) => p.attempt)).toEqual([1, 2]);
  });

  it.skipIf(needsPostgres)("two retry runs at once charge a due invoice once (needs PostgreSQL)", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_chargeCustomerFail" });
    const invoice = await createOneOffInvoice(c, { customerId: customer.id, lines: [{ description: "Setup", unitAmount: 500, quantity: 1, taxBehavior: "exclusive" }], autoAdvance: true });
    const dueAt = at(c.now, 1);
    const runs = await Promise.all([retryDuePayments(db, dueAt), retryDuePayments(db, dueAt), retryDuePayments(db, dueAt)]);
    expect(runs.every((r) => r.failed.length === 0)).toBe(true);
    expect((await paymentsOf(db, invoice.id)).map((p) => p.attempt)).toEqual([1, 2]);
  });

  it("the first invoice of a checkout that was declined is not retried on a schedule", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_chargeDeclined" });
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect(subscription.status).toBe("incomplete");
    expect(await invoiceRow(invoice!.id)).toMatchObject({ status: "open", nextPaymentAttemptAt: null });
  });
});
