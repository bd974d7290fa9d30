import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { listCustomerReceipts } from "@/db/queries/receipts";
import { auditLog, emailAttachments, emails, outboxEvents, receipts, receiptSends } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { pdfPageTexts } from "@/lib/documents/pdf-text";
import { dispatchOutbox, type OutboxEvent } from "@/lib/events/outbox";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { recordManualPayment } from "@/lib/services/payments/record-manual-payment";
import { resendReceipt } from "@/lib/services/receipts/resend-receipt";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { GET as listReceiptsRoute } from "@/app/api/v1/receipts/route";
import { GET as getReceiptRoute } from "@/app/api/v1/receipts/[id]/route";
import { makeCatalog, makeCustomer, makePlan, type Catalog } from "../factories";
import { call, newKey, problemOf } from "../api/support";
import { ctx, eventsFor, NOW } from "../services/support";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

const asEvent = (row: { id: string; type: string; customerId: string | null; entityId: string | null; payload: unknown }): OutboxEvent => ({
  id: row.id,
  type: row.type,
  customerId: row.customerId,
  entityId: row.entityId,
  payload: row.payload as Record<string, unknown>,
});

/** Every event of `type` for the entity, handled twice as a re-delivery would, then the outbox drained. */
async function handleTwiceAndDrain(entityId: string, type: string): Promise<void> {
  const handle = outboxHandler(db);
  for (const row of await eventsFor(db, entityId, type)) {
    await handle(asEvent(row));
    await handle(asEvent(row));
  }
  while ((await dispatchOutbox(db, handle)) > 0) {
    // drain
  }
}

const receiptEmails = (customerId: string) => db.select().from(emails).where(and(eq(emails.customerId, customerId), eq(emails.template, "receipt")));
const attachmentsOf = (emailIds: string[]) => (emailIds.length === 0 ? Promise.resolve([]) : db.select().from(emailAttachments).where(inArray(emailAttachments.emailId, emailIds)));

