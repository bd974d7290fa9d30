import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, customerNotes, payments } from "@/db/schema";
import { countOpenEscalations, listCustomerNotes, listOpenEscalations } from "@/db/queries/notes";
import { systemActor } from "@/lib/actor";
import { AppError } from "@/lib/errors";
import { addCustomerNote } from "@/lib/services/notes/add-note";
import { resolveEscalation } from "@/lib/services/notes/resolve-escalation";
import { refundPayment } from "@/lib/services/payments/refund-payment";
import { setSetting } from "@/lib/services/settings/settings";
import { ctx as systemCtx } from "../services/support";
import { makeCustomer, NOW, paidCustomer, staff } from "./support";

const later = (ms: number) => new Date(NOW.getTime() + ms);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("staff notes", () => {
  it("adds notes newest first with their author, audits each, and keeps them append-only", async () => {
    const db = await getDb();
    const customer = await makeCustomer(systemCtx(db));
    const support = await staff(db, "support");
    const first = await addCustomerNote(support.ctx, { customerId: customer.id, body: "  Called about the March invoice.  " });
    const second = await addCustomerNote({ ...support.ctx, now: later(60_000) }, { customerId: customer.id, body: "Sent the receipt again." });
    expect(first.body).toBe("Called about the March invoice.");
    expect(first.kind).toBe("note");

    const notes = await listCustomerNotes(db, customer.id);
    expect(notes.map((n) => n.id)).toEqual([second.id, first.id]);
    expect(notes[0]).toMatchObject({ authorEmail: support.email, kind: "note", resolution: null });

    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityType, "customer"), eq(auditLog.entityId, customer.id), eq(auditLog.action, "customer.note_added")));
    expect(audits).toHaveLength(2);
    expect(audits.every((a) => a.actorType === "user" && a.actorId === support.userId)).toBe(true);

    const cause = (promise: Promise<unknown>) => promise.then(() => "allowed", (error: { cause?: { message?: string } }) => error.cause?.message ?? String(error));
    expect(await cause(db.update(customerNotes).set({ body: "rewritten" }).where(eq(customerNotes.id, first.id)))).toMatch(/customer_notes is append-only \(UPDATE refused\)/);
    expect(await cause(db.delete(customerNotes).where(eq(customerNotes.id, first.id)))).toMatch(/customer_notes is append-only \(DELETE refused\)/);
    expect((await listCustomerNotes(db, customer.id)).find((n) => n.id === first.id)?.body).toBe("Called about the March invoice.");
  });

  it("refuses empty and overlong notes, unknown customers, and authors who are not staff", async () => {
    const db = await getDb();
    const customer = await makeCustomer(systemCtx(db));
    const support = await staff(db, "support");
    expect(await refusal(addCustomerNote(support.ctx, { customerId: customer.id, body: "   " }))).toMatchObject({ code: "validation_failed", param: "body" });
    expect(await refusal(addCustomerNote(support.ctx, { customerId: customer.id, body: "x".repeat(5001) }))).toMatchObject({ code: "too_long", param: "body" });
    expect(await refusal(addCustomerNote(support.ctx, { customerId: "cus_missing", body: "Hello" }))).toMatchObject({ code: "not_found" });
    expect(await refusal(addCustomerNote({ db, actor: systemActor("job"), now: NOW }, { customerId: customer.id, body: "Hello" }))).toMatchObject({ code: "forbidden" });
    expect(await refusal(addCustomerNote({ db, actor: { type: "user", id: "usr_x", role: "subscriber", customerId: customer.id }, now: NOW }, { customerId: customer.id, body: "Hello" }))).toMatchObject({
      code: "forbidden",
    });
    expect(await listCustomerNotes(db, customer.id)).toHaveLength(0);
  });
});

