import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, customerNotes, payments } from "@/db/schema";
import { countOpenEscalations, listOpenEscalations, listOpenRefundRequests } from "@/db/queries/notes";
import { systemActor } from "@/lib/actor";
import { AppError } from "@/lib/errors";
import { resolveEscalation } from "@/lib/services/notes/resolve-escalation";
import { escalateRefund } from "@/lib/services/payments/escalate-refund";
import { refundPayment } from "@/lib/services/payments/refund-payment";
import { setSetting } from "@/lib/services/settings/settings";
import { ctx as systemCtx } from "../services/support";
import { makeCustomer, NOW, paidCustomer, staff } from "./support";

/**
 * Support's refund limit is $15.00 here; the paid payment is $29.00. Above the limit support cannot
 * refund, but can send the refund to billing admins: one open request per payment, audited, listed
 * where billing admins look, and closed by a billing admin's resolution.
 */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function setUp() {
  const db = await getDb();
  const paid = await paidCustomer(db);
  const support = await staff(db, "support");
  const admin = await staff(db, "billing_admin");
  const owner = await staff(db, "super_admin");
  await setSetting(owner.ctx, "refunds.support_limit", { aud: 1500 });
  return { db, ...paid, support, admin };
}

const notesOf = async (db: Awaited<ReturnType<typeof getDb>>, paymentId: string) => db.select().from(customerNotes).where(eq(customerNotes.paymentId, paymentId));

describe("refund requests (a refund above support's limit, sent to billing admins)", () => {
  it("support's over-limit refund is refused; the request is recorded, audited and listed for billing admins, and no money moves", async () => {
    const { db, customer, invoice, payment, support } = await setUp();
    expect(payment.amount).toBe(2900);
    expect(await refusal(refundPayment(support.ctx, { paymentId: payment.id, amount: 2000 }))).toMatchObject({
      code: "forbidden",
      userMessage: "Your refund limit is $15.00; this refund is $20.00. Escalate it to a billing admin.",
    });

    const { escalation, created } = await escalateRefund(support.ctx, { paymentId: payment.id, customerId: customer.id, amount: 2000, reason: "duplicate" });
    expect(created).toBe(true);
    expect(escalation).toMatchObject({ customerId: customer.id, author: support.userId, kind: "escalation", paymentId: payment.id, refundAmount: 2000, resolves: null });
    expect(escalation.body).toBe(`Refund request: please refund $20.00 of the $29.00 payment on ${invoice.number}. Reason: duplicate charge.`);

    const [audit, ...more] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "customer"), eq(auditLog.entityId, customer.id), eq(auditLog.action, "customer.escalated")));
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({ actorType: "user", actorId: support.userId, after: { note: escalation.id, payment: payment.id, amount: 2000, currency: "aud", body: escalation.body } });

    expect((await listOpenEscalations(db)).map((e) => e.note.id)).toContain(escalation.id);
    expect(await countOpenEscalations(db, customer.id)).toBe(1);
    expect((await listOpenRefundRequests(db, { customerId: customer.id })).map((r) => [r.note.id, r.authorEmail])).toEqual([[escalation.id, support.email]]);

    const [untouched] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(untouched?.amountRefunded).toBe(0);
  });

  it("asking again while a request is open returns it: no second note and no second audit entry, even for clicks at once", async () => {
    const { db, customer, payment, support } = await setUp();
    const first = await escalateRefund(support.ctx, { paymentId: payment.id, amount: 2000 });
    const again = await escalateRefund({ ...support.ctx, now: new Date(NOW.getTime() + 60_000) }, { paymentId: payment.id, amount: 2500 });
    expect(again).toEqual({ escalation: first.escalation, created: false });
    const together = await Promise.all([1, 2, 3].map(() => escalateRefund(support.ctx, { paymentId: payment.id, amount: 2000 })));
    expect(together.every((r) => !r.created && r.escalation.id === first.escalation.id)).toBe(true);
    expect(await notesOf(db, payment.id)).toHaveLength(1);
    const [{ n } = { n: 0 }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, customer.id), eq(auditLog.action, "customer.escalated")));
    expect(n).toBe(1);
  });

  it("two first clicks at once make one request", async () => {
    const { db, payment, support } = await setUp();
    const results = await Promise.all([escalateRefund(support.ctx, { paymentId: payment.id, amount: 2000 }), escalateRefund(support.ctx, { paymentId: payment.id, amount: 2000 })]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.escalation.id)).size).toBe(1);
    expect(await notesOf(db, payment.id)).toHaveLength(1);
  });

  it("a billing admin makes the refund and resolves the request; after that, support may ask again", async () => {
    const { db, customer, payment, support, admin } = await setUp();
    const { escalation } = await escalateRefund(support.ctx, { paymentId: payment.id, amount: 2000 });
    const refunded = await refundPayment(admin.ctx, { paymentId: payment.id, amount: escalation.refundAmount! });
    expect(refunded.map((r) => [r.amount, r.status])).toEqual([[2000, "succeeded"]]);
    await resolveEscalation(admin.ctx, { escalationId: escalation.id, customerId: customer.id, body: "Refunded $20.00." });
    expect(await listOpenRefundRequests(db, { paymentId: payment.id })).toHaveLength(0);
    expect(await countOpenEscalations(db, customer.id)).toBe(0);

    // Within the limit support refunds themselves; the request for the rest is a new one.
    await refundPayment(support.ctx, { paymentId: payment.id, amount: 100 });
    const next = await escalateRefund(support.ctx, { paymentId: payment.id });
    expect(next.created).toBe(true);
    expect(next.escalation.refundAmount).toBe(800);
    expect(next.escalation.body).toContain("please refund $8.00 of the $29.00 payment");
    expect(next.escalation.body).toContain("$21.00 already refunded");
  });

  it("refuses amounts the payment cannot give, other customers' payments, and authors who are not staff", async () => {
    const { db, customer, payment, support } = await setUp();
    expect(await refusal(escalateRefund(support.ctx, { paymentId: payment.id, amount: 2901 }))).toMatchObject({ code: "out_of_range", param: "amount" });
    expect(await refusal(escalateRefund(support.ctx, { paymentId: payment.id, amount: 0 }))).toMatchObject({ code: "out_of_range" });
    const other = await makeCustomer(systemCtx(db));
    expect(await refusal(escalateRefund(support.ctx, { paymentId: payment.id, customerId: other.id, amount: 2000 }))).toMatchObject({ code: "not_found" });
    expect(await refusal(escalateRefund(support.ctx, { paymentId: "pay_missing", amount: 2000 }))).toMatchObject({ code: "not_found" });
    expect(await refusal(escalateRefund({ db, actor: systemActor("job"), now: NOW }, { paymentId: payment.id, amount: 2000 }))).toMatchObject({ code: "forbidden" });
    expect(await notesOf(db, payment.id)).toHaveLength(0);
    expect(await countOpenEscalations(db, customer.id)).toBe(0);
  });
});