describe("receipts", () => {
  it("a card payment gives exactly one receipt and one email with its PDF, even when the event is handled twice", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { name: "Łódź Ωmega 株式会社" });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    expect(invoice?.status).toBe("paid");
    await handleTwiceAndDrain(invoice!.id, "invoice.paid");

    const issued = await listCustomerReceipts(db, customer.id);
    expect(issued).toHaveLength(1);
    const receipt = issued[0]!;
    expect(receipt).toMatchObject({ invoiceId: invoice!.id, amount: 1000, currency: "aud", method: "card", methodLabel: "Visa ending 4242", cardBrand: "visa", cardLast4: "4242" });
    expect(receipt.number).toMatch(/^RCT-\d{6}$/);

    const sent = await receiptEmails(customer.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe(`Receipt ${receipt.number} for invoice ${invoice!.number}`);
    expect(sent[0]!.text).toContain("Visa ending 4242");
    const files = await attachmentsOf(sent.map((e) => e.id));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ filename: `${receipt.number}.pdf`, contentType: "application/pdf" });
    const [text] = await pdfPageTexts(files[0]!.content);
    const flat = text?.replace(/\s+/g, " ") ?? "";
    for (const expected of [receipt.number, "$10.00", "Visa ending 4242", invoice!.number!, "Łódź Ωmega 株式会社"]) expect(flat).toContain(expected);

    // The receipt.created event was dispatched too, without a second email; one send logged, one audit entry.
    expect(await db.select().from(outboxEvents).where(and(eq(outboxEvents.type, "receipt.created"), eq(outboxEvents.entityId, receipt.id)))).toHaveLength(1);
    expect(await db.select().from(receiptSends).where(eq(receiptSends.receiptId, receipt.id))).toMatchObject([{ reason: "issued", emailId: sent[0]!.id, to: customer.email }]);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.entityId, receipt.id), eq(auditLog.action, "receipt.issued")))).toHaveLength(1);
  });

  it("a manual payment gives a receipt naming the method and reference; a part payment has its own", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c, { card: null });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }], collectionMethod: "send_invoice" });
    expect(invoice?.status).toBe("open");
    const first = await recordManualPayment(c, { invoiceId: invoice!.id, amount: 400, method: "bank_transfer", reference: "BT-7731" });
    const rest = await recordManualPayment(c, { invoiceId: invoice!.id, method: "cheque", reference: "CHQ-9" });
    expect(rest.invoice.status).toBe("paid");
    await handleTwiceAndDrain(first.payment.id, "payment.recorded");
    await handleTwiceAndDrain(rest.payment.id, "payment.recorded");
    await handleTwiceAndDrain(invoice!.id, "invoice.paid");

    const issued = (await listCustomerReceipts(db, customer.id)).sort((a, b) => a.number.localeCompare(b.number));
    expect(issued.map((r) => [r.paymentId, r.amount, r.method, r.methodLabel])).toEqual([
      [first.payment.id, 400, "bank_transfer", "Bank transfer (ref BT-7731)"],
      [rest.payment.id, 600, "cheque", "Cheque (ref CHQ-9)"],
    ]);
    // Consecutive numbers in the receipt series.
    const [a, b] = issued.map((r) => Number(r.number.slice(4)));
    expect(b).toBe(a! + 1);
    expect(await receiptEmails(customer.id)).toHaveLength(2);
  });

  it("an invoice below the minimum charge, carried to the balance (nothing received): no receipt and no receipt email", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { priceId } = await makePlan(db, { code: `addon_${Date.now()}`, name: "Add-on", unitAmount: 30 });
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });
    expect(invoice).toMatchObject({ status: "paid", carriedToBalance: 30 });
    await handleTwiceAndDrain(invoice!.id, "invoice.paid");
    expect(await db.select().from(receipts).where(eq(receipts.customerId, customer.id))).toEqual([]);
    expect(await receiptEmails(customer.id)).toEqual([]);
  });

  it("staff resending a receipt is audited and emails it again, with the PDF", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await handleTwiceAndDrain(invoice!.id, "invoice.paid");
    const [receipt] = await listCustomerReceipts(db, customer.id);
    const staff: Actor = { type: "user", id: "usr_support_1", role: "support" };
    const { to } = await resendReceipt({ ...c, actor: staff, now: new Date(NOW.getTime() + 60_000) }, receipt!.id);
    expect(to).toBe(customer.email);
    await handleTwiceAndDrain(receipt!.id, "receipt.resent");

    const sent = await receiptEmails(customer.id);
    expect(sent).toHaveLength(2);
    expect(await attachmentsOf(sent.map((e) => e.id))).toHaveLength(2);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, receipt!.id), eq(auditLog.action, "receipt.resent")));
    expect(audit).toMatchObject([{ actorType: "user", actorId: "usr_support_1", after: { number: receipt!.number, to: customer.email } }]);
    expect((await db.select().from(receiptSends).where(eq(receiptSends.receiptId, receipt!.id))).map((s) => s.reason).sort()).toEqual(["issued", "resent"]);
    // Still one receipt.
    expect(await listCustomerReceipts(db, customer.id)).toHaveLength(1);
  });

  it("the API lists a customer's receipts and retrieves one; another mode's key does not see it", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    await handleTwiceAndDrain(invoice!.id, "invoice.paid");
    const { key } = await newKey();
    const list = await call(listReceiptsRoute, { method: "GET", key, path: `/receipts?customer=${customer.id}` });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { object: string; has_more: boolean; data: { id: string }[] };
    expect(body).toMatchObject({ object: "list", has_more: false });
    expect(body.data).toHaveLength(1);
    const id = body.data[0]!.id;
    const one = await call(getReceiptRoute, { method: "GET", key, path: `/receipts/${id}`, params: { id } });
    expect(await one.json()).toMatchObject({
      id,
      object: "receipt",
      number: expect.stringMatching(/^RCT-\d{6}$/),
      customer: customer.id,
      invoice: invoice!.id,
      amount: 1000,
      currency: "aud",
      payment_method_details: { type: "card", card: { brand: "visa", last4: "4242" }, description: "Visa ending 4242" },
      livemode: false,
    });
    const live = await newKey(true);
    expect((await problemOf(await call(getReceiptRoute, { method: "GET", key: live.key, path: `/receipts/${id}`, params: { id } }))).code).toBe("not_found");
  });
});
