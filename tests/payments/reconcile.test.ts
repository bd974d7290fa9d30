import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { invoices, payments, subscriptions } from "@/db/schema";
import { newId } from "@/lib/ids";
import { jobs } from "@/lib/jobs/local-runner";
import { attemptInvoicePayment } from "@/lib/services/invoices/attempt-payment";
import { NOT_SUBMITTED, reconcilePayments } from "@/lib/services/payments/reconcile";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { invoiceRow, isCreateIntent, itemsFor, makeCatalog, openInvoice, pendingAfterLostAnswer, snapshot, type Catalog } from "../fake-stripe/helpers";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { ctx, DAY_MS, eventsFor, historyOf, invoicesOfCustomer, NOW, paymentsOf } from "../services/support";
import { makeCustomer } from "../factories";

const fake = withFakeStripe();
let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

const at = (ms: number) => new Date(NOW.getTime() + ms);
const MINUTE = 60_000;

/** How often Stripe was asked about a payment: searches by its metadata, reads of its PaymentIntent. */
function lookups(paymentId: string, intentId?: string | null): number {
  return fake().requests.filter(
    (r) => r.method === "GET" && ((r.path === "/v1/payment_intents/search" && String(r.params.query).includes(`'${paymentId}'`)) || (intentId && r.path === `/v1/payment_intents/${intentId}`)),
  ).length;
}


/** A payment left pending that Stripe never saw: every try failed before it was processed. */
async function pendingNeverSubmitted() {
  const opened = await openInvoice(db, catalog);
  fake().failNext(3, "500", isCreateIntent);
  await expect(attemptInvoicePayment(ctx(db), opened.invoice.id)).rejects.toThrow();
  const [payment] = await paymentsOf(db, opened.invoice.id);
  if (!payment || payment.status !== "pending") throw new Error("expected a pending payment");
  expect(fake().intentsFor(opened.invoice.id)).toHaveLength(0);
  return { ...opened, payment };
}

