import { describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, auditLogArchive, customerErasures, emails, invoiceBillTo, invoices, outboxEvents, stripeEvents } from "@/db/schema";
import { allowRetentionWrites } from "@/db/queries/data-retention";
import { randomToken } from "@/lib/ids";
import { applyRetention, planRetention, runRetentionJob } from "@/lib/services/privacy/data-retention";
import { deleteCustomer } from "@/lib/services/privacy/delete-customer";
import { pseudonymousEmail } from "@/lib/services/privacy/retention";
import { setSetting } from "@/lib/services/settings/settings";
import { ctx, DAY_MS, NOW } from "../services/support";
import { makeSubscriber } from "./support";

const YEAR_MS = 365 * DAY_MS;

/** A statement a trigger refused: drizzle wraps the database's error as the cause. */
const refused = (message: RegExp) => ({ cause: { message: expect.stringMatching(message) } });

/** Rows old enough to go and rows that stay, relative to `run` (audit 7 years, events 2 years: the defaults). */
async function seed(run: Date) {
  const db = await getDb();
  const tag = randomToken(6).toLowerCase();
  const old = new Date(run.getTime() - 8 * YEAR_MS);
  const oldEvent = new Date(run.getTime() - 3 * YEAR_MS);
  const recentEvent = new Date(run.getTime() - YEAR_MS);
  const audits = await db
    .insert(auditLog)
    .values(
      [old, old, old, recentEvent].map((at, i) => ({ at, recordedAt: at, actorType: "system" as const, actorId: "test", action: "setting.updated", entityType: "setting", entityId: `k_${tag}_${i}`, before: { i }, after: { i: i + 1 }, requestId: `req_${tag}` })),
    )
    .returning({ id: auditLog.id, recordedAt: auditLog.recordedAt });
  const outbox = (id: string, createdAt: Date, dispatched: boolean) => ({ id: `evt_${tag}_${id}`, type: "invoice.paid", payload: {}, createdAt, dispatchedAt: dispatched ? createdAt : null });
  await db.insert(outboxEvents).values([outbox("a", oldEvent, true), outbox("b", oldEvent, true), outbox("pending", oldEvent, false), outbox("recent", recentEvent, true)]);
  const stripe = (id: string, at: Date, processed: boolean) => ({ id: `evt_s_${tag}_${id}`, type: "charge.succeeded", livemode: false, payload: {}, receivedAt: at, processedAt: processed ? at : null });
  await db.insert(stripeEvents).values([stripe("a", oldEvent, true), stripe("failing", oldEvent, false), stripe("recent", recentEvent, true)]);
  const email = (id: string, createdAt: Date) => ({ id: `em_${tag}_${id}`, to: `${id}@example.test`, subject: "Receipt", html: "", text: "", template: "invoice-paid", transport: "outbox" as const, status: "sent" as const, createdAt });
  await db.insert(emails).values([email("a", oldEvent), email("b", oldEvent), email("c", oldEvent), email("recent", recentEvent)]);
  return { db, tag, oldAudit: audits.filter((a) => a.recordedAt.getTime() === old.getTime()).map((a) => a.id), recentAudit: audits.filter((a) => a.recordedAt.getTime() !== old.getTime()).map((a) => a.id) };
}

