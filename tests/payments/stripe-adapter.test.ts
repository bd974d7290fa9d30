import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { paymentMethods, subscriptions } from "@/db/schema";
import { gateway, type ChargeResult } from "@/lib/payments";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import { STRIPE_API_VERSION } from "@/lib/payments/stripe";
import { applyChargeResult, attemptInvoicePayment } from "@/lib/services/invoices/attempt-payment";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { gatewayCustomerId } from "@/lib/services/payments/gateway-customer";
import { randomToken } from "@/lib/ids";
import { invoiceRow, isCreateIntent, makeCatalog, openInvoice, type Catalog } from "../fake-stripe/helpers";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { ctx, eventsFor, paymentsOf } from "../services/support";
import { makeCustomer } from "../factories";

const fake = withFakeStripe();
let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

/** A Stripe customer with `token` attached through the adapter, charged directly with a fresh key. */
async function chargeWith(token: string, amount = 1234): Promise<ChargeResult> {
  const c = ctx(db);
  const customer = await makeCustomer(c, { card: null });
  const gw = gateway();
  const customerGatewayId = await gatewayCustomerId(db, customer);
  const card = await gw.attachPaymentMethod({ customerId: customer.id, customerGatewayId, token });
  return gw.charge({
    amount,
    currency: "aud",
    paymentMethodGatewayId: card.gatewayId,
    customerId: customer.id,
    customerGatewayId,
    idempotencyKey: `test_${randomToken(12)}`,
    metadata: { invoice_id: `in_${randomToken(8)}`, payment_id: `py_${randomToken(8)}` },
  });
}

