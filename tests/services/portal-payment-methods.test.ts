import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { auditLog, customers, invoices, paymentMethods } from "@/db/schema";
import { listPaymentMethods } from "@/db/queries/customers";
import { AppError } from "@/lib/errors";
import { addCard } from "@/lib/services/payment-methods/add-card";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { removePaymentMethod } from "@/lib/services/payment-methods/remove-payment-method";
import { checkSetupConfirmation, issueSetupConfirmation, SETUP_CONFIRMATION_TTL_MS } from "@/lib/services/payment-methods/sandbox-card-setup";
import { setDefaultPaymentMethod } from "@/lib/services/payment-methods/set-default-payment-method";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { clockCustomer } from "../scenarios/support";
import { ctx, NOW, paymentsOf } from "./support";
import { makePlan, makeCatalog, makeCustomer, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

async function customerRow(id: string) {
  const [row] = await db.select().from(customers).where(eq(customers.id, id));
  if (!row) throw new Error("customer missing");
  return row;
}

async function expectAppError(promise: Promise<unknown>, code: string, message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).userMessage).toMatch(message);
}

describe("addCard (portal, sandbox)", () => {
  it("4242 is saved; as default when asked, otherwise the existing default stays", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const added = await addCard(c, { customerId: customer.id, token: "pm_card_mastercard", makeDefault: false, ip: null });
    expect(added.status).toBe("saved");
    if (added.status !== "saved") return;
    expect(added.isDefault).toBe(false);
    expect(added.method).toMatchObject({ brand: "mastercard", last4: "4444" });
    expect((await customerRow(customer.id)).defaultPaymentMethodId).toBe(customer.defaultPaymentMethodId);

    const again = await addCard(c, { customerId: customer.id, token: "pm_card_visa", makeDefault: true, ip: null });
    expect(again.status === "saved" && again.isDefault).toBe(true);
    if (again.status === "saved") expect((await customerRow(customer.id)).defaultPaymentMethodId).toBe(again.method.id);
    expect(await listPaymentMethods(db, customer.id)).toHaveLength(3);
  });

  it("a card that declines (…0002) is refused at setup with the bank's words and nothing is saved", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const result = await addCard(c, { customerId: customer.id, token: "pm_card_chargeDeclined", makeDefault: true, ip: null });
    expect(result).toEqual({ status: "declined", message: "Your card was declined. Your card was not saved. Please try another card." });
    const expired = await addCard(c, { customerId: customer.id, token: "pm_card_chargeDeclinedExpiredCard", makeDefault: true, ip: null });
    expect(expired).toMatchObject({ status: "declined", message: expect.stringContaining("Your card has expired.") });
    expect(await listPaymentMethods(db, customer.id)).toEqual([]);
    expect((await customerRow(customer.id)).defaultPaymentMethodId).toBeNull();
  });

  it("…0341 attaches (it only fails when charged), like Stripe", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const result = await addCard(c, { customerId: customer.id, token: "pm_card_chargeCustomerFail", makeDefault: true, ip: null });
    expect(result).toMatchObject({ status: "saved", isDefault: true, method: { last4: "0341" }, invoices: [] });
  });

  it("…3155 asks for the bank's confirmation first; only the issued confirmation, for this customer and card, saves it", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const other = await makeCustomer(c, { card: null });
    const token = "pm_card_authenticationRequiredOnSetup";
    const first = await addCard(c, { customerId: customer.id, token, makeDefault: true, ip: null });
    expect(first.status).toBe("requires_confirmation");
    if (first.status !== "requires_confirmation") return;
    expect(await listPaymentMethods(db, customer.id)).toEqual([]);

    // Someone else's confirmation, a forged one, or one for another card does nothing.
    expect(await addCard(c, { customerId: other.id, token, makeDefault: true, ip: null, confirmation: first.confirmation })).toMatchObject({ status: "declined" });
    expect(await addCard(c, { customerId: customer.id, token, makeDefault: true, ip: null, confirmation: `${first.confirmation}x` })).toMatchObject({ status: "declined" });
    expect(await addCard(c, { customerId: customer.id, token: "pm_card_authenticationRequired", makeDefault: true, ip: null, confirmation: first.confirmation })).toMatchObject({
      status: "declined",
    });
    // Too late.
    const late = ctx(db, new Date(NOW.getTime() + SETUP_CONFIRMATION_TTL_MS + 1000));
    expect(await addCard(late, { customerId: customer.id, token, makeDefault: true, ip: null, confirmation: first.confirmation })).toEqual({
      status: "declined",
      message: "The confirmation took too long. Your card was not saved; please enter it again.",
    });
    expect(await listPaymentMethods(db, customer.id)).toEqual([]);

    const confirmed = await addCard(c, { customerId: customer.id, token, makeDefault: true, ip: null, confirmation: first.confirmation });
    expect(confirmed).toMatchObject({ status: "saved", isDefault: true, method: { last4: "3155" } });
  });

  it("confirmation tokens check signature, customer, card and expiry", () => {
    const token = issueSetupConfirmation("cus_a", "pm_card_authenticationRequiredOnSetup", NOW);
    expect(checkSetupConfirmation(token, "cus_a", "pm_card_authenticationRequiredOnSetup", NOW)).toBe("ok");
    expect(checkSetupConfirmation(token, "cus_b", "pm_card_authenticationRequiredOnSetup", NOW)).toBe("invalid");
    expect(checkSetupConfirmation(token, "cus_a", "pm_card_visa", NOW)).toBe("invalid");
    expect(checkSetupConfirmation(token, "cus_a", "pm_card_authenticationRequiredOnSetup", new Date(NOW.getTime() + SETUP_CONFIRMATION_TTL_MS))).toBe("expired");
    const [body] = token.split(".");
    expect(checkSetupConfirmation(`${body}.AAAA`, "cus_a", "pm_card_authenticationRequiredOnSetup", NOW)).toBe("invalid");
    expect(checkSetupConfirmation("garbage", "cus_a", "pm_card_authenticationRequiredOnSetup", NOW)).toBe("invalid");
  });

  it("a past-due renewal is charged at once when the new card becomes the default, and the result says it was paid", async () => {
    const clock = await clockCustomer(new Date("2026-01-15T00:00:00Z"));
    const { priceId } = await makePlan(db, { code: "pm-retry", unitAmount: 1000 });
    const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
    await attachPaymentMethod(clock.ctx, { customerId: clock.customerId, token: "pm_card_chargeCustomerFail", makeDefault: true });
    await clock.advance("2026-02-15T00:00:00Z");
    const [renewal] = await db.select().from(invoices).where(and(eq(invoices.subscriptionId, subscription.id), eq(invoices.billingReason, "subscription_cycle")));
    expect(renewal?.status).toBe("open");

    // Added but not as the default: the open invoice waits for its schedule.
    const notDefault = await addCard(clock.ctx, { customerId: clock.customerId, token: "pm_card_mastercard", makeDefault: false, ip: null });
    expect(notDefault).toMatchObject({ status: "saved", isDefault: false, invoices: [] });

    const added = await addCard(clock.ctx, { customerId: clock.customerId, token: "pm_card_visa", makeDefault: true, ip: null });
    expect(added).toMatchObject({
      status: "saved",
      isDefault: true,
      invoices: [{ invoiceId: renewal!.id, number: renewal!.number, outcome: "paid", amount: 1000, currency: "aud", message: null }],
    });
    expect((await paymentsOf(db, renewal!.id)).map((p) => p.status)).toEqual(["failed", "succeeded"]);
  });

  it("a new default that also fails says so in the bank's words, and the invoice stays open", async () => {
    const clock = await clockCustomer(new Date("2026-01-15T00:00:00Z"));
    const { priceId } = await makePlan(db, { code: "pm-retry-fail", unitAmount: 1000 });
    await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
    await attachPaymentMethod(clock.ctx, { customerId: clock.customerId, token: "pm_card_chargeCustomerFail", makeDefault: true });
    await clock.advance("2026-02-15T00:00:00Z");
    const added = await addCard(clock.ctx, { customerId: clock.customerId, token: "pm_card_chargeDeclinedInsufficientFunds", makeDefault: true, ip: null });
    // The sandbox declines that card at setup already, so nothing is charged.
    expect(added).toMatchObject({ status: "declined" });
    const authAlways = await addCard(clock.ctx, { customerId: clock.customerId, token: "pm_card_authenticationRequired", makeDefault: true, ip: null });
    expect(authAlways.status).toBe("requires_confirmation");
    if (authAlways.status !== "requires_confirmation") return;
    const saved = await addCard(clock.ctx, { customerId: clock.customerId, token: "pm_card_authenticationRequired", makeDefault: true, ip: null, confirmation: authAlways.confirmation });
    // …3184 asks again for every payment: the invoice waits for the customer's confirmation.
    expect(saved).toMatchObject({ status: "saved", invoices: [{ outcome: "requires_action", confirmPath: expect.stringMatching(/^\/pay\/[\w-]+\.[\w-]+$/) }] });
  });
});