describe("data retention (decision 014)", () => {
  it("the dry run counts what apply removes, in batches; a second apply removes nothing; the job applies only when automatic", async () => {
    // A year from now: every row the services wrote during setup is recent; only the seeded old rows go.
    const run = new Date(Date.now() + YEAR_MS);
    const s = await seed(run);
    const { db } = s;

    const plan = await planRetention({ db, now: run });
    expect(plan.counts).toEqual({ auditEntries: 3, outboxEvents: 2, stripeEvents: 1, emails: 3, erasures: 0, billToBlocks: 0 });
    // The dry run wrote nothing.
    expect(await db.$count(auditLogArchive)).toBe(0);

    // The daily job with `retention.automatic` off records the dry run only.
    expect(await runRetentionJob(db, run)).toEqual({ mode: "dry_run", counts: plan.counts });
    expect((await planRetention({ db, now: run })).counts).toEqual(plan.counts);

    const original = await db.select().from(auditLog).where(inArray(auditLog.id, s.oldAudit));
    const applied = await applyRetention(ctx(db, run), { batchSize: 2 });
    expect(applied.counts).toEqual(plan.counts);

    // Audit entries moved with every column, the recent one stayed.
    const archived = await db.select().from(auditLogArchive).where(inArray(auditLogArchive.id, s.oldAudit));
    expect(archived.map(({ archivedAt, ...row }) => (expect(archivedAt).toEqual(run), row)).sort((a, b) => a.id - b.id)).toEqual(original.sort((a, b) => a.id - b.id));
    expect(await db.$count(auditLog, inArray(auditLog.id, s.oldAudit))).toBe(0);
    expect(await db.$count(auditLog, inArray(auditLog.id, s.recentAudit))).toBe(s.recentAudit.length);
    // Undispatched events, unprocessed Stripe events and recent rows stay.
    expect((await db.select({ id: outboxEvents.id }).from(outboxEvents).where(sql`${outboxEvents.id} like ${`evt_${s.tag}_%`}`)).map((r) => r.id).sort()).toEqual([`evt_${s.tag}_pending`, `evt_${s.tag}_recent`]);
    expect((await db.select({ id: stripeEvents.id }).from(stripeEvents).where(sql`${stripeEvents.id} like ${`evt_s_${s.tag}_%`}`)).map((r) => r.id).sort()).toEqual([`evt_s_${s.tag}_failing`, `evt_s_${s.tag}_recent`]);
    expect((await db.select({ id: emails.id }).from(emails).where(sql`${emails.id} like ${`em_${s.tag}_%`}`)).map((r) => r.id)).toEqual([`em_${s.tag}_recent`]);

    // One audit entry with the counts.
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "data_retention.applied"));
    expect(entry?.after).toMatchObject({ counts: plan.counts, audit_years: 7, events_years: 2 });

    // Idempotent: nothing is left to go.
    const zero = { auditEntries: 0, outboxEvents: 0, stripeEvents: 0, emails: 0, erasures: 0, billToBlocks: 0 };
    expect((await planRetention({ db, now: run })).counts).toEqual(zero);
    expect((await applyRetention(ctx(db, run))).counts).toEqual(zero);
    expect(await db.$count(auditLogArchive)).toBe(3);

    // With `retention.automatic` on, the job applies: shorter periods make the recent rows go too.
    await setSetting(ctx(db), "retention.automatic", true);
    await setSetting(ctx(db), "retention.events_years", 1);
    const later = new Date(run.getTime() + 30 * DAY_MS);
    const due = (await planRetention({ db, now: later })).counts;
    expect(due.emails).toBeGreaterThanOrEqual(1);
    expect(await runRetentionJob(db, later)).toEqual({ mode: "applied", counts: due });
    expect(await db.$count(emails, eq(emails.id, `em_${s.tag}_recent`))).toBe(0);
  });

  it("the audit log stays append-only: a plain delete or update is refused, and so is deleting an entry not yet archived or an archived one", async () => {
    const run = new Date(Date.now() + YEAR_MS);
    const s = await seed(run);
    const { db } = s;
    const id = s.oldAudit[0]!;
    await expect(db.delete(auditLog).where(eq(auditLog.id, id))).rejects.toMatchObject(refused(/append-only/));
    await expect(db.update(auditLog).set({ action: "x" }).where(eq(auditLog.id, id))).rejects.toMatchObject(refused(/append-only/));
    await expect(db.execute(sql`truncate audit_log`)).rejects.toMatchObject(refused(/append-only/));
    // The flag alone does not let an entry go: it must be in the archive first.
    await expect(
      db.transaction(async (tx) => {
        await allowRetentionWrites(tx);
        await tx.delete(auditLog).where(eq(auditLog.id, id));
      }),
    ).rejects.toMatchObject(refused(/append-only/));
    // The flag is local to its transaction.
    await expect(db.delete(auditLog).where(eq(auditLog.id, id))).rejects.toMatchObject(refused(/append-only/));
    // The flag does not allow updates either.
    await expect(
      db.transaction(async (tx) => {
        await allowRetentionWrites(tx);
        await tx.update(auditLog).set({ action: "x" }).where(eq(auditLog.id, id));
      }),
    ).rejects.toMatchObject(refused(/append-only/));

    await applyRetention(ctx(db, run));
    await expect(
      db.transaction(async (tx) => {
        await allowRetentionWrites(tx);
        await tx.delete(auditLogArchive).where(eq(auditLogArchive.id, id));
      }),
    ).rejects.toMatchObject(refused(/append-only/));
    await expect(db.update(auditLogArchive).set({ action: "x" }).where(eq(auditLogArchive.id, id))).rejects.toMatchObject(refused(/append-only/));
    expect(await db.$count(auditLogArchive, eq(auditLogArchive.id, id))).toBe(1);
  });

  it("an erased customer's bill-to blocks become the pseudonym only after retain_until; amounts and invoices stay; other customers are untouched", async () => {
    const erased = await makeSubscriber({ name: "Robin Private" });
    const kept = await makeSubscriber({ name: "Sam Staying" });
    const { db } = erased;
    const deletion = await deleteCustomer(ctx(db, new Date(NOW.getTime() + DAY_MS)), erased.customer.id);
    const billTo = async (customerId: string) => db.select().from(invoiceBillTo).where(eq(invoiceBillTo.customerId, customerId));
    const before = await billTo(erased.customer.id);
    expect(before.length).toBeGreaterThan(0);
    expect(before[0]).toMatchObject({ name: "Robin Private", address: { city: "Sydney" } });
    const invoicesBefore = await db.select().from(invoices).where(eq(invoices.customerId, erased.customer.id));

    // Outside a retention run the block is still never rewritten, even to the pseudonym.
    await expect(db.update(invoiceBillTo).set({ name: "Deleted customer", email: pseudonymousEmail(erased.customer.id), address: {}, taxIds: [] }).where(eq(invoiceBillTo.customerId, erased.customer.id))).rejects.toMatchObject(refused(/never changes/));
    // Inside one, only to the pseudonym.
    await expect(
      db.transaction(async (tx) => {
        await allowRetentionWrites(tx);
        await tx.update(invoiceBillTo).set({ name: "Someone else" }).where(eq(invoiceBillTo.customerId, erased.customer.id));
      }),
    ).rejects.toMatchObject(refused(/never changes/));

    const dayBefore = new Date(deletion.retainUntil.getTime() - DAY_MS);
    expect((await planRetention({ db, now: dayBefore })).counts).toMatchObject({ erasures: 0, billToBlocks: 0 });
    expect((await applyRetention(ctx(db, dayBefore))).counts).toMatchObject({ erasures: 0, billToBlocks: 0 });
    expect(await billTo(erased.customer.id)).toEqual(before);

    const dayAfter = new Date(deletion.retainUntil.getTime() + DAY_MS);
    const plan = await planRetention({ db, now: dayAfter });
    expect(plan.counts).toMatchObject({ erasures: 1, billToBlocks: before.length });
    expect((await applyRetention(ctx(db, dayAfter))).counts).toEqual(plan.counts);
    for (const row of await billTo(erased.customer.id)) {
      expect(row).toMatchObject({ name: "Deleted customer", email: pseudonymousEmail(erased.customer.id), address: {}, taxIds: [] });
      expect(row.capturedAt).toEqual(before.find((b) => b.invoiceId === row.invoiceId)?.capturedAt);
    }
    expect(await db.select().from(invoices).where(eq(invoices.customerId, erased.customer.id))).toEqual(invoicesBefore);
    const [erasure] = await db.select().from(customerErasures).where(eq(customerErasures.customerId, erased.customer.id));
    expect(erasure?.financialRecordsPurgedAt).toEqual(dayAfter);
    expect((await billTo(kept.customer.id))[0]).toMatchObject({ name: "Sam Staying" });

    // Once done, not again.
    expect((await applyRetention(ctx(db, new Date(dayAfter.getTime() + DAY_MS)))).counts).toMatchObject({ erasures: 0, billToBlocks: 0 });
    expect(await db.$count(customerErasures, and(eq(customerErasures.customerId, kept.customer.id)))).toBe(0);
  });
});
