import { afterEach, describe, expect, it, vi } from "vitest";
import { and, asc, eq, inArray, like } from "drizzle-orm";
import type { Provider } from "next-auth/providers/index";
import { auditLog, balanceTransactions, cancellationAttempts, creditNotes, customerErasures, customers, emails, invoiceBillTo, invoiceLines, invoices, outboxEvents, paymentMethods, payments, portalSessions, refunds, subscriptions, users } from "@/db/schema";
import { tallyAdapter } from "@/lib/auth/adapter";
import { authOptions } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { CLIENT_ADDRESS_HEADER, clientAddressHeaderValue } from "@/lib/http/client-address";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import type { StripeDeps } from "@/lib/payments/stripe/deps";
import { detachPaymentMethod as stripeDetach } from "@/lib/payments/stripe/detach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { createPortalSession, redeemPortalSession } from "@/lib/services/portal/portal-sessions";
import { deleteCustomer, detachIdempotencyKey } from "@/lib/services/privacy/delete-customer";
import { previewDeletion } from "@/lib/services/privacy/deletion-preview";
import { setSetting } from "@/lib/services/settings/settings";
import { retentionEnd } from "@/lib/services/privacy/retention";
import { ctx, DAY_MS, needsPostgres } from "../services/support";
import { makeSubscriber, NOW, PASSWORD } from "./support";
import { makeCatalog, makeCustomer } from "../factories";
import { logged } from "@/tests/setup/logs";

// A live session cookie for a user id: what getServerSession would decode from the request.
const session = vi.hoisted(() => ({ uid: undefined as string | undefined }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: vi.fn(async () => (session.uid ? { uid: session.uid } : null)),
}));

afterEach(() => {
  vi.restoreAllMocks();
  session.uid = undefined;
});

