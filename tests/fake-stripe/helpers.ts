import { asc, eq, inArray } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, invoices, outboxEvents, payments, reconciliationItems } from "@/db/schema";
import { attemptInvoicePayment } from "@/lib/services/invoices/attempt-payment";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import type { FakeStripe } from "./server";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";
import { ctx, paymentsOf } from "../services/support";

export { makeCatalog, type Catalog };

/** POSTs that create PaymentIntents. */
export const isCreateIntent = (r: { method: string; path: string }) => r.method === "POST" && r.path === "/v1/payment_intents";

/**
 * An open, unattempted invoice (AUD 11.00) for a new customer with `card` attached through the
 * configured gateway: send_invoice collection, so nothing is charged until the test says so.
 */
export async function openInvoice(db: Db, catalog: Catalog, card = "pm_card_visa") {
  const c = ctx(db);
  const customer = await makeCustomer(c, { card });
  const { subscription, invoice } = await createSubscription(c, {
    customerId: customer.id,
    items: [{ priceId: catalog.audExclusive.id, quantity: 1 }],
    collectionMethod: "send_invoice",
    daysUntilDue: 14,
  });
  if (!invoice || invoice.status !== "open") throw new Error("expected an open invoice");
  return { customer, subscription, invoice };
}

/** An open invoice whose payment is left pending with the charge made at Stripe: the answer (all three tries) never came back. */
export async function pendingAfterLostAnswer(db: Db, catalog: Catalog, fake: FakeStripe, card = "pm_card_visa") {
  const opened = await openInvoice(db, catalog, card);
  fake.loseNext(3, isCreateIntent);
  await expect(attemptInvoicePayment(ctx(db), opened.invoice.id)).rejects.toThrow();
  const [payment] = await paymentsOf(db, opened.invoice.id);
  if (!payment || payment.status !== "pending") throw new Error("expected a pending payment");
  return { ...opened, payment };
}

export async function invoiceRow(db: Db, id: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
  if (!row) throw new Error(`invoice ${id} missing`);
  return row;
}

export async function itemsFor(db: Db, paymentIds: string[]) {
  if (paymentIds.length === 0) return [];
  return db.select().from(reconciliationItems).where(inArray(reconciliationItems.paymentId, paymentIds)).orderBy(asc(reconciliationItems.createdAt));
}

/** Everything reconciliation could touch for these invoices, for "a second run changes nothing". */
export async function snapshot(db: Db, invoiceIds: string[]) {
  const rows = await db.select().from(payments).where(inArray(payments.invoiceId, invoiceIds)).orderBy(asc(payments.id));
  const ids = rows.map((p) => p.id);
  return {
    payments: rows,
    invoices: await db.select().from(invoices).where(inArray(invoices.id, invoiceIds)).orderBy(asc(invoices.id)),
    items: await itemsFor(db, ids),
    events: (await db.select({ id: outboxEvents.id }).from(outboxEvents).where(inArray(outboxEvents.entityId, [...invoiceIds, ...ids]))).length,
    audit: (await db.select({ id: auditLog.id }).from(auditLog).where(inArray(auditLog.entityId, [...invoiceIds, ...ids]))).length,
  };
}
