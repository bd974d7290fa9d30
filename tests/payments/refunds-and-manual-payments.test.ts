import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { payments, sandboxRefunds } from "@/db/schema";
import { POST as createRefund, GET as listRefunds } from "@/app/api/v1/refunds/route";
import { POST as recordPayment } from "@/app/api/v1/payments/route";
import { GET as getInvoice } from "@/app/api/v1/invoices/[id]/route";
import { systemActor } from "@/lib/actor";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { makeCustomer, makePlan } from "../factories";
import { subscriptionRow } from "../scenarios/support";
import { call, newKey, problemOf } from "../api/support";

async function paidStarter() {
  const db = await getDb();
  const ctx = { db, actor: systemActor("test"), now: new Date("2026-11-21T00:00:00Z") };
  const customer = await makeCustomer(ctx, { email: "refund@example.com", name: null });
  const { priceId } = await makePlan(db, { code: "starter", unitAmount: 1000 });
  const { invoice } = await createSubscription(ctx, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });
  const [payment] = await db.select().from(payments).where(eq(payments.invoiceId, invoice!.id));
  return { ctx, customer, invoice: invoice!, payment: payment! };
}

describe("refunds from a payment", () => {
  it("refunds part, then the rest, through credit notes; more than remains is a 422", async () => {
    const { payment, invoice } = await paidStarter();
    const { key } = await newKey();
    const first = await call(createRefund, { key, path: "/refunds", body: { payment: payment.id, amount: 400, reason: "requested_by_customer" } });
    expect(first.status).toBe(200);
    const refund = (await first.json()) as { status: string; amount: number; credit_note: string; invoice: string };
    expect(refund).toMatchObject({ status: "succeeded", amount: 400, invoice: invoice.id });
    expect(refund.credit_note).toMatch(/^cn_/);

    const tooMuch = await call(createRefund, { key, path: "/refunds", body: { payment: payment.id, amount: 601 } });
    expect(tooMuch.status).toBe(422);
    expect(await problemOf(tooMuch)).toMatchObject({ code: "out_of_range", param: "amount" });

    const rest = await call(createRefund, { key, path: "/refunds", body: { payment: payment.id } });
    expect(((await rest.json()) as { amount: number }).amount).toBe(600);
    const db = await getDb();
    const [after] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(after?.amountRefunded).toBe(1000);
    expect((await db.select().from(sandboxRefunds)).map((r) => r.amount).sort()).toEqual([400, 600]);
    const list = (await (await call(listRefunds, { method: "GET", key, path: `/refunds?payment=${payment.id}` })).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(2);
    const invoiceView = (await (await call(getInvoice, { method: "GET", key, path: `/invoices/${invoice.id}`, params: { id: invoice.id } })).json()) as { status: string; amount_credited: number };
    expect(invoiceView).toMatchObject({ status: "paid", amount_credited: 1000 });
  });
});

describe("manual payments", () => {
  it("records a partial bank transfer, then the rest, once per reference; the send_invoice subscription stays active", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: new Date("2026-11-21T00:00:00Z") };
    const customer = await makeCustomer(ctx, { email: "uni@example.com", name: null, card: null });
    const { priceId } = await makePlan(db, { code: "campus", unitAmount: 50000 });
    const { subscription, invoice } = await createSubscription(ctx, { customerId: customer.id, items: [{ priceId, quantity: 1 }], collectionMethod: "send_invoice", daysUntilDue: 30 });
    const { key } = await newKey();
    const part = await call(recordPayment, { key, path: "/payments", body: { invoice: invoice!.id, amount: 20000, method: "bank_transfer", reference: "EFT-1" } });
    expect(part.status).toBe(200);
    expect(await part.json()).toMatchObject({ amount: 20000, status: "succeeded", method: "bank_transfer", gateway: "manual" });
    const again = await call(recordPayment, { key, path: "/payments", body: { invoice: invoice!.id, amount: 20000, method: "bank_transfer", reference: "EFT-1" } });
    expect(((await again.json()) as { amount: number }).amount).toBe(20000);
    let view = (await (await call(getInvoice, { method: "GET", key, path: `/invoices/${invoice!.id}`, params: { id: invoice!.id } })).json()) as { status: string; amount_remaining: number };
    expect(view).toMatchObject({ status: "open", amount_remaining: 30000 });
    const over = await call(recordPayment, { key, path: "/payments", body: { invoice: invoice!.id, amount: 30001, method: "cheque" } });
    expect(await problemOf(over)).toMatchObject({ code: "out_of_range", param: "amount" });
    await call(recordPayment, { key, path: "/payments", body: { invoice: invoice!.id, method: "cheque", reference: "CHQ-9" } });
    view = (await (await call(getInvoice, { method: "GET", key, path: `/invoices/${invoice!.id}`, params: { id: invoice!.id } })).json()) as { status: string; amount_remaining: number };
    expect(view).toMatchObject({ status: "paid", amount_remaining: 0 });
    expect((await subscriptionRow(subscription.id)).status).toBe("active");
  });
});
