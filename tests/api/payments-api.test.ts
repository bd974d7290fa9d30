import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { GET as listPayments } from "@/app/api/v1/payments/route";
import { GET as getPayment } from "@/app/api/v1/payments/[id]/route";
import { DELETE as detach } from "@/app/api/v1/payment_methods/[id]/route";
import { GET as getCustomer } from "@/app/api/v1/customers/[id]/route";
import { systemActor } from "@/lib/actor";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { makePlan } from "../factories";
import { call, newKey, problemOf } from "./support";

describe("payments and payment methods through the API", () => {
  it("lists and retrieves payments, detaches a default card (the other card becomes default), and hides other modes", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: new Date("2026-11-21T00:00:00Z") };
    const { key } = await newKey();
    const customer = await createCustomer(ctx, { email: "pay@example.com", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } });
    const first = await attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa" });
    const second = await attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_mastercard" });
    const { priceId } = await makePlan(db, { code: "p", unitAmount: 1000 });
    const { invoice } = await createSubscription(ctx, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });

    const list = await call(listPayments, { method: "GET", key, path: `/payments?invoice=${invoice!.id}` });
    const body = (await list.json()) as { data: { id: string; status: string; amount: number; idempotency_key: string; fee: number }[] };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ status: "succeeded", amount: 1000, idempotency_key: `inv_${invoice!.id}_attempt_1`, fee: 47 });
    const one = await call(getPayment, { method: "GET", key, path: `/payments/${body.data[0]!.id}`, params: { id: body.data[0]!.id } });
    expect(one.status).toBe(200);

    const detached = await call(detach, { method: "DELETE", key, path: `/payment_methods/${first.id}`, params: { id: first.id } });
    expect(detached.status).toBe(200);
    const after = (await (await call(getCustomer, { method: "GET", key, path: `/customers/${customer.id}`, params: { id: customer.id } })).json()) as { default_payment_method: string };
    expect(after.default_payment_method).toBe(second.id);
    const again = await call(detach, { method: "DELETE", key, path: `/payment_methods/${first.id}`, params: { id: first.id } });
    expect(again.status).toBe(404);

    const live = await newKey(true);
    const hidden = await call(getPayment, { method: "GET", key: live.key, path: `/payments/${body.data[0]!.id}`, params: { id: body.data[0]!.id } });
    expect((await problemOf(hidden)).code).toBe("not_found");
  });
});
