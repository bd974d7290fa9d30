import { beforeAll, describe, expect, it, vi } from "vitest";
import { eq, like } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { invoices, sandboxCharges, subscriptions } from "@/db/schema";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import { attemptInvoicePayment } from "@/lib/services/invoices/attempt-payment";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx, eventsFor, historyOf, invoicesOfCustomer, needsPostgres, paymentsOf } from "./support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

async function chargesFor(invoiceId: string) {
  return db.select().from(sandboxCharges).where(like(sandboxCharges.idempotencyKey, `inv_${invoiceId}_%`));
}

async function invoiceRow(id: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
  if (!row) throw new Error(`invoice ${id} missing`);
  return row;
}

/** An open, unattempted invoice: send_invoice collection for a customer who has a card on file. */
async function openInvoice(card = "pm_card_visa") {
  const c = ctx(db);
  const customer = await makeCustomer(c, { card });
  const { subscription, invoice } = await createSubscription(c, {
    customerId: customer.id,
    items: [{ priceId: catalog.audExclusive.id, quantity: 1 }],
    collectionMethod: "send_invoice",
    daysUntilDue: 14,
  });
  if (!invoice) throw new Error("no invoice");
  expect(invoice).toMatchObject({ status: "open", total: 1100, amountRemaining: 1100 });
  return { customer, subscription, invoice };
}

