import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { reconciliationItems, subscriptions } from "@/db/schema";
import { refundIdempotencyKey } from "@/lib/payments";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import { confirmAuthenticatedPayment } from "@/lib/services/payments/sca/confirm-payment";
import { ctx, eventsFor, historyOf, needsPostgres } from "../services/support";
import {
  awaitingAuthentication,
  charge,
  chargedButUnrecorded,
  drainOutbox,
  emailsTo,
  gatewayAnswer,
  invoiceRow,
  nowSeconds,
  paidInvoice,
  paymentIntent,
  paymentRow,
  postJson,
  sandboxChargesFor,
  stripeEvent,
  type Seeded,
} from "./support";
import { makeCatalog, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

async function subscriptionStatus(id: string) {
  const [row] = await db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id));
  return row?.status;
}

async function expectSettledAsGateway(seed: Seeded) {
  const gw = await gatewayAnswer(seed.payment.gatewayId);
  const payment = await paymentRow(db, seed.payment.id);
  expect(payment.status).toBe(gw?.status);
  expect(payment.gatewayId).toBe(gw?.gatewayId);
  return payment;
}

describe("R4: events out of order end in the gateway's state, never regressing", () => {
  it("succeeded before requires_action (the customer authenticated at the bank): succeeded, paid, active", async () => {
    const seed = await awaitingAuthentication(ctx(db), catalog);
    expect((await paymentRow(db, seed.payment.id)).status).toBe("requires_action");
    // The customer authenticated; the browser never came back to Tally. Stripe sends both events, reversed.
    await sandboxGateway.completeAuthentication(seed.payment.gatewayId);
    const t = nowSeconds();
    const succeeded = stripeEvent({ type: "payment_intent.succeeded", created: t + 5, object: paymentIntent(seed.payment, "succeeded") });
    const requiresAction = stripeEvent({ type: "payment_intent.requires_action", created: t, object: paymentIntent(seed.payment, "requires_action") });
    expect((await postJson(succeeded)).outcome?.status).toBe("processed");
    expect((await postJson(requiresAction)).outcome).toMatchObject({ status: "ignored", note: "the payment is already succeeded" });

    const payment = await expectSettledAsGateway(seed);
    expect(payment).toMatchObject({ status: "succeeded", fee: expect.any(Number), riskLevel: "normal", outcome: "authorized" });
    expect(await invoiceRow(db, seed.invoiceId)).toMatchObject({ status: "paid", amountPaid: seed.payment.amount, amountRemaining: 0 });
    expect(await subscriptionStatus(seed.subscriptionId)).toBe("active");
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
  });

  it("requires_action arriving first, when the gateway already says succeeded, applies the success (re-read, not the stale event)", async () => {
    const seed = await awaitingAuthentication(ctx(db), catalog);
    await sandboxGateway.completeAuthentication(seed.payment.gatewayId);
    const stale = stripeEvent({ type: "payment_intent.requires_action", object: paymentIntent(seed.payment, "requires_action") });
    expect((await postJson(stale)).outcome?.status).toBe("processed");
    await expectSettledAsGateway(seed);
    expect((await paymentRow(db, seed.payment.id)).status).toBe("succeeded");
    const late = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
    expect((await postJson(late)).outcome?.status).toBe("ignored");
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
  });

  it("a stale payment_failed or canceled after a success changes nothing", async () => {
    const seed = await paidInvoice(ctx(db), catalog);
    for (const [type, status] of [
      ["payment_intent.payment_failed", "requires_payment_method"],
      ["payment_intent.canceled", "canceled"],
      ["payment_intent.requires_action", "requires_action"],
    ] as const) {
      const event = stripeEvent({
        type,
        object: paymentIntent(seed.payment, status, { last_payment_error: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." } }),
      });
      expect((await postJson(event)).status).toBe(200);
    }
    expect(await expectSettledAsGateway(seed)).toMatchObject({ status: "succeeded", failureCode: null });
    expect(await invoiceRow(db, seed.invoiceId)).toMatchObject({ status: "paid" });
  });

  it("a decline the webhook reports first is recorded once, with its decline code from the gateway", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog, "pm_card_chargeDeclinedInsufficientFunds");
    const event = stripeEvent({ type: "payment_intent.payment_failed", object: paymentIntent(seed.payment, "requires_payment_method") });
    expect((await postJson(event)).outcome?.status).toBe("processed");
    expect(await expectSettledAsGateway(seed)).toMatchObject({ status: "failed", declineCode: "insufficient_funds" });
    expect(await invoiceRow(db, seed.invoiceId)).toMatchObject({ status: "open" });
    expect(await eventsFor(db, seed.invoiceId, "invoice.payment_failed")).toHaveLength(1);
    // A redelivered success for the same intent cannot turn a recorded failure into a payment.
    const again = stripeEvent({ type: "payment_intent.payment_failed", object: paymentIntent(seed.payment, "requires_payment_method") });
    expect((await postJson(again)).outcome?.status).toBe("ignored");
    expect(await eventsFor(db, seed.invoiceId, "invoice.payment_failed")).toHaveLength(1);
  });

  it("refunded before succeeded: the refund settles the payment from the gateway first, then records the refund", async () => {
    const seed = await chargedButUnrecorded(ctx(db), catalog);
    // The charge succeeded at the gateway and staff refunded 400 of it in the dashboard.
    const refund = await sandboxGateway.refund({ paymentGatewayId: seed.payment.gatewayId, amount: 400, idempotencyKey: refundIdempotencyKey("dashboard", seed.payment.id) });
    expect(refund.status).toBe("succeeded");
    const t = nowSeconds();
    const refunded = stripeEvent({ type: "charge.refunded", created: t + 2, object: charge(seed.payment, 400) });
    const succeeded = stripeEvent({ type: "payment_intent.succeeded", created: t, object: paymentIntent(seed.payment, "succeeded") });

    expect((await postJson(refunded)).outcome?.status).toBe("processed");
    expect(await paymentRow(db, seed.payment.id)).toMatchObject({ status: "succeeded", amountRefunded: 400 });
    expect((await postJson(succeeded)).outcome?.status).toBe("ignored");

    const payment = await expectSettledAsGateway(seed);
    expect(payment).toMatchObject({ status: "succeeded", amountRefunded: 400 });
    expect(await invoiceRow(db, seed.invoiceId)).toMatchObject({ status: "paid", amountPaid: seed.payment.amount });
    expect(await subscriptionStatus(seed.subscriptionId)).toBe("active");
    expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
    // A refund Tally did not make is for staff to match with a credit note.
    const items = await db.select().from(reconciliationItems).where(eq(reconciliationItems.paymentId, seed.payment.id));
    expect(items.map((i) => i.kind)).toEqual(["refund_outside_tally"]);
  });

  it("two partial refunds delivered in reverse end at the larger total; a redelivery never adds", async () => {
    const seed = await paidInvoice(ctx(db), catalog);
    const t = nowSeconds();
    const second = stripeEvent({ type: "charge.refunded", created: t + 1, object: charge(seed.payment, 700) });
    const first = stripeEvent({ type: "charge.refunded", created: t, object: charge(seed.payment, 300) });
    expect((await postJson(second)).outcome?.status).toBe("processed");
    expect((await postJson(first)).outcome).toMatchObject({ status: "ignored", note: "the refund is already recorded" });
    expect((await postJson(second)).outcome?.status).toBe("duplicate");
    expect(await paymentRow(db, seed.payment.id)).toMatchObject({ amountRefunded: 700 });
    expect(await eventsFor(db, seed.payment.id, "payment.refunded")).toHaveLength(1);
  });

  it("an intent Tally never created is acknowledged and ignored", async () => {
    const event = stripeEvent({ type: "payment_intent.succeeded", object: { id: "pi_dashboard_123", object: "payment_intent", status: "succeeded", amount: 500, metadata: {} } });
    expect(await postJson(event)).toMatchObject({ status: 200, outcome: { status: "ignored", note: "no Tally payment for this PaymentIntent" } });
  });
});

