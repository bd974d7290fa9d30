import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { creditNotes, customers, invoices, paymentMethods, payments, reconciliationItems, refunds, subscriptions } from "@/db/schema";
import { POST as createSubscriptionRoute } from "@/app/api/v1/subscriptions/route";
import { POST as attachRoute } from "@/app/api/v1/customers/[id]/payment_methods/route";
import { POST as payInvoiceRoute } from "@/app/api/v1/invoices/[id]/pay/route";
import { POST as refundRoute } from "@/app/api/v1/refunds/route";
import { renderProblem } from "@/lib/api/problem";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { resendPendingRefunds } from "@/lib/services/credit-notes/refund-payments";
import { reconcilePayments } from "@/lib/services/payments/reconcile";
import { confirmAuthenticatedPayment } from "@/lib/services/payments/sca/confirm-payment";
import { startCardSetup } from "@/lib/services/payments/start-card-setup";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import type { InjectedError } from "../fake-stripe/server";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { call, newKey, problemOf } from "../api/support";
import { ctx, DAY_MS, NOW } from "../services/support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";
import { messages, takeLogged } from "@/tests/setup/logs";

/**
 * Item: a refusal from Stripe is not a server error. For each gateway call site the fake Stripe
 * answers as Stripe refuses (invalid_request_error 400), declines (card_error 402) or fails to
 * answer (5xx/429 after retries); each lands where docs/decisions/022 says, never a 500, and no
 * half-made rows are left (the tables are read back).
 */
const fake = withFakeStripe({ timeoutMs: 2_000 });
let db: Db;
let catalog: Catalog;
let key: string;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
  key = (await newKey()).key;
});

const REFUSAL: InjectedError = { status: 400, type: "invalid_request_error", code: "parameter_invalid_empty", param: "email", message: "You passed an empty string for 'email'." };
const post = (path: string) => (r: { method: string; path: string }) => r.method === "POST" && r.path === path;

async function rowsFor(customerId: string) {
  return {
    subscriptions: await db.select().from(subscriptions).where(eq(subscriptions.customerId, customerId)),
    invoices: await db.select().from(invoices).where(eq(invoices.customerId, customerId)),
    payments: await db.select().from(payments).where(eq(payments.customerId, customerId)),
    cards: await db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customerId)),
  };
}

describe("Stripe refuses creating the customer", () => {
  it("POST /subscriptions: a 400 problem naming Stripe's reason, and nothing is created", async () => {
    const customer = await makeCustomer(ctx(db));
    // A customer whose Stripe customer is not made yet (its card was saved before, e.g. in the sandbox).
    await db.update(customers).set({ gatewayCustomerId: null }).where(eq(customers.id, customer.id));
    fake().failNextWith(1, REFUSAL, post("/v1/customers"));
    const res = await call(createSubscriptionRoute, { key, path: "/subscriptions", body: { customer: customer.id, items: [{ price: catalog.audExclusive.id }] } });
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem).toMatchObject({ code: "gateway_refused", gateway_code: "parameter_invalid_empty", gateway_param: "email" });
    expect(problem.detail).toContain("You passed an empty string for 'email'.");
    const rows = await rowsFor(customer.id);
    expect(rows.subscriptions).toEqual([]);
    expect(rows.invoices).toEqual([]);
    expect(rows.payments).toEqual([]);
  });

  it("POST /customers/{id}/payment_methods: 400, no card saved; Stripe down instead: 503, no card saved", async () => {
    const customer = await makeCustomer(ctx(db), { card: null });
    fake().failNextWith(1, REFUSAL, post("/v1/customers"));
    const refused = await call(attachRoute, { key, path: `/customers/${customer.id}/payment_methods`, params: { id: customer.id }, body: { token: "pm_card_visa" } });
    expect(refused.status).toBe(400);
    expect(await problemOf(refused)).toMatchObject({ code: "gateway_refused", detail: expect.stringContaining("create the customer") });

    // A 503 is logged as the server's problem (Stripe down); the test expects that log.
    fake().failNext(3, "500", post("/v1/customers"));
    const down = await call(attachRoute, { key, path: `/customers/${customer.id}/payment_methods`, params: { id: customer.id }, body: { token: "pm_card_visa" } });
    expect(down.status).toBe(503);
    expect(await problemOf(down)).toMatchObject({ code: "unavailable" });
    expect(messages(takeLogged("error"))[0]).toContain("request failed");
    fake().clearFaults();
    expect((await rowsFor(customer.id)).cards).toEqual([]);
    const [row] = await db.select().from(customers).where(eq(customers.id, customer.id));
    expect(row?.gatewayCustomerId).toBeNull();
  });
});