describe("attemptInvoicePayment", () => {
  it("R2: a crash after the gateway answered is retried with the same payment and key, and charges once", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const realCharge = sandboxGateway.charge.bind(sandboxGateway);
    const charge = vi.spyOn(sandboxGateway, "charge").mockImplementationOnce(async (request) => {
      await realCharge(request);
      throw new Error("connection reset after the gateway answered");
    });

    await expect(createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] })).rejects.toThrow(
      "connection reset after the gateway answered",
    );
    expect(charge).toHaveBeenCalledTimes(1);

    // The first phase committed: an open invoice with a pending attempt 1, and the gateway charged.
    const [invoice] = await invoicesOfCustomer(db, customer.id);
    if (!invoice) throw new Error("no invoice");
    expect(invoice).toMatchObject({ status: "open", total: 1000, amountPaid: 0, amountRemaining: 1000 });
    const before = await paymentsOf(db, invoice.id);
    expect(before.map((p) => [p.status, p.attempt, p.idempotencyKey, p.amount])).toEqual([["pending", 1, `inv_${invoice.id}_attempt_1`, 1000]]);
    expect((await chargesFor(invoice.id)).map((r) => r.idempotencyKey)).toEqual([`inv_${invoice.id}_attempt_1`]);
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
    expect(sub?.status).toBe("incomplete");

    // The retry reuses the pending payment and its key; the gateway replays the stored charge.
    const retried = await attemptInvoicePayment(c, invoice.id);
    expect(charge).toHaveBeenCalledTimes(2);
    expect(charge.mock.calls[1]?.[0].idempotencyKey).toBe(`inv_${invoice.id}_attempt_1`);
    expect(retried.payment?.id).toBe(before[0]?.id);
    expect(retried.invoice).toMatchObject({ status: "paid", amountPaid: 1000, amountRemaining: 0 });
    expect(retried.subscription?.status).toBe("active");

    const after = await paymentsOf(db, invoice.id);
    expect(after.map((p) => [p.id, p.status, p.attempt, p.idempotencyKey, p.fee])).toEqual([[before[0]?.id, "succeeded", 1, `inv_${invoice.id}_attempt_1`, 47]]);
    const stored = await chargesFor(invoice.id);
    expect(stored).toHaveLength(1);
    expect((stored[0]?.result as { gatewayId: string }).gatewayId).toBe(after[0]?.gatewayId);
    const paid = await invoiceRow(invoice.id);
    expect(paid).toMatchObject({ status: "paid", amountPaid: paid.total, amountRemaining: 0 });
    expect(paid.amountPaid).toBe(1000);
    expect(await eventsFor(db, invoice.id, "invoice.paid")).toHaveLength(1);
    expect(await historyOf(db, sub?.id ?? "")).toEqual([
      { from: null, to: "incomplete", reason: "created" },
      { from: "incomplete", to: "active", reason: "invoice paid" },
    ]);
  });

  it("is a no-op on a paid invoice: no payment, no charge, nothing changes", async () => {
    const { invoice } = await openInvoice();
    const first = await attemptInvoicePayment(ctx(db), invoice.id);
    expect(first.invoice).toMatchObject({ status: "paid", amountPaid: 1100, amountRemaining: 0 });
    const paidAt = first.invoice.paidAt;

    const charge = vi.spyOn(sandboxGateway, "charge");
    const second = await attemptInvoicePayment(ctx(db, new Date("2026-03-11T00:00:00Z")), invoice.id);
    expect(charge).not.toHaveBeenCalled();
    expect(second.payment).toBeNull();
    expect(second.invoice).toMatchObject({ status: "paid", amountPaid: 1100, amountRemaining: 0 });
    expect((await invoiceRow(invoice.id)).paidAt).toEqual(paidAt);
    expect((await paymentsOf(db, invoice.id)).map((p) => [p.attempt, p.status])).toEqual([[1, "succeeded"]]);
    expect(await chargesFor(invoice.id)).toHaveLength(1);
    expect(await eventsFor(db, invoice.id, "invoice.paid")).toHaveLength(1);
  });

  it("after a decline, the next attempt is attempt 2 with key _attempt_2", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: "pm_card_chargeDeclined" });
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    if (!invoice) throw new Error("no invoice");
    expect(subscription.status).toBe("incomplete");
    expect((await paymentsOf(db, invoice.id)).map((p) => [p.attempt, p.status, p.declineCode])).toEqual([[1, "failed", "generic_decline"]]);

    // Retrying with the same declined card declines again, as attempt 2.
    const again = await attemptInvoicePayment(c, invoice.id);
    expect(again.payment).toMatchObject({ attempt: 2, status: "failed", idempotencyKey: `inv_${invoice.id}_attempt_2`, declineCode: "generic_decline" });
    expect(again.invoice.status).toBe("open");

    // A new default card retries the open invoice at once: attempt 3 succeeds; asking again does nothing.
    await attachPaymentMethod(c, { customerId: customer.id, token: "pm_card_visa", makeDefault: true });
    const paid = await attemptInvoicePayment(c, invoice.id);
    expect(paid.payment).toBeNull();
    expect(paid.invoice).toMatchObject({ status: "paid", amountPaid: 1000, amountRemaining: 0 });
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(sub?.status).toBe("active");

    const all = await paymentsOf(db, invoice.id);
    expect(all.map((p) => [p.attempt, p.status, p.idempotencyKey])).toEqual([
      [1, "failed", `inv_${invoice.id}_attempt_1`],
      [2, "failed", `inv_${invoice.id}_attempt_2`],
      [3, "succeeded", `inv_${invoice.id}_attempt_3`],
    ]);
    expect((await chargesFor(invoice.id)).map((r) => r.idempotencyKey).sort()).toEqual([1, 2, 3].map((n) => `inv_${invoice.id}_attempt_${n}`));
    expect(await eventsFor(db, invoice.id, "invoice.payment_failed")).toHaveLength(2);
    expect(await eventsFor(db, invoice.id, "invoice.paid")).toHaveLength(1);
  });

  it.skipIf(needsPostgres)("5 concurrent attempts on one invoice make one payment and one charge (needs PostgreSQL)", async () => {
    const { invoice, subscription } = await openInvoice();
    const results = await Promise.all(Array.from({ length: 5 }, () => attemptInvoicePayment(ctx(db), invoice.id)));
    expect(results.every((r) => r.invoice.status === "paid")).toBe(true);

    const all = await paymentsOf(db, invoice.id);
    expect(all.map((p) => [p.attempt, p.status, p.idempotencyKey, p.amount])).toEqual([[1, "succeeded", `inv_${invoice.id}_attempt_1`, 1100]]);
    expect(await chargesFor(invoice.id)).toHaveLength(1);
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: "paid", amountPaid: 1100, amountRemaining: 0 });
    expect(await eventsFor(db, invoice.id, "invoice.paid")).toHaveLength(1);
    expect(await historyOf(db, subscription.id)).toEqual([
      { from: null, to: "incomplete", reason: "created" },
      { from: "incomplete", to: "active", reason: "invoice sent" },
    ]);
  });
});
