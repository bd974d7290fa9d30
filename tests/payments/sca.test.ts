import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, like } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { emails, invoices, sandboxCharges, subscriptions } from "@/db/schema";
import { dispatchOutbox } from "@/lib/events/outbox";
import { CONFIRM_TOKEN_TTL_MS, issueConfirmToken, verifyConfirmToken } from "@/lib/services/payments/sca/confirm-token";
import { confirmAuthenticatedPayment } from "@/lib/services/payments/sca/confirm-payment";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { clockCustomer } from "../scenarios/support";
import { capturePrintedLinks } from "../services/printed-links";
import { ctx, DAY_MS, eventsFor, historyOf, needsPostgres, NOW, paymentsOf } from "../services/support";
import { makePlan, makeCatalog, makeCustomer, type Catalog } from "../factories";

// The mailbox, not Resend: these tests read the emails back.
delete process.env.RESEND_API_KEY;

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

async function mailTo(to: string, template?: string) {
  return db
    .select()
    .from(emails)
    .where(template ? and(eq(emails.to, to), eq(emails.template, template)) : eq(emails.to, to))
    .orderBy(asc(emails.createdAt), asc(emails.id));
}

async function invoiceRow(id: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
  if (!row) throw new Error(`invoice ${id} missing`);
  return row;
}

async function subscriptionStatus(id: string) {
  const [row] = await db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id));
  return row?.status;
}

const dispatch = () => dispatchOutbox(db, outboxHandler(db));

/** The token in a confirm link, as the customer gets it (printed by the mailbox: it is never stored). */
function tokenIn(url: string): string {
  const link = /^https?:\/\/\S+\/pay\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(url);
  if (!link?.[1]) throw new Error(`not a /pay/ link: ${url}`);
  return link[1];
}

