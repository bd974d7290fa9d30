import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { auditLog, invoiceLines, sandboxCharges, subscriptions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx, DAY_MS, eventsFor, historyOf, invoicesOfCustomer, NOW, paymentsOf } from "./support";
import { httpStatus } from "@/lib/api/problem";
import { makeCatalog, makeCustomer, makeTestClock, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("createSubscription", () => {
  it("charges automatically with pm_card_visa: active, paid, numbered, GST-inclusive, audited, with an invoice.paid event", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });

    expect(subscription.status).toBe("active");
    expect(subscription.currentPeriodStart).toEqual(NOW);
    // One calendar month later on the Sydney clock: 12:00 AEDT on 10 Mar, 12:00 AEST on 10 Apr (DST ends 5 Apr 2026).
    expect(subscription.currentPeriodEnd).toEqual(new Date("2026-04-10T02:00:00.000Z"));
    expect(subscription.latestInvoiceId).toBe(invoice?.id);

    expect(invoice).not.toBeNull();
    if (!invoice) return;
    expect(invoice.number).toBe("TLY-000001");
    expect(invoice.number).toMatch(/^TLY-\d{6}$/);
    expect(invoice).toMatchObject({
      status: "paid",
      billingReason: "subscription_create",
      currency: "aud",
      subtotal: 1000,
      discountTotal: 0,
      tax: 91,
      total: 1000,
      creditApplied: 0,
      amountDue: 1000,
      amountPaid: 1000,
      amountRemaining: 0,
      collectionMethod: "charge_automatically",
      subscriptionId: subscription.id,
    });
    expect(invoice.paidAt).toEqual(NOW);
    expect(invoice.finalizedAt).toEqual(NOW);

    const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ amount: 1000, quantity: 1, unitAmount: 1000, priceId: catalog.audInclusive.id, description: "Starter" });
    expect(lines[0]?.taxAmounts).toEqual([{ amount: 91, rate: "0.1", jurisdiction: "AU GST", inclusive: true, reverseCharge: false }]);

    const pays = await paymentsOf(db, invoice.id);
    expect(pays).toHaveLength(1);
    expect(pays[0]).toMatchObject({
      status: "succeeded",
      amount: 1000,
      currency: "aud",
      attempt: 1,
      idempotencyKey: `inv_${invoice.id}_attempt_1`,
      // 1.7% of 1000 + 30.
      fee: 47,
      gateway: "sandbox",
      paymentMethodId: customer.defaultPaymentMethodId,
      failureCode: null,
      declineCode: null,
    });
    expect(pays[0]?.gatewayId).toMatch(/^pi_sbx_/);
    const charges = await db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, `inv_${invoice.id}_attempt_1`));
    expect(charges).toHaveLength(1);

    expect(await historyOf(db, subscription.id)).toEqual([
      { from: null, to: "incomplete", reason: "created" },
      { from: "incomplete", to: "active", reason: "invoice paid" },
    ]);

    const subAudit = await db.select().from(auditLog).where(eq(auditLog.entityId, subscription.id));
    expect(subAudit.map((a) => a.action).sort()).toEqual(["subscription.active", "subscription.created"]);
    expect(subAudit.every((a) => a.actorType === "system" && a.actorId === "test")).toBe(true);
    const invoiceAudit = await db.select().from(auditLog).where(eq(auditLog.entityId, invoice.id));
    expect(invoiceAudit.map((a) => a.action).sort()).toEqual(["invoice.finalized", "invoice.paid"]);

    const paidEvents = await eventsFor(db, invoice.id, "invoice.paid");
    expect(paidEvents).toHaveLength(1);
    expect(paidEvents[0]?.payload).toEqual({ invoice: invoice.id, payment: pays[0]?.id });
    expect(paidEvents[0]?.dispatchedAt).toBeNull();
    expect((await eventsFor(db, invoice.id, "invoice.finalized")).length).toBe(1);
  });

  it("bills a US customer on the USD exclusive price without GST: total = unit amount", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { currency: "usd", timezone: "America/New_York", address: { country: "US" } });
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.usdExclusive.id, quantity: 1 }] });
    expect(subscription.status).toBe("active");
    expect(invoice).toMatchObject({ status: "paid", currency: "usd", subtotal: 1500, tax: 0, total: 1500, amountDue: 1500, amountPaid: 1500, amountRemaining: 0 });
    const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice?.id ?? ""));
    expect(lines.map((l) => l.taxAmounts)).toEqual([[]]);
    const pays = await paymentsOf(db, invoice?.id ?? "");
    expect(pays.map((p) => [p.status, p.amount, p.currency, p.fee])).toEqual([["succeeded", 1500, "usd", 56]]);
  });

  it("adds GST on top for an Australian customer on an exclusive price", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audExclusive.id, quantity: 2 }] });
    expect(invoice).toMatchObject({ status: "paid", subtotal: 2000, tax: 200, total: 2200, amountDue: 2200, amountPaid: 2200, amountRemaining: 0 });
    const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice?.id ?? ""));
    expect(lines.map((l) => [l.description, l.amount, l.quantity, l.unitAmount])).toEqual([["2 × Starter (ex GST)", 2000, 2, 1000]]);
    expect(lines[0]?.taxAmounts).toEqual([{ amount: 200, rate: "0.1", jurisdiction: "AU GST", inclusive: false, reverseCharge: false }]);
    expect((await paymentsOf(db, invoice?.id ?? "")).map((p) => p.amount)).toEqual([2200]);
  });

  it("leaves the subscription incomplete and the invoice open when the card is declined", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_chargeDeclined" });
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect(subscription.status).toBe("incomplete");
    expect(invoice).toMatchObject({ status: "open", total: 1000, amountDue: 1000, amountPaid: 0, amountRemaining: 1000, paidAt: null });
    expect(invoice?.number).toMatch(/^TLY-\d{6}$/);
    const pays = await paymentsOf(db, invoice?.id ?? "");
    expect(pays).toHaveLength(1);
    expect(pays[0]).toMatchObject({
      status: "failed",
      attempt: 1,
      idempotencyKey: `inv_${invoice?.id}_attempt_1`,
      failureCode: "card_declined",
      declineCode: "generic_decline",
      failureMessage: "Your card was declined.",
      fee: null,
    });
    expect(await historyOf(db, subscription.id)).toEqual([{ from: null, to: "incomplete", reason: "created" }]);
    expect((await eventsFor(db, invoice?.id ?? "", "invoice.payment_failed")).length).toBe(1);
    expect((await eventsFor(db, invoice?.id ?? "", "invoice.paid")).length).toBe(0);
    const [stored] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(stored?.status).toBe("incomplete");
  });

  it("refuses to charge automatically without a payment method, naming customer, and writes nothing", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const error = await rejection(createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] }));
    expect(error.code).toBe("validation_failed");
    expect(error.param).toBe("customer");
    expect(httpStatus(error)).toBe(422);
    expect(await db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id))).toEqual([]);
    expect(await invoicesOfCustomer(db, customer.id)).toEqual([]);
  });

  it("starts a trial plan as trialing, with no invoice", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audTrial.id, quantity: 1 }] });
    expect(invoice).toBeNull();
    expect(subscription.status).toBe("trialing");
    expect(subscription.trialStart).toEqual(NOW);
    expect(subscription.trialEnd).toEqual(new Date(NOW.getTime() + 14 * DAY_MS));
    expect(subscription.currentPeriodEnd).toEqual(subscription.trialEnd);
    expect(subscription.billingCycleAnchor).toEqual(subscription.trialEnd);
    expect(subscription.latestInvoiceId).toBeNull();
    expect(await invoicesOfCustomer(db, customer.id)).toEqual([]);
    expect(await historyOf(db, subscription.id)).toEqual([{ from: null, to: "trialing", reason: "created" }]);
  });

  it("send_invoice: active at once with an open invoice due days_until_due after now, and no charge", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const { subscription, invoice } = await createSubscription(c, {
      customerId: customer.id,
      items: [{ priceId: catalog.audInclusive.id, quantity: 1 }],
      collectionMethod: "send_invoice",
      daysUntilDue: 7,
    });
    expect(subscription).toMatchObject({ status: "active", collectionMethod: "send_invoice", daysUntilDue: 7 });
    expect(invoice).toMatchObject({ status: "open", collectionMethod: "send_invoice", total: 1000, tax: 91, amountDue: 1000, amountPaid: 0, amountRemaining: 1000 });
    expect(invoice?.dueDate).toEqual(new Date(NOW.getTime() + 7 * DAY_MS));
    expect(await paymentsOf(db, invoice?.id ?? "")).toEqual([]);
    expect(await historyOf(db, subscription.id)).toEqual([
      { from: null, to: "incomplete", reason: "created" },
      { from: "incomplete", to: "active", reason: "invoice sent" },
    ]);
  });

  it("refuses a price in another currency than the customer's, naming items[0].price", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const error = await rejection(createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.usdExclusive.id, quantity: 1 }] }));
    expect(error.code).toBe("validation_failed");
    expect(error.param).toBe("items[0].price");
    expect(error.userMessage).toContain("USD");
    expect(error.userMessage).toContain("AUD");
    expect(await db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id))).toEqual([]);
  });

  it("starts a test-clock customer's subscription at the clock's frozen time, not now", async () => {
    const frozen = new Date("2025-06-15T02:00:00.000Z");
    const clockId = await makeTestClock(db, frozen);
    const c = ctx(db);
    const customer = await makeCustomer(c, { testClockId: clockId });
    expect(customer.createdAt).toEqual(frozen);
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect(subscription).toMatchObject({ status: "active", testClockId: clockId });
    expect(subscription.currentPeriodStart).toEqual(frozen);
    expect(subscription.billingCycleAnchor).toEqual(frozen);
    expect(subscription.createdAt).toEqual(frozen);
    expect(subscription.currentPeriodEnd).toEqual(new Date("2025-07-15T02:00:00.000Z"));
    expect(invoice?.periodStart).toEqual(frozen);
    expect(invoice?.periodEnd).toEqual(new Date("2025-07-15T02:00:00.000Z"));
    expect(invoice?.finalizedAt).toEqual(frozen);
    expect(invoice?.paidAt).toEqual(frozen);
    const pays = await paymentsOf(db, invoice?.id ?? "");
    expect(pays.map((p) => p.status)).toEqual(["succeeded"]);
    // The payment lives in the clock's time too: created and settled at the frozen time.
    expect(pays[0]?.createdAt).toEqual(frozen);
    expect(pays[0]?.settledAt).toEqual(frozen);
    const history = await db.select().from(subscriptions).where(and(eq(subscriptions.customerId, customer.id), eq(subscriptions.testClockId, clockId)));
    expect(history).toHaveLength(1);
  });
});
