import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { auditLog, customerErasures, customers, paymentMethods } from "@/db/schema";
import { DELETE as detachRoute } from "@/app/api/v1/payment_methods/[id]/route";
import { dispatchOutbox } from "@/lib/events/outbox";
import { jobs } from "@/lib/jobs/local-runner";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { detachIdempotencyKey } from "@/lib/services/payment-methods/detach-at-gateway";
import { removePaymentMethod } from "@/lib/services/payment-methods/remove-payment-method";
import { syncGateway } from "@/lib/services/payments/gateway-sync";
import { deleteCustomer, eraseIdempotencyKey } from "@/lib/services/privacy/delete-customer";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { call, newKey } from "../api/support";
import { ctx, NOW } from "../services/support";
import { makeCustomer } from "../factories";
import { logged } from "@/tests/setup/logs";

/**
 * Item: removing a card detaches it at Stripe (`POST /v1/payment_methods/{id}/detach`), and
 * deleting an account also clears the customer's name and email there (`POST /v1/customers/{id}`).
 * Keyed, idempotent, audited; when Stripe is down the gateway janitor finishes it later. The fake
 * Stripe checks every request against Stripe's operations.json and records what it received.
 */
const fake = withFakeStripe({ timeoutMs: 2_000 });
let db: Db;

beforeAll(async () => {
  db = await getDb();
});

const dispatch = () => dispatchOutbox(db, outboxHandler(db), 500);
const detachesOf = (gatewayId: string) => fake().requestsTo("POST", `/v1/payment_methods/${gatewayId}/detach`);

async function customerWithTwoCards() {
  const c = ctx(db);
  const customer = await makeCustomer(c);
  const second = await attachPaymentMethod(c, { customerId: customer.id, token: "pm_card_mastercard" });
  const [first] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, customer.defaultPaymentMethodId!));
  return { customer, first: first!, second };
}

async function gatewayDetachAudits(paymentMethodId: string) {
  return db.select().from(auditLog).where(and(eq(auditLog.entityId, paymentMethodId), eq(auditLog.action, "payment_method.gateway_detached")));
}

describe("removing a card detaches it at Stripe", () => {
  it("the gateway janitor is a job every 5 minutes", () => {
    expect(jobs.find((j) => j.name === "payments.gateway_sync")).toMatchObject({ everyMs: 5 * 60_000 });
  });

  it("portal removal: one POST /v1/payment_methods/{id}/detach under pm_<id>_detach, recorded and audited once", async () => {
    const { customer, first } = await customerWithTwoCards();
    await removePaymentMethod(ctx(db), { customerId: customer.id, paymentMethodId: first.id });
    await dispatch();

    const sent = detachesOf(first.gatewayId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ idempotencyKey: detachIdempotencyKey(first.id), params: {}, status: 200, violation: null, replayed: false });
    expect(fake().paymentMethods.get(first.gatewayId)?.customer).toBeNull();
    const [row] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, first.id));
    expect(row?.detachedAt).not.toBeNull();
    expect(row?.gatewayDetachedAt).not.toBeNull();
    expect(await gatewayDetachAudits(first.id)).toHaveLength(1);

    // Nothing left to do: the janitor sends nothing more.
    await syncGateway(db, new Date(NOW.getTime() + 3_600_000));
    expect(detachesOf(first.gatewayId)).toHaveLength(1);
    expect(await gatewayDetachAudits(first.id)).toHaveLength(1);
  });

  it("DELETE /api/v1/payment_methods/{id}: detached at Stripe too", async () => {
    const { key } = await newKey();
    const { second } = await customerWithTwoCards();
    const res = await call(detachRoute, { method: "DELETE", key, path: `/payment_methods/${second.id}`, params: { id: second.id } });
    expect(res.status).toBe(200);
    await dispatch();
    expect(detachesOf(second.gatewayId).map((r) => [r.idempotencyKey, r.status])).toEqual([[detachIdempotencyKey(second.id), 200]]);
    expect(fake().paymentMethods.get(second.gatewayId)?.customer).toBeNull();
  });

  it("Stripe down at removal: the card is removed in Tally at once and detached at Stripe by the janitor later, same key, once", async () => {
    const { customer, first } = await customerWithTwoCards();
    fake().failNext(3, "500", (r) => r.path === `/v1/payment_methods/${first.gatewayId}/detach`);
    await removePaymentMethod(ctx(db), { customerId: customer.id, paymentMethodId: first.id });
    await dispatch();
    expect(logged("warn").length).toBeGreaterThan(0);
    const [pendingRow] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, first.id));
    expect(pendingRow?.detachedAt).not.toBeNull();
    expect(pendingRow?.gatewayDetachedAt).toBeNull();
    expect(fake().paymentMethods.get(first.gatewayId)?.customer).toMatch(/^cus_/);

    const summary = await syncGateway(db, new Date(NOW.getTime() + 600_000));
    expect(summary.cards.errors).toEqual([]);
    const sent = detachesOf(first.gatewayId);
    expect(sent.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(sent.map((r) => r.idempotencyKey))).toEqual(new Set([detachIdempotencyKey(first.id)]));
    expect(fake().paymentMethods.get(first.gatewayId)?.customer).toBeNull();
    const [done] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, first.id));
    expect(done?.gatewayDetachedAt).not.toBeNull();
    expect(await gatewayDetachAudits(first.id)).toHaveLength(1);
  });
});