describe("R6: the browser's return and the webhook race", () => {
  it.skipIf(needsPostgres)("0–200 ms apart, in both orders: one activation, one invoice.paid, one receipt (needs PostgreSQL)", async () => {
    const delays = [0, 0, 5, 25, 50, 100, 150, 200];
    for (const [i, delay] of delays.entries()) {
      const webhookFirst = i % 2 === 1;
      const seed = await awaitingAuthentication(ctx(db), catalog);
      // stripe.js confirmed the payment in the browser: the gateway says succeeded; now the page
      // returns to Tally (confirm service) and Stripe sends payment_intent.succeeded.
      await sandboxGateway.completeAuthentication(seed.payment.gatewayId);
      const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
      const browser = async () => confirmAuthenticatedPayment(ctx(db, new Date()), seed.payment.id);
      const webhook = async () => postJson(event);
      const later = <T>(fn: () => Promise<T>) => new Promise<T>((resolve, reject) => setTimeout(() => fn().then(resolve, reject), delay));
      const [a, b] = await Promise.all(webhookFirst ? [webhook(), later(browser)] : [browser(), later(webhook)]);
      const hook = (webhookFirst ? a : b) as Awaited<ReturnType<typeof webhook>>;
      expect(hook.status, `delay ${delay}`).toBe(200);

      expect(await historyOf(db, seed.subscriptionId), `delay ${delay}`).toEqual([
        { from: null, to: "incomplete", reason: "created" },
        { from: "incomplete", to: "active", reason: "invoice paid" },
      ]);
      expect(await eventsFor(db, seed.invoiceId, "invoice.paid")).toHaveLength(1);
      expect(await sandboxChargesFor(db, seed.invoiceId)).toHaveLength(1);
      await drainOutbox(db);
      expect(await emailsTo(db, seed.customerId, "receipt"), `delay ${delay}`).toHaveLength(1);
      expect(await invoiceRow(db, seed.invoiceId)).toMatchObject({ status: "paid", amountPaid: seed.payment.amount, amountRemaining: 0 });
    }
  });

  it("sequentially (either path first), the second path changes nothing", async () => {
    for (const webhookFirst of [true, false]) {
      const seed = await awaitingAuthentication(ctx(db), catalog);
      await sandboxGateway.completeAuthentication(seed.payment.gatewayId);
      const event = stripeEvent({ type: "payment_intent.succeeded", object: paymentIntent(seed.payment, "succeeded") });
      if (webhookFirst) {
        expect((await postJson(event)).outcome?.status).toBe("processed");
        expect(await confirmAuthenticatedPayment(ctx(db), seed.payment.id)).toBeDefined();
      } else {
        await confirmAuthenticatedPayment(ctx(db), seed.payment.id);
        expect((await postJson(event)).outcome?.status).toBe("ignored");
      }
      expect((await historyOf(db, seed.subscriptionId)).filter((h) => h.to === "active")).toHaveLength(1);
      await drainOutbox(db);
      expect(await emailsTo(db, seed.customerId, "receipt")).toHaveLength(1);
    }
  });
});