describe("escalations", () => {
  it("an escalation stays open until a billing admin resolves it, once; it is listed for billing admins meanwhile", async () => {
    const db = await getDb();
    const customer = await makeCustomer(systemCtx(db));
    const other = await makeCustomer(systemCtx(db));
    const support = await staff(db, "support");
    const admin = await staff(db, "billing_admin");

    const escalation = await addCustomerNote(support.ctx, { customerId: customer.id, body: "Customer asks for a refund above my limit.", escalate: true });
    await addCustomerNote(support.ctx, { customerId: other.id, body: "Unrelated note" });
    expect(escalation.kind).toBe("escalation");
    expect(await countOpenEscalations(db, customer.id)).toBe(1);
    expect(await countOpenEscalations(db, other.id)).toBe(0);
    const open = await listOpenEscalations(db);
    expect(open.map((o) => o.note.id)).toContain(escalation.id);
    expect(open.find((o) => o.note.id === escalation.id)).toMatchObject({ customer: { id: customer.id }, authorEmail: support.email });

    // Resolving through another customer's page is refused: the escalation must belong to it.
    expect(await refusal(resolveEscalation(admin.ctx, { escalationId: escalation.id, customerId: other.id, body: "Done" }))).toMatchObject({ code: "not_found" });
    const resolution = await resolveEscalation({ ...admin.ctx, now: later(3_600_000) }, { escalationId: escalation.id, customerId: customer.id, body: "Refunded A$80.00." });
    expect(resolution).toMatchObject({ kind: "resolution", resolves: escalation.id, customerId: customer.id, author: admin.userId });
    expect(await countOpenEscalations(db, customer.id)).toBe(0);
    expect((await listOpenEscalations(db)).map((o) => o.note.id)).not.toContain(escalation.id);

    const notes = await listCustomerNotes(db, customer.id);
    const listed = notes.find((n) => n.id === escalation.id);
    expect(listed?.resolution).toMatchObject({ id: resolution.id, body: "Refunded A$80.00.", authorEmail: admin.email });

    expect(await refusal(resolveEscalation(admin.ctx, { escalationId: escalation.id, body: "Again" }))).toMatchObject({ code: "conflict" });
    expect(notes.find((n) => n.kind === "resolution")?.resolves).toBe(escalation.id);
    // Only escalations can be resolved.
    expect(await refusal(resolveEscalation(admin.ctx, { escalationId: resolution.id, body: "?" }))).toMatchObject({ code: "not_found" });
    const audits = await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.entityType, "customer"), eq(auditLog.entityId, customer.id)));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(["customer.escalated", "customer.escalation_resolved"]));
  });

  it("two billing admins resolving at once: one resolution, the other gets a conflict", async () => {
    const db = await getDb();
    const customer = await makeCustomer(systemCtx(db));
    const support = await staff(db, "support");
    const a = await staff(db, "billing_admin");
    const b = await staff(db, "super_admin");
    const escalation = await addCustomerNote(support.ctx, { customerId: customer.id, body: "Please look", escalate: true });
    const results = await Promise.allSettled([
      resolveEscalation(a.ctx, { escalationId: escalation.id, body: "Mine" }),
      resolveEscalation(b.ctx, { escalationId: escalation.id, body: "Mine too" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(rejected && (rejected as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    const [{ n } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(customerNotes).where(eq(customerNotes.resolves, escalation.id));
    expect(n).toBe(1);
  });
});

describe("support's refund limit (refunds.support_limit)", () => {
  it("support refunds up to the limit; above it the service refuses with the limit, and nothing moves; billing admins are not limited", async () => {
    const db = await getDb();
    const { payment } = await paidCustomer(db);
    expect(payment.amount).toBe(2900);
    const support = await staff(db, "support");
    const admin = await staff(db, "billing_admin");
    const owner = await staff(db, "super_admin");
    await setSetting(owner.ctx, "refunds.support_limit", { aud: 1500 });

    const tooMuch = await refusal(refundPayment(support.ctx, { paymentId: payment.id, amount: 1501 }));
    expect(tooMuch).toMatchObject({ code: "forbidden", param: "amount" });
    expect(tooMuch.userMessage).toBe("Your refund limit is $15.00; this refund is $15.01. Escalate it to a billing admin.");
    // The whole payment by default is also above the limit.
    expect(await refusal(refundPayment(support.ctx, { paymentId: payment.id }))).toMatchObject({ code: "forbidden" });
    const [untouched] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(untouched?.amountRefunded).toBe(0);

    const within = await refundPayment(support.ctx, { paymentId: payment.id, amount: 1500 });
    expect(within.map((r) => [r.amount, r.status])).toEqual([[1500, "succeeded"]]);
    const rest = await refundPayment(admin.ctx, { paymentId: payment.id, amount: 1400 });
    expect(rest.map((r) => r.amount)).toEqual([1400]);
  });

  it("a currency without a limit cannot be refunded by support", async () => {
    const db = await getDb();
    const { payment } = await paidCustomer(db);
    const support = await staff(db, "support");
    const owner = await staff(db, "super_admin");
    await setSetting(owner.ctx, "refunds.support_limit", { usd: 100000 });
    expect(await refusal(refundPayment(support.ctx, { paymentId: payment.id, amount: 100 }))).toMatchObject({
      code: "forbidden",
      userMessage: "Your role cannot refund AUD payments. Escalate it to a billing admin.",
    });
    await expect(setSetting(owner.ctx, "refunds.support_limit", { AUD: 100 })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(setSetting(owner.ctx, "refunds.support_limit", { aud: 10.5 })).rejects.toMatchObject({ code: "validation_failed" });
  });
});