describe("account deletion clears the customer at Stripe", () => {
  it("detaches every card and clears name and email (POST /v1/customers/{id} name='' email=''), keyed and audited", async () => {
    const { customer, first, second } = await customerWithTwoCards();
    const [before] = await db.select().from(customers).where(eq(customers.id, customer.id));
    const cus = before!.gatewayCustomerId!;
    expect(fake().customers.get(cus)).toMatchObject({ email: customer.email, name: customer.name });

    const result = await deleteCustomer(ctx(db), customer.id);
    expect(result.gatewayDetached).toBe(true);
    for (const card of [first, second]) {
      expect(detachesOf(card.gatewayId).map((r) => [r.idempotencyKey, r.status])).toEqual([[detachIdempotencyKey(card.id), 200]]);
    }
    const updates = fake().requestsTo("POST", `/v1/customers/${cus}`);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ params: { name: "", email: "" }, idempotencyKey: eraseIdempotencyKey(customer.id), status: 200, violation: null });
    expect(fake().customers.get(cus)).toMatchObject({ email: null, name: null });
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityId, customer.id), eq(auditLog.action, "customer.gateway_erased")));
    expect(audits).toHaveLength(1);
    const [erasure] = await db.select().from(customerErasures).where(eq(customerErasures.customerId, customer.id));
    expect(erasure?.gatewayDetachedAt).not.toBeNull();
  });

  it("Stripe down during deletion: the account is deleted in Tally, and the janitor clears Stripe later with the same keys", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const [row] = await db.select().from(customers).where(eq(customers.id, customer.id));
    const cus = row!.gatewayCustomerId!;
    fake().failNext(3, "500", (r) => r.path === `/v1/customers/${cus}`);
    const result = await deleteCustomer(c, customer.id);
    expect(result).toMatchObject({ deletedNow: true, gatewayDetached: false });
    expect(logged("warn").length).toBeGreaterThan(0);
    expect(fake().customers.get(cus)).toMatchObject({ email: customer.email });

    const summary = await syncGateway(db, new Date(NOW.getTime() + 600_000));
    expect(summary.erasures.pending).toEqual([]);
    const updates = fake().requestsTo("POST", `/v1/customers/${cus}`);
    expect(updates.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(updates.map((r) => r.idempotencyKey))).toEqual(new Set([eraseIdempotencyKey(customer.id)]));
    expect(fake().customers.get(cus)).toMatchObject({ email: null, name: null });
    const [erasure] = await db.select().from(customerErasures).where(eq(customerErasures.customerId, customer.id));
    expect(erasure?.gatewayDetachedAt).not.toBeNull();
  });
});