describe("Stripe refuses starting a card setup (SetupIntent)", () => {
  it("is a 400 gateway_refused naming the reason, not a server error", async () => {
    const customer = await makeCustomer(ctx(db));
    fake().failNextWith(1, { status: 400, type: "invalid_request_error", code: "setup_intent_invalid_parameter", message: "This customer cannot save cards." }, post("/v1/setup_intents"));
    const error = await startCardSetup(ctx(db), { customerId: customer.id, ip: null }).catch((e: unknown) => e);
    const problem = renderProblem(error, "req_t");
    expect(problem.status).toBe(400);
    expect(JSON.parse(problem.body)).toMatchObject({ code: "gateway_refused", detail: expect.stringContaining("This customer cannot save cards.") });
  });
});

describe("Stripe refuses or declines attaching the card", () => {
  it("a refusal is 400 naming token, a decline 402 with the bank's words; no card saved, the default unchanged", async () => {
    const customer = await makeCustomer(ctx(db));
    const before = await rowsFor(customer.id);
    fake().failNextWith(1, { status: 400, type: "invalid_request_error", code: "resource_missing", param: "payment_method", message: "No such PaymentMethod: 'pm_gone'" }, (r) => r.method === "POST" && r.path.endsWith("/attach"));
    const refused = await call(attachRoute, { key, path: `/customers/${customer.id}/payment_methods`, params: { id: customer.id }, body: { token: "pm_card_mastercard" } });
    expect(refused.status).toBe(400);
    expect(await problemOf(refused)).toMatchObject({ code: "gateway_refused", param: "token", gateway_code: "resource_missing", detail: expect.stringContaining("No such PaymentMethod") });

    fake().failNextWith(1, { status: 402, type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." }, (r) => r.method === "POST" && r.path.endsWith("/attach"));
    const declined = await call(attachRoute, { key, path: `/customers/${customer.id}/payment_methods`, params: { id: customer.id }, body: { token: "pm_card_mastercard" } });
    expect(declined.status).toBe(402);
    expect(await problemOf(declined)).toMatchObject({ code: "payment_failed", param: "token", decline_code: "generic_decline", detail: "Your card was declined." });

    const after = await rowsFor(customer.id);
    expect(after.cards).toEqual(before.cards);
    const [row] = await db.select().from(customers).where(eq(customers.id, customer.id));
    expect(row?.defaultPaymentMethodId).toBe(customer.defaultPaymentMethodId);
  });
});

describe("Stripe refuses the charge", () => {
  it("POST /subscriptions: 200 incomplete with the first payment failed carrying Stripe's reason; no pending payment", async () => {
    const customer = await makeCustomer(ctx(db));
    fake().failNextWith(1, { status: 400, type: "invalid_request_error", code: "payment_method_invalid_parameter", param: "payment_method", message: "The provided PaymentMethod was previously used without being attached to a Customer." }, post("/v1/payment_intents"));
    const res = await call(createSubscriptionRoute, { key, path: "/subscriptions", body: { customer: customer.id, items: [{ price: catalog.audExclusive.id }] } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "incomplete" });
    const rows = await rowsFor(customer.id);
    expect(rows.subscriptions.map((s) => s.status)).toEqual(["incomplete"]);
    expect(rows.invoices.map((i) => i.status)).toEqual(["open"]);
    expect(rows.payments).toHaveLength(1);
    expect(rows.payments[0]).toMatchObject({ status: "failed", failureCode: "gateway_refused", declineCode: null });
    expect(rows.payments[0]?.failureMessage).toContain("previously used without being attached");
    // Not retried unchanged: the invoice waits for a new card (which retries it at once) or staff.
    expect(rows.invoices[0]?.nextPaymentAttemptAt).toBeNull();
  });

  it("POST /invoices/{id}/pay: a refusal is a 400 gateway_refused (a decline stays a 402), the attempt on record", async () => {
    const customer = await makeCustomer(ctx(db));
    const { invoice } = await createSubscription(ctx(db), { customerId: customer.id, items: [{ priceId: catalog.audExclusive.id, quantity: 1 }], collectionMethod: "send_invoice" });
    fake().failNextWith(1, { status: 400, type: "invalid_request_error", code: "amount_too_small", param: "amount", message: "Amount must be at least $0.50 aud" }, post("/v1/payment_intents"));
    const res = await call(payInvoiceRoute, { key, path: `/invoices/${invoice!.id}/pay`, params: { id: invoice!.id }, body: {} });
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ code: "gateway_refused", detail: expect.stringContaining("Amount must be at least $0.50 aud") });
    const rows = await db.select().from(payments).where(eq(payments.invoiceId, invoice!.id));
    expect(rows.map((p) => [p.status, p.failureCode])).toEqual([["failed", "gateway_refused"]]);
  });

  it("no answer (Stripe 500 after the SDK's retries): 200 incomplete with the payment pending under its key, for reconciliation", async () => {
    const customer = await makeCustomer(ctx(db));
    fake().failNext(3, "500", post("/v1/payment_intents"));
    const res = await call(createSubscriptionRoute, { key, path: "/subscriptions", body: { customer: customer.id, items: [{ price: catalog.audExclusive.id }] } });
    fake().clearFaults();
    expect(res.status).toBe(200);
    const rows = await rowsFor(customer.id);
    expect(rows.subscriptions.map((s) => s.status)).toEqual(["incomplete"]);
    expect(rows.payments.map((p) => [p.status, p.idempotencyKey])).toEqual([["pending", `inv_${rows.invoices[0]!.id}_attempt_1`]]);
  });

  it("in the billing run's batch (chargeMany): the renewal's payment fails with the reason, the run reports no error", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audExclusive.id, quantity: 1 }] });
    const [withGateway] = await db.select().from(customers).where(eq(customers.id, customer.id));
    const due = new Date(subscription.currentPeriodEnd.getTime() + DAY_MS);
    fake().failNextWith(1, { status: 400, type: "invalid_request_error", code: "resource_missing", param: "payment_method", message: "No such PaymentMethod: 'pm_x'" }, (r) => post("/v1/payment_intents")(r) && r.params.customer === withGateway?.gatewayCustomerId);
    const run = await runDueSubscriptions(db, due, 1000, { batchSize: 50, workers: 1 });
    expect(run.failed).toEqual([]);
    const renewal = (await db.select().from(invoices).where(and(eq(invoices.subscriptionId, subscription.id), eq(invoices.billingReason, "subscription_cycle"))))[0];
    expect(renewal?.status).toBe("open");
    const [payment] = await db.select().from(payments).where(eq(payments.invoiceId, renewal!.id));
    expect(payment).toMatchObject({ status: "failed", failureCode: "gateway_refused" });
    expect(payment?.failureMessage).toContain("No such PaymentMethod");
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(sub?.status).toBe("past_due");
  });
});