describe("reconcilePayments (the janitor) against the fake Stripe", () => {
  it("is a local-runner job every 5 minutes", () => {
    expect(jobs.find((j) => j.name === "payments.reconcile")).toMatchObject({ everyMs: 5 * 60_000 });
  });

  it("R16: killed between Stripe's success and our commit — the janitor marks the invoice paid, no second charge", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    // The process "dies" after Stripe charged: the subscription's first invoice is left with a pending payment.
    fake().loseNext(3, isCreateIntent);
    // No answer is not an error for the caller: the subscription is incomplete with its first payment pending.
    const started = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect(started.subscription.status).toBe("incomplete");
    const [invoice] = await invoicesOfCustomer(db, customer.id);
    if (!invoice) throw new Error("no invoice");
    const [pending] = await paymentsOf(db, invoice.id);
    expect(pending).toMatchObject({ status: "pending", gatewayId: null, attempt: 1 });
    const [pi] = fake().intentsFor(invoice.id);
    expect(pi?.status).toBe("succeeded");
    const createsBefore = fake().requests.filter(isCreateIntent).length;

    // Too recent: it may still be in flight. Nothing is asked, nothing changes.
    await reconcilePayments(db, at(MINUTE));
    expect(lookups(pending?.id ?? "")).toBe(0);
    expect((await paymentsOf(db, invoice.id))[0]?.status).toBe("pending");

    const summary = await reconcilePayments(db, at(5 * MINUTE));
    expect(summary).toMatchObject({ settled: 1, errors: [] });
    // Found by its metadata (the payment never learned the intent's id).
    expect(lookups(pending?.id ?? "")).toBe(1);
    expect(fake().requestsTo("GET", "/v1/payment_intents/search").at(-1)?.params.query).toBe(`metadata['payment_id']:'${pending?.id}'`);

    expect(await invoiceRow(db, invoice.id)).toMatchObject({ status: "paid", amountPaid: 1000, amountRemaining: 0 });
    const [paid] = await paymentsOf(db, invoice.id);
    expect(paid).toMatchObject({ id: pending?.id, status: "succeeded", gatewayId: pi?.id, fee: 47, outcome: "authorized" });
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
    expect(sub?.status).toBe("active");
    expect(await historyOf(db, sub?.id ?? "")).toEqual([
      { from: null, to: "incomplete", reason: "created" },
      { from: "incomplete", to: "active", reason: "invoice paid" },
    ]);
    expect(await eventsFor(db, invoice.id, "invoice.paid")).toHaveLength(1);
    // No second charge: no PaymentIntent created since the crash.
    expect(fake().requests.filter(isCreateIntent).length).toBe(createsBefore);
    expect(fake().intentsFor(invoice.id)).toHaveLength(1);

    // Idempotent: a second run finds nothing and changes nothing.
    const before = await snapshot(db, [invoice.id]);
    const again = await reconcilePayments(db, at(10 * MINUTE));
    expect(again).toMatchObject({ settled: 0, flagged: 0, failed: 0, notSubmitted: 0, errors: [] });
    expect(lookups(pending?.id ?? "", pi?.id)).toBe(1);
    expect(await snapshot(db, [invoice.id])).toEqual(before);
  });

  it("never seen by Stripe: after the threshold the payment fails as not_submitted and the next attempt runs under a new key", async () => {
    const { invoice, payment } = await pendingNeverSubmitted();

    await reconcilePayments(db, at(MINUTE));
    expect(lookups(payment.id)).toBe(0);
    const summary = await reconcilePayments(db, at(5 * MINUTE));
    expect(summary).toMatchObject({ notSubmitted: 1, errors: [] });
    const [closed] = await paymentsOf(db, invoice.id);
    expect(closed).toMatchObject({ id: payment.id, status: "failed", failureCode: NOT_SUBMITTED, gatewayId: null });
    expect((await invoiceRow(db, invoice.id)).status).toBe("open");
    // Not a decline: no payment_failed event (no dunning email for our own failure).
    expect(await eventsFor(db, invoice.id, "invoice.payment_failed")).toHaveLength(0);

    // Idempotent: re-checked (Stripe still has nothing), unchanged.
    const before = await snapshot(db, [invoice.id]);
    expect(await reconcilePayments(db, at(10 * MINUTE))).toMatchObject({ notSubmitted: 0, settled: 0 });
    expect(lookups(payment.id)).toBe(2);
    expect(await snapshot(db, [invoice.id])).toEqual(before);

    const next = await attemptInvoicePayment(ctx(db), invoice.id);
    expect(next.payment).toMatchObject({ attempt: 2, status: "succeeded", idempotencyKey: `inv_${invoice.id}_attempt_2` });
    expect(next.invoice.status).toBe("paid");
    expect(fake().intentsFor(invoice.id)).toHaveLength(1);
  });

  it("a not_submitted payment Stripe turns out to have charged after all (search lag) is settled, not charged again", async () => {
    const { invoice, payment, customer } = await pendingNeverSubmitted();
    await reconcilePayments(db, at(5 * MINUTE));
    expect((await paymentsOf(db, invoice.id))[0]).toMatchObject({ status: "failed", failureCode: NOT_SUBMITTED });

    // The charge shows up at Stripe only now (search is eventually consistent; or a retry raced the janitor).
    const method = [...fake().paymentMethods.values()].find(
      (m) => (fake().customers.get(m.customer ?? "")?.metadata as Record<string, string> | undefined)?.tally_customer_id === customer.id,
    );
    if (!method) throw new Error("no card at the fake");
    const late = fake().createIntentDirectly({ amount: payment.amount, currency: "aud", paymentMethod: method.id, customer: method.customer, metadata: { invoice_id: invoice.id, payment_id: payment.id } });
    expect(late.status).toBe("succeeded");

    const summary = await reconcilePayments(db, at(15 * MINUTE));
    expect(summary).toMatchObject({ settled: 1, errors: [] });
    expect((await paymentsOf(db, invoice.id)).map((p) => [p.attempt, p.status, p.gatewayId])).toEqual([[1, "succeeded", late.id]]);
    expect(await invoiceRow(db, invoice.id)).toMatchObject({ status: "paid", amountPaid: 1100 });
    // Nothing more to charge.
    expect((await attemptInvoicePayment(ctx(db), invoice.id)).payment).toBeNull();
    expect(fake().intentsFor(invoice.id)).toHaveLength(1);
  });

  it("a decline Stripe recorded but we never heard about is applied as a failure", async () => {
    const { invoice, payment } = await pendingAfterLostAnswer(db, catalog, fake(), "pm_card_chargeDeclinedInsufficientFunds");
    const [pi] = fake().intentsFor(invoice.id);
    expect(pi?.status).toBe("requires_payment_method");

    const summary = await reconcilePayments(db, at(5 * MINUTE));
    expect(summary).toMatchObject({ failed: 1, errors: [] });
    expect((await paymentsOf(db, invoice.id))[0]).toMatchObject({
      id: payment.id,
      status: "failed",
      gatewayId: pi?.id,
      failureCode: "card_declined",
      declineCode: "insufficient_funds",
    });
    expect((await invoiceRow(db, invoice.id)).status).toBe("open");
    expect(await eventsFor(db, invoice.id, "invoice.payment_failed")).toHaveLength(1);

    const before = await snapshot(db, [invoice.id]);
    expect((await reconcilePayments(db, at(10 * MINUTE))).failed).toBe(0);
    expect(await snapshot(db, [invoice.id])).toEqual(before);
  });

  it("Stripe charged, but the invoice was meanwhile paid another way: the payment records the charge, the invoice is untouched, staff get an item — no refund", async () => {
    const { invoice, payment } = await pendingAfterLostAnswer(db, catalog, fake());
    // Staff recorded a bank transfer for the invoice while the card charge was stuck.
    await db.insert(payments).values({
      id: newId("payment"),
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      amount: 1100,
      currency: "aud",
      status: "succeeded",
      method: "bank_transfer",
      gateway: "manual",
      idempotencyKey: `manual_${invoice.id}`,
      attempt: 99,
      settledAt: NOW,
    });
    await db.update(invoices).set({ status: "paid", amountPaid: 1100, amountRemaining: 0, paidAt: NOW }).where(eq(invoices.id, invoice.id));
    const refundsBefore = fake().requestsTo("POST", "/v1/refunds").length;

    const summary = await reconcilePayments(db, at(5 * MINUTE));
    expect(summary).toMatchObject({ flagged: 1, settled: 0, errors: [] });
    const [pi] = fake().intentsFor(invoice.id);
    const card = (await paymentsOf(db, invoice.id)).find((p) => p.id === payment.id);
    expect(card).toMatchObject({ status: "succeeded", gatewayId: pi?.id, fee: 49 });
    expect(await invoiceRow(db, invoice.id)).toMatchObject({ status: "paid", amountPaid: 1100, amountRemaining: 0 });
    const items = await itemsFor(db, [payment.id]);
    expect(items.map((i) => [i.kind, i.status])).toEqual([["unapplied_gateway_success", "open"]]);
    expect(items[0]?.detail).toContain(pi?.id ?? "?");
    expect(items[0]?.detail).toContain("the invoice is paid");
    expect(fake().requestsTo("POST", "/v1/refunds").length).toBe(refundsBefore);
    expect(await eventsFor(db, invoice.id, "invoice.paid")).toHaveLength(0);

    // Idempotent: one item, nothing else changes.
    const before = await snapshot(db, [invoice.id]);
    await reconcilePayments(db, at(10 * MINUTE));
    expect(await snapshot(db, [invoice.id])).toEqual(before);
  });

  it("Stripe charged, but the invoice's amount changed while the payment was pending: flagged, not applied", async () => {
    const { invoice, payment } = await pendingAfterLostAnswer(db, catalog, fake());
    await db.update(invoices).set({ amountRemaining: 600 }).where(eq(invoices.id, invoice.id));

    const summary = await reconcilePayments(db, at(5 * MINUTE));
    expect(summary).toMatchObject({ flagged: 1, settled: 0 });
    expect(await invoiceRow(db, invoice.id)).toMatchObject({ status: "open", amountRemaining: 600, amountPaid: 0 });
    expect((await paymentsOf(db, invoice.id))[0]?.status).toBe("succeeded");
    const [item] = await itemsFor(db, [payment.id]);
    expect(item?.detail).toContain("600 remaining");
  });

  it("requires_action for over a day and the customer did authenticate (the webhook was lost): settled as paid", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_authenticationRequired" });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    if (!invoice) throw new Error("no invoice");
    const [payment] = await paymentsOf(db, invoice.id);
    expect(payment?.status).toBe("requires_action");

    // Still waiting at Stripe: re-read after a day, nothing changes.
    await reconcilePayments(db, at(2 * 3_600_000));
    expect(lookups(payment?.id ?? "", payment?.gatewayId)).toBe(0);
    const before = await snapshot(db, [invoice.id]);
    await reconcilePayments(db, at(25 * 3_600_000));
    expect(lookups(payment?.id ?? "", payment?.gatewayId)).toBe(1);
    expect(await snapshot(db, [invoice.id])).toEqual(before);

    fake().confirmOnSession(payment?.gatewayId ?? "");
    const summary = await reconcilePayments(db, at(26 * 3_600_000));
    expect(summary).toMatchObject({ settled: 1 });
    expect(await invoiceRow(db, invoice.id)).toMatchObject({ status: "paid", amountPaid: 1000 });
    expect((await paymentsOf(db, invoice.id))[0]).toMatchObject({ status: "succeeded", gatewayId: payment?.gatewayId, fee: 47 });
    expect(fake().intentsFor(invoice.id)).toHaveLength(1);

    // Past the 30-day window a payment still awaiting authentication is dunning's, not the janitor's: not even looked up.
    await db.update(payments).set({ status: "requires_action" }).where(eq(payments.id, payment?.id ?? ""));
    await reconcilePayments(db, at(40 * DAY_MS));
    expect(lookups(payment?.id ?? "", payment?.gatewayId)).toBe(2);
    expect((await paymentsOf(db, invoice.id))[0]?.status).toBe("requires_action");
  });

  it("skips payments recorded by another gateway", async () => {
    const { invoice } = await openInvoice(db, catalog);
    const id = newId("payment");
    await db.insert(payments).values({
      id,
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      amount: 1100,
      currency: "aud",
      status: "pending",
      gateway: "sandbox",
      idempotencyKey: `inv_${invoice.id}_attempt_1`,
      attempt: 1,
      createdAt: NOW,
    });
    const summary = await reconcilePayments(db, at(5 * MINUTE));
    expect(summary.skipped).toBeGreaterThanOrEqual(1);
    expect((await db.select().from(payments).where(eq(payments.id, id)))[0]?.status).toBe("pending");
    await db.delete(payments).where(eq(payments.id, id));
  });
});