describe("the Stripe adapter (real SDK) against the fake Stripe", () => {
  it("is selected by STRIPE_SECRET_KEY", () => {
    expect(gateway().name).toBe("stripe");
  });

  it("pm_card_visa: attach, then attemptInvoicePayment pays the invoice with one PaymentIntent under inv_<invoice>_attempt_1", async () => {
    const { customer, subscription, invoice } = await openInvoice(db, catalog);

    // The card was attached through the SDK: Stripe cloned the test id into a new pm_… on the customer.
    const [method] = await db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id));
    expect(method).toMatchObject({ gateway: "stripe", brand: "visa", last4: "4242", expMonth: 12, expYear: 2034 });
    expect(method?.gatewayId).toMatch(/^pm_/);
    expect(method?.gatewayId).not.toBe("pm_card_visa");
    expect(fake().paymentMethods.get(method?.gatewayId ?? "")?.customer).toMatch(/^cus_/);

    const result = await attemptInvoicePayment(ctx(db), invoice.id);
    expect(result.invoice).toMatchObject({ status: "paid", amountPaid: 1100, amountRemaining: 0 });
    expect(result.subscription?.id ?? subscription.id).toBe(subscription.id);

    const intents = fake().intentsFor(invoice.id);
    expect(intents).toHaveLength(1);
    const [pi] = intents;
    if (!pi) throw new Error("no intent");
    expect(fake().intentKeys.get(pi.id)).toBe(`inv_${invoice.id}_attempt_1`);
    expect(pi).toMatchObject({ amount: 1100, currency: "aud", status: "succeeded", payment_method: method?.gatewayId });
    expect(pi.metadata).toMatchObject({ invoice_id: invoice.id });

    // Exactly one create, with the key, the pinned API version and the parameters the brief names.
    const creates = fake().requests.filter((r) => isCreateIntent(r) && r.params.metadata && (r.params.metadata as Record<string, string>).invoice_id === invoice.id);
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({ idempotencyKey: `inv_${invoice.id}_attempt_1`, stripeVersion: STRIPE_API_VERSION, status: 200 });
    expect(creates[0]?.params).toMatchObject({ amount: "1100", currency: "aud", off_session: "true", confirm: "true", customer: pi.customer });

    // The fee is the balance transaction's; Radar's outcome is on the payment.
    const charge = fake().charges.get(pi.latest_charge ?? "");
    const txn = fake().balanceTransactions.get(String(charge?.balance_transaction));
    const [payment] = await paymentsOf(db, invoice.id);
    expect(payment).toMatchObject({ status: "succeeded", gateway: "stripe", gatewayId: pi.id, fee: txn?.fee, riskLevel: "normal", outcome: "authorized", attempt: 1 });
    expect(payment?.fee).toBe(49);
    expect(await eventsFor(db, invoice.id, "invoice.paid")).toHaveLength(1);
  });

  it("sends an Idempotency-Key on every POST it makes", () => {
    const posts = fake().requests.filter((r) => r.method === "POST");
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => typeof r.idempotencyKey === "string" && r.idempotencyKey.length > 0)).toBe(true);
    expect(fake().requests.every((r) => r.stripeVersion === STRIPE_API_VERSION)).toBe(true);
  });

  it("maps each test card the way the sandbox does (status, failure code, decline code)", async () => {
    const expected: Record<string, Partial<ChargeResult> & { adviceCode?: string | null }> = {
      pm_card_visa: { status: "succeeded" },
      pm_card_mastercard: { status: "succeeded" },
      pm_card_createDispute: { status: "succeeded" },
      pm_card_authenticationRequiredOnSetup: { status: "succeeded" },
      pm_card_chargeDeclined: { status: "failed", failureCode: "card_declined", declineCode: "generic_decline", adviceCode: null },
      pm_card_chargeDeclinedInsufficientFunds: { status: "failed", failureCode: "card_declined", declineCode: "insufficient_funds", adviceCode: "try_again_later" },
      pm_card_chargeDeclinedExpiredCard: { status: "failed", failureCode: "expired_card", declineCode: "expired_card", adviceCode: "confirm_card_data" },
      pm_card_chargeDeclinedProcessingError: { status: "failed", failureCode: "processing_error", declineCode: "processing_error" },
      pm_card_chargeCustomerFail: { status: "failed", failureCode: "card_declined", declineCode: "generic_decline" },
      pm_card_authenticationRequired: { status: "requires_action" },
    };
    for (const [token, want] of Object.entries(expected)) {
      const stripe = await chargeWith(token);
      expect(stripe, token).toMatchObject(want);
      expect(stripe.gatewayId, token).toMatch(/^pi_/);
      if (stripe.status === "succeeded") expect(stripe.fee, token).toBe(Math.floor((1234 * 17 + 500) / 1000) + 30);
      if (stripe.status === "failed") expect(stripe.message, token).toMatch(/card/i);
      if (stripe.status === "requires_action") expect(stripe.clientSecret, token).toMatch(new RegExp(`^${stripe.gatewayId}_secret_`));

      // Parity with the sandbox for the same test PaymentMethod id.
      const card = await sandboxGateway.attachPaymentMethod({ customerId: "cus_parity", token });
      const sandbox = await sandboxGateway.charge({
        amount: 1234,
        currency: "aud",
        paymentMethodGatewayId: card.gatewayId,
        customerId: "cus_parity",
        idempotencyKey: `parity_${randomToken(12)}`,
        metadata: {},
      });
      const core = (r: ChargeResult) => (r.status === "failed" ? { status: r.status, failureCode: r.failureCode, declineCode: r.declineCode } : { status: r.status });
      expect(core(stripe), `${token} vs sandbox`).toEqual(core(sandbox));
    }
  });

  it("chargeMany: one PaymentIntent per request under its own key, answers in request order, a failed call in its place", async () => {
    const c = ctx(db);
    const gw = gateway();
    const customer = await makeCustomer(c, { card: null });
    const customerGatewayId = await gatewayCustomerId(db, customer);
    const visa = await gw.attachPaymentMethod({ customerId: customer.id, customerGatewayId, token: "pm_card_visa" });
    const declined = await gw.attachPaymentMethod({ customerId: customer.id, customerGatewayId, token: "pm_card_chargeDeclined" });
    const request = (paymentMethodGatewayId: string, amount: number) => ({
      amount,
      currency: "aud",
      paymentMethodGatewayId,
      customerId: customer.id,
      customerGatewayId,
      idempotencyKey: `many_${randomToken(12)}`,
      metadata: { invoice_id: `in_${randomToken(8)}`, payment_id: `py_${randomToken(8)}` },
    });
    const requests = [request(visa.gatewayId, 1000), request(declined.gatewayId, 2000), request("pm_does_not_exist", 3000), request(visa.gatewayId, 4000)];
    const answers = await gw.chargeMany(requests, { concurrency: 2 });
    // A payment method Stripe does not know is Stripe refusing the request: a failed result carrying its reason.
    expect(answers.map((a) => (a instanceof Error ? "error" : a.status))).toEqual(["succeeded", "failed", "failed", "succeeded"]);
    expect(answers[2]).toMatchObject({ status: "failed", failureCode: "gateway_refused", declineCode: null, message: expect.stringContaining("No such PaymentMethod") });
    const created = fake().requests.filter(isCreateIntent);
    for (const [k, r] of requests.entries()) {
      if (k === 2) continue;
      expect(created.filter((q) => q.idempotencyKey === r.idempotencyKey), r.idempotencyKey).toHaveLength(1);
    }
    // Replayed with the same keys: the same PaymentIntents.
    const again = await gw.chargeMany([requests[0]!, requests[3]!]);
    expect(again.map((a) => (a instanceof Error ? null : a.gatewayId))).toEqual([answers[0], answers[3]].map((a) => (a instanceof Error ? null : a!.gatewayId)));
  });

  it("a decline through attemptInvoicePayment records the codes and leaves the invoice open", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_chargeDeclinedInsufficientFunds" });
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    if (!invoice) throw new Error("no invoice");
    expect(subscription.status).toBe("incomplete");
    const [payment] = await paymentsOf(db, invoice.id);
    expect(payment).toMatchObject({ status: "failed", failureCode: "card_declined", declineCode: "insufficient_funds", failureMessage: "Your card has insufficient funds.", idempotencyKey: `inv_${invoice.id}_attempt_1` });
    expect(payment?.gatewayId).toMatch(/^pi_/);
    expect((await invoiceRow(db, invoice.id)).status).toBe("open");
    expect(fake().intentsFor(invoice.id).map((pi) => pi.status)).toEqual(["requires_payment_method"]);
  });

  it("pm_card_authenticationRequired: the payment requires action; after the customer confirms on-session it completes", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_authenticationRequired" });
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    if (!invoice) throw new Error("no invoice");
    expect(subscription.status).toBe("incomplete");
    const [payment] = await paymentsOf(db, invoice.id);
    expect(payment?.status).toBe("requires_action");
    const [pi] = fake().intentsFor(invoice.id);
    expect(payment?.gatewayId).toBe(pi?.id);
    expect(pi?.last_payment_error).toMatchObject({ code: "authentication_required" });
    // The off-session confirm answered 402 authentication_required, with the intent in the error.
    expect(fake().requests.find((r) => r.idempotencyKey === `inv_${invoice.id}_attempt_1`)?.status).toBe(402);

    // Before the customer acts, re-reading says the same.
    expect(await gateway().completeAuthentication(pi?.id ?? "")).toMatchObject({ status: "requires_action", gatewayId: pi?.id });

    fake().confirmOnSession(pi?.id ?? "");
    const done = await gateway().completeAuthentication(pi?.id ?? "");
    expect(done).toMatchObject({ status: "succeeded", gatewayId: pi?.id, fee: 47, outcome: "authorized" });
    const applied = await applyChargeResult(c, payment?.id ?? "", done);
    expect(applied.invoice).toMatchObject({ status: "paid", amountPaid: 1000 });
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(sub?.status).toBe("active");
    expect(fake().intentsFor(invoice.id)).toHaveLength(1);
  });

  it("the SDK's own retries of a 500 keep the idempotency key: one charge", async () => {
    const { invoice } = await openInvoice(db, catalog);
    fake().failNext(2, "500", isCreateIntent);
    const result = await attemptInvoicePayment(ctx(db), invoice.id);
    expect(result.invoice.status).toBe("paid");
    const sent = fake().requests.filter((r) => r.idempotencyKey === `inv_${invoice.id}_attempt_1`);
    expect(sent.map((r) => [r.status, r.fault])).toEqual([
      [500, "500"],
      [500, "500"],
      [200, null],
    ]);
    expect(fake().intentsFor(invoice.id)).toHaveLength(1);
  });

  it("refunds with an idempotency key: a repeat replays, a changed amount under the same key is refused", async () => {
    const charged = await chargeWith("pm_card_visa", 2000);
    if (charged.status !== "succeeded") throw new Error("charge failed");
    const gw = gateway();
    const key = `cn_${randomToken(8)}_refund_py_${randomToken(8)}`;
    const first = await gw.refund({ paymentGatewayId: charged.gatewayId, amount: 500, idempotencyKey: key });
    expect(first).toMatchObject({ status: "succeeded" });
    const again = await gw.refund({ paymentGatewayId: charged.gatewayId, amount: 500, idempotencyKey: key });
    expect(again).toEqual(first);
    const refunds = [...fake().refunds.values()].filter((r) => r.payment_intent === charged.gatewayId);
    expect(refunds).toHaveLength(1);
    expect(fake().requests.filter((r) => r.idempotencyKey === key).map((r) => r.replayed)).toEqual([false, true]);

    // Stripe refuses the changed request (idempotency_error): a failed refund carrying Stripe's reason, for staff.
    expect(await gw.refund({ paymentGatewayId: charged.gatewayId, amount: 600, idempotencyKey: key })).toMatchObject({ status: "failed", gatewayId: null, message: expect.stringMatching(/same parameters/) });

    const tooMuch = await gw.refund({ paymentGatewayId: charged.gatewayId, amount: 1600, idempotencyKey: `${key}_2` });
    expect(tooMuch).toMatchObject({ status: "failed", gatewayId: null, failureCode: "amount_too_large" });
    const rest = await gw.refund({ paymentGatewayId: charged.gatewayId, amount: 1500, idempotencyKey: `${key}_3` });
    expect(rest.status).toBe("succeeded");
    const none = await gw.refund({ paymentGatewayId: charged.gatewayId, amount: 1, idempotencyKey: `${key}_4` });
    expect(none).toMatchObject({ status: "failed", failureCode: "charge_already_refunded" });
  });

  it("retrieveCharge: by gateway id, by payment_id metadata (search), null when Stripe has none", async () => {
    const { invoice } = await openInvoice(db, catalog);
    const paid = await attemptInvoicePayment(ctx(db), invoice.id);
    const payment = paid.payment;
    if (!payment?.gatewayId) throw new Error("no payment");
    const gw = gateway();
    const byId = await gw.retrieveCharge({ gatewayId: payment.gatewayId, idempotencyKey: payment.idempotencyKey, metadata: {} });
    expect(byId).toMatchObject({ status: "succeeded", gatewayId: payment.gatewayId, fee: 49, amount: 1100, currency: "aud" });
    const bySearch = await gw.retrieveCharge({ gatewayId: null, idempotencyKey: payment.idempotencyKey, metadata: { invoice_id: invoice.id, payment_id: payment.id } });
    expect(bySearch).toEqual(byId);
    const search = fake().requestsTo("GET", "/v1/payment_intents/search").at(-1);
    expect(search?.params.query).toBe(`metadata['payment_id']:'${payment.id}'`);

    expect(await gw.retrieveCharge({ gatewayId: null, idempotencyKey: "inv_x_attempt_1", metadata: { invoice_id: "in_none", payment_id: "py_none" } })).toBeNull();
    expect(await gw.retrieveCharge({ gatewayId: "pi_doesnotexist", idempotencyKey: "k", metadata: {} })).toBeNull();
  });

  it("creates SetupIntents for the Payment Element and links to the dashboard", async () => {
    const customer = await makeCustomer(ctx(db), { card: null });
    const customerGatewayId = await gatewayCustomerId(db, customer);
    const intent = await gateway().createSetupIntent({ customerId: customer.id, customerGatewayId });
    expect(intent.id).toMatch(/^seti_/);
    expect(intent.clientSecret).toMatch(new RegExp(`^${intent.id}_secret_`));
    expect(fake().setupIntents.get(intent.id)).toMatchObject({ customer: customerGatewayId, usage: "off_session" });
    // ensureCustomer is idempotent by Tally's customer id.
    expect(await gateway().ensureCustomer({ customerId: customer.id, email: customer.email, name: customer.name, existing: null })).toBe(customerGatewayId);

    const gw = gateway();
    expect(gw.dashboardUrl("payment", "pi_123", false)).toBe("https://dashboard.stripe.com/test/payments/pi_123");
    expect(gw.dashboardUrl("payment", "pi_123", true)).toBe("https://dashboard.stripe.com/payments/pi_123");
    expect(gw.dashboardUrl("customer", "cus_9", false)).toBe("https://dashboard.stripe.com/test/customers/cus_9");
    expect(gw.dashboardUrl("refund", "re_1", true)).toBe("https://dashboard.stripe.com/refunds/re_1");
    expect(gw.dashboardUrl("dispute", "du_1", false)).toBe("https://dashboard.stripe.com/test/disputes/du_1");
  });

  it("refuses an unknown payment method token with a clear error", async () => {
    const customer = await makeCustomer(ctx(db), { card: null });
    const customerGatewayId = await gatewayCustomerId(db, customer);
    await expect(gateway().attachPaymentMethod({ customerId: customer.id, customerGatewayId, token: "pm_card_nope" })).rejects.toMatchObject({
      code: "gateway_refused",
      param: "token",
      userMessage: expect.stringContaining("No such PaymentMethod: 'pm_card_nope'"),
    });
  });
});