describe("Stripe refuses the refund", () => {
  it("POST /refunds: 200 with the refund failed and Stripe's reason, a reconciliation item for staff; no server error", async () => {
    const customer = await makeCustomer(ctx(db));
    const { invoice } = await createSubscription(ctx(db), { customerId: customer.id, items: [{ priceId: catalog.audExclusive.id, quantity: 1 }] });
    const [paid] = await db.select().from(payments).where(eq(payments.invoiceId, invoice!.id));
    fake().failNextWith(1, { status: 400, type: "invalid_request_error", code: "charge_disputed", message: "Charge ch_1 has been charged back; cannot issue a refund." }, post("/v1/refunds"));
    const res = await call(refundRoute, { key, path: "/refunds", body: { payment: paid!.id, amount: 300 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "failed", failure_message: expect.stringContaining("charged back") });
    const items = await db.select().from(reconciliationItems).where(eq(reconciliationItems.paymentId, paid!.id));
    expect(items.map((i) => i.kind)).toEqual(["refund_failed"]);
  });

  it("no answer: the refund stays pending (200), and is sent again under the same key by the janitor", async () => {
    const customer = await makeCustomer(ctx(db));
    const { invoice } = await createSubscription(ctx(db), { customerId: customer.id, items: [{ priceId: catalog.audExclusive.id, quantity: 1 }] });
    const [paid] = await db.select().from(payments).where(eq(payments.invoiceId, invoice!.id));
    fake().failNext(3, "500", post("/v1/refunds"));
    const res = await call(refundRoute, { key, path: "/refunds", body: { payment: paid!.id, amount: 200 } });
    fake().clearFaults();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; status: string };
    expect(body.status).toBe("pending");
    const [row] = await db.select().from(refunds).where(eq(refunds.id, body.id));
    const [note] = await db.select().from(creditNotes).where(eq(creditNotes.id, row!.creditNoteId!));
    expect(note).toBeDefined();
    await resendPendingRefunds(db, new Date(row!.createdAt.getTime() + 3 * 60_000));
    const [after] = await db.select().from(refunds).where(eq(refunds.id, body.id));
    expect(after?.status).toBe("succeeded");
    expect(fake().requestsTo("POST", "/v1/refunds").filter((r) => r.idempotencyKey === row!.idempotencyKey && r.status === 200)).toHaveLength(1);
  });
});