describe("setDefaultPaymentMethod", () => {
  it("changes the default with an audit entry, only for the customer's own live cards", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const stranger = await makeCustomer(c);
    const second = await attachPaymentMethod(c, { customerId: customer.id, token: "pm_card_mastercard" });

    const result = await setDefaultPaymentMethod(c, { customerId: customer.id, paymentMethodId: second.id });
    expect(result).toMatchObject({ changed: true, invoices: [] });
    expect((await customerRow(customer.id)).defaultPaymentMethodId).toBe(second.id);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, customer.id), eq(auditLog.action, "customer.default_payment_method_changed")));
    expect(entry).toMatchObject({ before: { default_payment_method: customer.defaultPaymentMethodId }, after: { default_payment_method: second.id } });

    // Again: nothing changes.
    expect(await setDefaultPaymentMethod(c, { customerId: customer.id, paymentMethodId: second.id })).toMatchObject({ changed: false });
    // Someone else's card, or a removed one: not found.
    await expectAppError(setDefaultPaymentMethod(c, { customerId: stranger.id, paymentMethodId: second.id }), "not_found");
    await db.update(paymentMethods).set({ detachedAt: NOW }).where(eq(paymentMethods.id, customer.defaultPaymentMethodId!));
    await expectAppError(setDefaultPaymentMethod(c, { customerId: customer.id, paymentMethodId: customer.defaultPaymentMethodId! }), "not_found");
  });

  it("a new default pays the open renewal at once", async () => {
    const clock = await clockCustomer(new Date("2026-01-15T00:00:00Z"));
    const { priceId } = await makePlan(db, { code: "pm-default", unitAmount: 1000 });
    await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
    const visa = (await listPaymentMethods(db, clock.customerId))[0]!;
    await attachPaymentMethod(clock.ctx, { customerId: clock.customerId, token: "pm_card_chargeCustomerFail", makeDefault: true });
    await clock.advance("2026-02-15T00:00:00Z");
    const result = await setDefaultPaymentMethod(clock.ctx, { customerId: clock.customerId, paymentMethodId: visa.id });
    expect(result.invoices).toMatchObject([{ outcome: "paid", amount: 1000 }]);
  });
});