describe("SCA: a charge that needs authentication (4000 0027 6000 3184)", () => {
  it("leaves the subscription incomplete, emails one signed link, and the confirm step pays the invoice once", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_authenticationRequired", name: "Sasha Secure" });
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    if (!invoice) throw new Error("no invoice");

    // The bank asked for authentication: nothing is paid, nothing is retried on a schedule.
    expect(subscription.status).toBe("incomplete");
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: "open", amountPaid: 0, amountRemaining: 1000, nextPaymentAttemptAt: null });
    const [payment, ...others] = await paymentsOf(db, invoice.id);
    expect(others).toEqual([]);
    expect(payment).toMatchObject({ status: "requires_action", attempt: 1, idempotencyKey: `inv_${invoice.id}_attempt_1`, amount: 1000 });
    expect(payment?.gatewayId).toMatch(/^pi_sbx_/);
    expect(await eventsFor(db, invoice.id, "invoice.payment_action_required")).toHaveLength(1);

    // One email, with a link to /pay/<token>; dispatching again sends nothing more.
    const printed = capturePrintedLinks();
    await dispatch();
    await dispatch();
    const mail = await mailTo(customer.email);
    expect(mail.map((m) => [m.template, m.subject])).toEqual([["payment-action-required", `Confirm your payment for invoice ${invoice.number}`]]);
    const [email] = mail;
    if (!email) throw new Error("no email");
    expect(email.text).toContain("Hi Sasha Secure, your bank asks you to confirm the payment of $10.00 for invoice");
    expect(email.text).toContain("Includes $0.91 GST");
    expect(email.text).toContain("Visa ending 3184");
    expect(email.text).not.toContain("<");
    expect(printed.all().map((l) => l.purpose)).toEqual(["payment confirmation link"]);
    const token = tokenIn(printed.find(customer.email, "payment confirmation link"));
    expect(email.text).toContain("[payment confirmation link withheld]");
    expect(`${email.html}${email.text}`).not.toContain(token);
    expect(token).not.toContain(payment?.id ?? "?");

    // The token names the payment, signed; any change to it is refused.
    const verified = verifyConfirmToken(token, new Date());
    expect(verified).toMatchObject({ ok: true, paymentId: payment?.id });
    const [body, signature] = token.split(".") as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    expect(verifyConfirmToken(`${body}.${flip(signature, 3)}`, new Date())).toEqual({ ok: false, reason: "forged" });
    expect(verifyConfirmToken(`${flip(body, 2)}.${signature}`, new Date())).toEqual({ ok: false, reason: "forged" });
    const otherPayment = Buffer.from(Buffer.from(body, "base64url").toString().replace(payment?.id ?? "", "py_someoneelse0000000")).toString("base64url");
    expect(verifyConfirmToken(`${otherPayment}.${signature}`, new Date())).toEqual({ ok: false, reason: "forged" });

    // Confirming through the service (the page's action) pays the invoice and starts the subscription.
    const confirmCtx = ctx(db, new Date(NOW.getTime() + 60_000));
    expect(await confirmAuthenticatedPayment(confirmCtx, verified.ok ? verified.paymentId : "")).toBe("confirmed");
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: "paid", amountPaid: 1000, amountRemaining: 0 });
    expect(await subscriptionStatus(subscription.id)).toBe("active");
    expect((await paymentsOf(db, invoice.id)).map((p) => [p.attempt, p.status, p.gatewayId])).toEqual([[1, "succeeded", payment?.gatewayId]]);
    await dispatch();
    expect((await mailTo(customer.email)).map((m) => m.template)).toEqual(["payment-action-required", "receipt"]);

    // A second confirm does nothing: no charge, no event, no email.
    expect(await confirmAuthenticatedPayment(confirmCtx, payment?.id ?? "")).toBe("confirmed");
    await dispatch();
    expect(await eventsFor(db, invoice.id, "invoice.paid")).toHaveLength(1);
    expect(await db.select().from(sandboxCharges).where(like(sandboxCharges.idempotencyKey, `inv_${invoice.id}_%`))).toHaveLength(1);
    expect((await mailTo(customer.email)).map((m) => m.template)).toEqual(["payment-action-required", "receipt"]);
    expect(await historyOf(db, subscription.id)).toEqual([
      { from: null, to: "incomplete", reason: "created" },
      { from: "incomplete", to: "active", reason: "invoice paid" },
    ]);
  });

  it("tokens expire after 7 days and malformed ones are refused", () => {
    const issuedAt = new Date("2026-03-10T00:00:00Z");
    const { token, expiresAt } = issueConfirmToken("py_abc123", issuedAt);
    expect(expiresAt.getTime() - issuedAt.getTime()).toBe(CONFIRM_TOKEN_TTL_MS);
    expect(verifyConfirmToken(token, new Date(issuedAt.getTime() + 7 * DAY_MS - 1000))).toMatchObject({ ok: true, paymentId: "py_abc123" });
    expect(verifyConfirmToken(token, new Date(issuedAt.getTime() + 7 * DAY_MS))).toEqual({ ok: false, reason: "expired" });
    for (const bad of ["", "abc", "a.b.c", "py_abc123", `${token}x!`, "a".repeat(600)]) {
      expect(verifyConfirmToken(bad, issuedAt).ok).toBe(false);
    }
  });

  it("a renewal that needs authentication keeps the subscription active until the customer confirms", async () => {
    const { ctx: c, customerId, advance } = await clockCustomer(new Date("2026-04-01T00:00:00Z"));
    const { priceId } = await makePlan(db, { code: "sca-renewal", unitAmount: 2000 });
    const { subscription } = await createSubscription(c, { customerId, items: [{ priceId, quantity: 1 }] });
    expect(subscription.status).toBe("active");
    await attachPaymentMethod(c, { customerId, token: "pm_card_authenticationRequired", makeDefault: true });

    await advance("2026-05-01T12:00:00Z");
    const renewal = (await db.select().from(invoices).where(eq(invoices.subscriptionId, subscription.id)).orderBy(asc(invoices.createdAt)))[1];
    if (!renewal) throw new Error("no renewal");
    expect(renewal).toMatchObject({ status: "open", billingReason: "subscription_cycle", nextPaymentAttemptAt: null });
    expect(await subscriptionStatus(subscription.id)).toBe("active");
    const [payment] = await paymentsOf(db, renewal.id);
    expect(payment).toMatchObject({ status: "requires_action", attempt: 1 });

    // No retry is scheduled for authentication: advancing further charges nothing.
    await advance("2026-05-20T00:00:00Z");
    expect((await paymentsOf(db, renewal.id)).map((p) => p.status)).toEqual(["requires_action"]);

    await dispatch();
    const [customer] = await db.select({ email: emails.to }).from(emails).where(and(eq(emails.customerId, customerId), eq(emails.template, "payment-action-required")));
    expect(customer).toBeDefined();
    expect(await confirmAuthenticatedPayment(c, payment?.id ?? "")).toBe("confirmed");
    expect(await invoiceRow(renewal.id)).toMatchObject({ status: "paid", amountPaid: 2000 });
    expect(await subscriptionStatus(subscription.id)).toBe("active");
  });

  it("a link for an invoice paid another way confirms nothing and charges nothing", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_authenticationRequired" });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    if (!invoice) throw new Error("no invoice");
    const [waiting] = await paymentsOf(db, invoice.id);

    // A new default card pays the open invoice at once (attempt 2).
    await attachPaymentMethod(c, { customerId: customer.id, token: "pm_card_visa", makeDefault: true });
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: "paid", amountPaid: 1000 });

    expect(await confirmAuthenticatedPayment(c, waiting?.id ?? "")).toBe("closed");
    expect((await paymentsOf(db, invoice.id)).map((p) => [p.attempt, p.status])).toEqual([
      [1, "requires_action"],
      [2, "succeeded"],
    ]);
    expect(await invoiceRow(invoice.id)).toMatchObject({ amountPaid: 1000 });

    // Its email is not sent any more either: nothing is waiting for the customer. The subscription
    // is active by the time its creation is dispatched, so the welcome goes out with the receipt.
    await dispatch();
    expect((await mailTo(customer.email)).map((m) => m.template).sort()).toEqual(["receipt", "subscription-started"]);
  });

  it.skipIf(needsPostgres)("three confirms at once pay the invoice once (needs PostgreSQL)", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_authenticationRequired" });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    const [payment] = await paymentsOf(db, invoice!.id);
    const states = await Promise.all([1, 2, 3].map(() => confirmAuthenticatedPayment(c, payment!.id)));
    expect(states).toEqual(["confirmed", "confirmed", "confirmed"]);
    expect(await invoiceRow(invoice!.id)).toMatchObject({ status: "paid", amountPaid: 1000, amountRemaining: 0 });
    expect(await eventsFor(db, invoice!.id, "invoice.paid")).toHaveLength(1);
  });
});