describe("Stripe refuses reading the charge (complete authentication, reconciliation)", () => {
  async function requiresAction() {
    const customer = await makeCustomer(ctx(db), { card: "pm_card_authenticationRequired" });
    const { invoice } = await createSubscription(ctx(db), { customerId: customer.id, items: [{ priceId: catalog.audExclusive.id, quantity: 1 }] });
    const [payment] = await db.select().from(payments).where(eq(payments.invoiceId, invoice!.id));
    expect(payment?.status).toBe("requires_action");
    return payment!;
  }

  it("completing authentication: a 400 gateway_refused; the payment still waits for the customer", async () => {
    const payment = await requiresAction();
    fake().failNextWith(1, { status: 400, type: "invalid_request_error", code: "parameter_invalid_string", message: "Invalid expand path." }, (r) => r.method === "GET" && r.path === `/v1/payment_intents/${payment.gatewayId}`);
    const error = await confirmAuthenticatedPayment(ctx(db), payment.id).catch((e: unknown) => e);
    expect(renderProblem(error, "req_t").status).toBe(400);
    expect(error).toMatchObject({ code: "gateway_refused" });
    const [after] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(after?.status).toBe("requires_action");
  });

  it("reconciliation: the refusal is reported and the payment left as it was", async () => {
    const payment = await requiresAction();
    fake().failNextWith(1, { status: 400, type: "invalid_request_error", code: "parameter_invalid_string", message: "Invalid expand path." }, (r) => r.method === "GET" && r.path === `/v1/payment_intents/${payment.gatewayId}`);
    const summary = await reconcilePayments(db, new Date(NOW.getTime() + 2 * DAY_MS));
    expect(summary.errors.find((e) => e.paymentId === payment.id)?.message).toContain("Invalid expand path.");
    const [after] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(after?.status).toBe("requires_action");
    fake().clearFaults();
  });
});