describe("removePaymentMethod", () => {
  it("removing the default makes the most recent other card the default", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const second = await attachPaymentMethod(ctx(db, new Date(NOW.getTime() + 1000)), { customerId: customer.id, token: "pm_card_mastercard" });
    const third = await attachPaymentMethod(ctx(db, new Date(NOW.getTime() + 2000)), { customerId: customer.id, token: "pm_card_createDispute" });
    const { effect } = await removePaymentMethod(c, { customerId: customer.id, paymentMethodId: customer.defaultPaymentMethodId! });
    expect(effect).toEqual({ kind: "new_default", next: third.id });
    expect((await customerRow(customer.id)).defaultPaymentMethodId).toBe(third.id);
    const { effect: plain } = await removePaymentMethod(c, { customerId: customer.id, paymentMethodId: second.id });
    expect(plain).toEqual({ kind: "not_default" });
    expect((await listPaymentMethods(db, customer.id)).map((m) => m.id)).toEqual([third.id]);
  });

  it("the last card cannot go while a subscription renews with it; it can once the subscription ends at period end", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await expectAppError(
      removePaymentMethod(c, { customerId: customer.id, paymentMethodId: customer.defaultPaymentMethodId! }),
      "conflict",
      /only card and your subscription renews with it/,
    );
    expect(await listPaymentMethods(db, customer.id)).toHaveLength(1);

    await cancelSubscription(c, subscription.id, { atPeriodEnd: true });
    const { effect } = await removePaymentMethod(c, { customerId: customer.id, paymentMethodId: customer.defaultPaymentMethodId! });
    expect(effect).toEqual({ kind: "last_card" });
    expect(await listPaymentMethods(db, customer.id)).toEqual([]);
    expect((await customerRow(customer.id)).defaultPaymentMethodId).toBeNull();
  });

  it("another customer's card is not found, and stays", async () => {
    const c = ctx(db);
    const owner = await makeCustomer(c);
    const stranger = await makeCustomer(c);
    await expectAppError(removePaymentMethod(c, { customerId: stranger.id, paymentMethodId: owner.defaultPaymentMethodId! }), "not_found");
    expect(await listPaymentMethods(db, owner.id)).toHaveLength(1);
  });
});