/** The password provider's authorize(), as next-auth calls it on a sign-in. */
async function signInWithPassword(email: string, password: string): Promise<unknown> {
  const provider = authOptions.providers.find((p: Provider) => (p as { options?: { id?: string } }).options?.id === "password") as unknown as { options: { authorize: (c: Record<string, string>, r: { headers: Record<string, string> }) => Promise<unknown> } };
  return provider.options.authorize({ email, password }, { headers: { [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue("203.0.113.7") } });
}

const later = new Date(NOW.getTime() + DAY_MS);

describe("account deletion (GDPR art. 17)", () => {
  it("pseudonymizes the person, keeps invoices, payments and credit notes intact and immutable, and signs them out for good", async () => {
    const s = await makeSubscriber();
    const oldEmail = s.customer.email;
    session.uid = s.user.id;
    expect(await currentUser()).toMatchObject({ id: s.user.id, customerId: s.customer.id });
    expect(await signInWithPassword(oldEmail, PASSWORD)).toMatchObject({ id: s.user.id });

    const invoicesBefore = await s.db.select().from(invoices).where(eq(invoices.customerId, s.customer.id)).orderBy(asc(invoices.id));
    const linesBefore = await s.db.select().from(invoiceLines).where(inArray(invoiceLines.invoiceId, invoicesBefore.map((i) => i.id))).orderBy(asc(invoiceLines.id));
    const paymentsBefore = await s.db.select().from(payments).where(eq(payments.customerId, s.customer.id)).orderBy(asc(payments.id));
    const notesBefore = await s.db.select().from(creditNotes).where(eq(creditNotes.customerId, s.customer.id)).orderBy(asc(creditNotes.id));

    const result = await deleteCustomer(ctx(s.db, later), s.customer.id);
    expect(result).toMatchObject({ deletedNow: true, gatewayDetached: true, canceledSubscriptions: [s.subscriptionId] });
    expect(result.retainUntil.toISOString()).toBe("2033-03-11T01:00:00.000Z");

    // The customer: pseudonymized.
    const [customer] = await s.db.select().from(customers).where(eq(customers.id, s.customer.id));
    expect(customer).toMatchObject({ name: "Deleted customer", email: `deleted+${s.customer.id.toLowerCase()}@invalid`, address: {}, taxIds: [], metadata: {}, defaultPaymentMethodId: null });
    const [user] = await s.db.select().from(users).where(eq(users.id, s.user.id));
    expect(user).toMatchObject({ email: `deleted+${s.user.id.toLowerCase()}@invalid`, name: null, passwordHash: null, emailVerifiedAt: null });
    expect(user?.deactivatedAt?.toISOString()).toBe(later.toISOString());
    const methods = await s.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, s.customer.id));
    expect(methods.length).toBeGreaterThan(0);
    expect(methods.every((m) => m.detachedAt !== null)).toBe(true);
    const [sub] = await s.db.select().from(subscriptions).where(eq(subscriptions.id, s.subscriptionId));
    expect(sub?.status).toBe("canceled");
    const [attempt] = await s.db.select().from(cancellationAttempts).where(eq(cancellationAttempts.customerId, s.customer.id));
    expect(attempt).toMatchObject({ reason: "other", reasonText: null });
    const mail = await s.db.select().from(emails).where(eq(emails.customerId, s.customer.id));
    expect(mail.map((m) => [m.subject, m.html, m.text, m.to.endsWith("@invalid")])).toEqual([["Welcome, Robin", "", "", true]]);

    // Invoices, their lines, payments and credit notes: exactly as they were, and still immutable.
    const invoicesAfter = await s.db.select().from(invoices).where(inArray(invoices.id, invoicesBefore.map((i) => i.id))).orderBy(asc(invoices.id));
    expect(invoicesAfter).toEqual(invoicesBefore);
    expect(await s.db.select().from(invoiceLines).where(inArray(invoiceLines.invoiceId, invoicesBefore.map((i) => i.id))).orderBy(asc(invoiceLines.id))).toEqual(linesBefore);
    expect(await s.db.select().from(payments).where(inArray(payments.id, paymentsBefore.map((p) => p.id))).orderBy(asc(payments.id))).toEqual(paymentsBefore);
    expect(await s.db.select().from(creditNotes).where(inArray(creditNotes.id, notesBefore.map((n) => n.id))).orderBy(asc(creditNotes.id))).toEqual(notesBefore);
    const refused = await s.db.update(invoices).set({ total: 1 }).where(eq(invoices.id, s.invoiceId)).then(
      () => null,
      (e: { cause?: { message?: string } }) => e.cause?.message ?? "",
    );
    expect(refused).toMatch(/finalized and immutable/);
    // Each invoice keeps who it was issued to, for the retention period.
    const [billTo] = await s.db.select().from(invoiceBillTo).where(eq(invoiceBillTo.invoiceId, s.invoiceId));
    expect(billTo).toMatchObject({ name: "Robin Private", email: oldEmail, address: { line1: "5 Pitt St" } });

    // Signed out, and no way back in: the session stops working, the old email and password match nothing.
    expect(await currentUser()).toBeNull();
    expect(await signInWithPassword(oldEmail, PASSWORD)).toBeNull();
    expect(await signInWithPassword(user!.email, PASSWORD)).toBeNull();
    expect(await tallyAdapter().getUserByEmail!(oldEmail)).toBeNull();

    // Audited without the erased values; the SaaS hears about it.
    const [entry] = await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, s.customer.id), eq(auditLog.action, "customer.erased")));
    expect(entry?.before).toEqual({ cleared: ["name", "email", "address", "default_payment_method"] });
    expect(JSON.stringify(entry)).not.toContain("Robin");
    expect(JSON.stringify(entry)).not.toContain(oldEmail);
    expect(await s.db.select({ type: outboxEvents.type }).from(outboxEvents).where(and(eq(outboxEvents.customerId, s.customer.id), eq(outboxEvents.type, "customer.deleted")))).toHaveLength(1);
    const [erasure] = await s.db.select().from(customerErasures).where(eq(customerErasures.customerId, s.customer.id));
    expect(erasure).toMatchObject({ requestedByType: "system", requestedById: "test" });
    expect(erasure?.retainUntil.toISOString()).toBe(retentionEnd(later).toISOString());
  });

  it("ends a paid subscription now and refunds the unused time to the card that paid it", async () => {
    const c = ctx((await makeSubscriber()).db);
    const catalog = await makeCatalog(c.db);
    const customer = await makeCustomer(c);
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    // 10 Mar → 10 Apr in Sydney (31 days and the hour daylight saving gives back on 5 Apr); deleted
    // on 20 Mar: 21 days and an hour unused of A$10.00 → A$6.78 back to the card.
    const at = new Date(NOW.getTime() + 10 * DAY_MS);
    // The portal's preview says the same before anything happens.
    const preview = await previewDeletion(ctx(c.db, at), customer.id);
    expect(preview.subscriptions).toEqual([expect.objectContaining({ id: subscription.id, name: "Starter", refund: 678, refundTo: "card", finalCharge: 0 })]);
    expect(preview).toMatchObject({ openInvoices: [], creditBalance: 0, cards: 1 });
    const result = await deleteCustomer(ctx(c.db, at), customer.id);
    expect(result.canceledSubscriptions).toEqual([subscription.id]);
    const notes = await c.db.select().from(creditNotes).where(eq(creditNotes.invoiceId, invoice!.id));
    expect(notes.map((n) => [n.outcome, n.amount])).toEqual([["refund", 678]]);
    const back = await c.db.select().from(refunds).where(eq(refunds.customerId, customer.id));
    expect(back.map((r) => [r.amount, r.status])).toEqual([[678, "succeeded"]]);
    const [row] = await c.db.select().from(customers).where(eq(customers.id, customer.id));
    expect(row?.creditBalance).toBe(0);
  });

  it("is idempotent: running it again changes nothing and only retries the gateway detaches that failed, with the same keys", async () => {
    const s = await makeSubscriber();
    const detach = vi.spyOn(sandboxGateway, "detachPaymentMethod").mockRejectedValueOnce(new Error("gateway timeout"));
    const first = await deleteCustomer(ctx(s.db, later), s.customer.id);
    expect(first).toMatchObject({ deletedNow: true, gatewayDetached: false });
    expect(logged("warn")).toHaveLength(1);
    const [method] = await s.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, s.customer.id));
    expect(detach).toHaveBeenCalledWith({ gatewayId: method!.gatewayId, idempotencyKey: detachIdempotencyKey(method!.id) });
    const snapshot = async () => ({
      customer: await s.db.select().from(customers).where(eq(customers.id, s.customer.id)),
      users: await s.db.select().from(users).where(eq(users.customerId, s.customer.id)),
      refunds: await s.db.select().from(refunds).where(eq(refunds.customerId, s.customer.id)),
      notes: await s.db.select().from(creditNotes).where(eq(creditNotes.customerId, s.customer.id)),
      invoices: await s.db.select().from(invoices).where(eq(invoices.customerId, s.customer.id)),
      audit: (await s.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.action, "customer.erased"))).length,
    });
    const before = await snapshot();

    const second = await deleteCustomer(ctx(s.db, new Date(later.getTime() + DAY_MS)), s.customer.id);
    expect(second).toMatchObject({ deletedNow: false, gatewayDetached: true, canceledSubscriptions: [] });
    expect(second.erasedAt.toISOString()).toBe(later.toISOString());
    expect(detach).toHaveBeenCalledTimes(2);
    expect(detach.mock.calls[1]?.[0]).toEqual(detach.mock.calls[0]?.[0]);
    expect(await snapshot()).toEqual(before);

    // Once every card is detached, nothing more is sent to the gateway.
    await deleteCustomer(ctx(s.db, new Date(later.getTime() + 2 * DAY_MS)), s.customer.id);
    expect(detach).toHaveBeenCalledTimes(2);
  });

  it.skipIf(needsPostgres)("two deletions at once erase once (needs PostgreSQL)", async () => {
    const s = await makeSubscriber();
    const results = await Promise.all([deleteCustomer(ctx(s.db, later), s.customer.id), deleteCustomer(ctx(s.db, later), s.customer.id)]);
    expect(results.filter((r) => r.deletedNow)).toHaveLength(1);
    expect(await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, s.customer.id), eq(auditLog.action, "customer.erased")))).toHaveLength(1);
    // The unused time was given back once (refunded, or credited where the disputed card cannot take a refund).
    const notes = await s.db.select().from(creditNotes).where(and(eq(creditNotes.customerId, s.customer.id), like(creditNotes.memo, "Unused time%")));
    const credits = await s.db.select().from(balanceTransactions).where(and(eq(balanceTransactions.customerId, s.customer.id), like(balanceTransactions.description, "Unused time%")));
    expect(notes.length + credits.length).toBe(1);
  });

  it("closes every way back in through portal links, also for a customer who never signed in", async () => {
    const s = await makeSubscriber();
    const [pending] = await s.db.select().from(portalSessions).where(eq(portalSessions.customerId, s.customer.id));
    expect(pending?.usedAt).toBeNull();
    const soon = new Date(NOW.getTime() + 5 * 60_000);
    await deleteCustomer(ctx(s.db, soon), s.customer.id);
    const [expired] = await s.db.select().from(portalSessions).where(eq(portalSessions.id, pending!.id));
    expect(expired?.expiresAt.toISOString()).toBe(soon.toISOString());
    // A link the SaaS makes afterwards opens onto a closed account.
    const link = await createPortalSession(ctx(s.db, later), { customerId: s.customer.id });
    const token = link.url.split("/").pop()!;
    await expect(redeemPortalSession(ctx(s.db, later), token)).rejects.toMatchObject({ code: "forbidden" });

    // A customer created through the API who never signed in: a link after deletion makes a user, whose session is refused.
    const bare = await makeCustomer(ctx(s.db));
    await deleteCustomer(ctx(s.db, later), bare.id);
    const late = await createPortalSession(ctx(s.db, later), { customerId: bare.id });
    const redeemed = await redeemPortalSession(ctx(s.db, later), late.url.split("/").pop()!);
    session.uid = redeemed.userId;
    expect(await currentUser()).toBeNull();
  });

  it("keeps records for the retention period set in the console", async () => {
    const s = await makeSubscriber();
    await setSetting(s.c, "retention.financial_records_years", 10);
    expect((await previewDeletion(ctx(s.db, later), s.customer.id)).retainUntil.toISOString()).toBe("2036-03-11T01:00:00.000Z");
    const result = await deleteCustomer(ctx(s.db, later), s.customer.id);
    expect(result.retainUntil.toISOString()).toBe("2036-03-11T01:00:00.000Z");
    const [erasure] = await s.db.select().from(customerErasures).where(eq(customerErasures.customerId, s.customer.id));
    expect(erasure?.retainUntil.toISOString()).toBe("2036-03-11T01:00:00.000Z");
    await setSetting(s.c, "retention.financial_records_years", 7);
  });

  it("refuses an unknown customer", async () => {
    const s = await makeSubscriber();
    await expect(deleteCustomer(s.c, "cus_missing")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("detaching a card at Stripe", () => {
  function depsWith(detach: (id: string, params: object, opts: { idempotencyKey: string }) => Promise<unknown>): StripeDeps {
    const limiter = { acquire: async () => {} };
    return {
      stripe: () => ({ paymentMethods: { detach } }) as never,
      testMode: true,
      writes: limiter as never,
      reads: limiter as never,
      clock: { now: () => 0, sleep: async () => {} },
      hooks: {},
    };
  }

  it("sends the stable idempotency key, and treats a card no longer attached as done", async () => {
    const calls: [string, string][] = [];
    await stripeDetach(depsWith(async (id, _p, o) => calls.push([id, o.idempotencyKey])), { gatewayId: "pm_123", idempotencyKey: "pm_x_detach" });
    expect(calls).toEqual([["pm_123", "pm_x_detach"]]);
    const notAttached = Object.assign(new Error("The payment method you provided is not attached to a customer so detachment is impossible."), { type: "StripeInvalidRequestError", code: "payment_method_unexpected_state" });
    await expect(stripeDetach(depsWith(async () => Promise.reject(notAttached)), { gatewayId: "pm_123", idempotencyKey: "k" })).resolves.toBeUndefined();
    const missing = Object.assign(new Error("No such PaymentMethod: 'pm_123'"), { type: "StripeInvalidRequestError", code: "resource_missing" });
    await expect(stripeDetach(depsWith(async () => Promise.reject(missing)), { gatewayId: "pm_123", idempotencyKey: "k" })).resolves.toBeUndefined();
  });

  it("passes other failures on, so the deletion knows to retry", async () => {
    const down = Object.assign(new Error("connection reset"), { type: "StripeConnectionError" });
    await expect(stripeDetach(depsWith(async () => Promise.reject(down)), { gatewayId: "pm_123", idempotencyKey: "k" })).rejects.toThrow("connection reset");
  });
});
