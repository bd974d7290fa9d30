import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { listAuditEntries } from "@/db/queries/audit";
import { auditLog, outboxEvents } from "@/db/schema";
import { applyWrites, insertInto } from "@/db/apply-writes";
import type { Actor } from "@/lib/actor";
import { createApiKey } from "@/lib/api/keys";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { createUser } from "@/lib/services/users/create-user";
import { changeStaffRole } from "@/lib/services/users/staff";
import { ctx } from "../services/support";
import { makeCatalog, makeCustomer, makeTestClock } from "../factories";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const now = new Date("2026-11-21T00:00:00Z");

describe("the audit log as staff read it", () => {
  it("names who acted (staff by name and email, keys by name, Tally's jobs), says what happened in words, and finds a person by email or a key by name", async () => {
    const db = await getDb();
    const boot = { db, actor: { type: "system", id: "cli" } as Actor, now };
    const root = await createUser(boot, { email: "root.audit@example.com", role: "super_admin", name: "Rhea Root" });
    const helper = await createUser(boot, { email: "helper.audit@example.com", role: "support", name: "Hal Helper" });
    await changeStaffRole({ db, actor: { type: "user", id: root.id, role: "super_admin" }, now }, { userId: helper.id, role: "billing_admin" });
    const key = await createApiKey(db, { name: "Audit test app", livemode: false, createdBy: "test" });
    await recordAudit(db, { type: "api_key", id: key.id, livemode: false }, { action: "customer.created", entityType: "customer", entityId: "cus_audit1" }, now);

    const { rows } = await listAuditEntries(db, {}, fmt);
    const roleChange = rows.find((r) => r.action === "user.role_changed");
    expect(roleChange).toMatchObject({ actor: "Rhea Root (root.audit@example.com)", summary: "Role changed from support to billing admin" });
    expect(rows.find((r) => r.action === "customer.created")).toMatchObject({ actor: "API key “Audit test app”", summary: "Customer created" });
    expect(rows.find((r) => r.action === "user.created" && r.entityId === helper.id)).toMatchObject({ actor: "Tally (the command line)" });

    expect((await listAuditEntries(db, { actor: "Root.Audit@example.com" }, fmt)).rows.map((r) => r.action)).toEqual(["user.role_changed"]);
    expect((await listAuditEntries(db, { actor: "Audit test app" }, fmt)).rows.map((r) => r.action)).toEqual(["customer.created"]);
    expect((await listAuditEntries(db, { actor: root.id }, fmt)).rows.map((r) => r.action)).toEqual(["user.role_changed"]);
  });
});

describe("the audit log's order: when each entry was recorded", () => {
  const TYPE = "audit_order_test";
  const t = (iso: string) => new Date(iso);
  const entry = (id: string, at: Date, recordedAt?: Date) => ({ at, recordedAt, actorType: "system" as const, actorId: "cli", action: "setting.updated", entityType: TYPE, entityId: id });

  it("lists newest recorded first, whatever business time an entry carries, with keyset pages that skip and repeat nothing", async () => {
    const db = await getDb();
    // Written in this order (ids ascending), recorded at these real times; the first is a test-clock
    // entry dated ten months ahead. Newest recorded first: late, middle (a higher id than late but
    // recorded before it), clock, then the two written in one transaction (same recorded_at) by id.
    await db.insert(auditLog).values(entry("clock", t("2027-01-06T09:00:00Z"), t("2026-11-20T10:00:00Z")));
    await db.insert(auditLog).values(entry("late", t("2026-11-20T10:05:00Z"), t("2026-11-20T10:05:00Z")));
    await db.insert(auditLog).values(entry("middle", t("2026-11-20T10:02:00Z"), t("2026-11-20T10:02:00Z")));
    await db.insert(auditLog).values([entry("same-a", t("2026-11-20T09:00:00Z"), t("2026-11-20T09:00:00Z")), entry("same-b", t("2026-11-20T09:00:00Z"), t("2026-11-20T09:00:00Z"))]);
    const expected = ["late", "middle", "clock", "same-b", "same-a"];

    const { rows } = await listAuditEntries(db, { entityType: TYPE }, fmt);
    expect(rows.map((r) => r.entityId)).toEqual(expected);
    // The business time is kept beside the recorded one.
    expect(rows[2]).toMatchObject({ at: t("2027-01-06T09:00:00Z"), recordedAt: t("2026-11-20T10:00:00Z") });

    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let before: number | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const page = await listAuditEntries(db, { entityType: TYPE, before }, fmt, limit);
        seen.push(...page.rows.map((r) => r.entityId));
        if (page.nextBefore === null) break;
        before = page.nextBefore;
      }
      expect(seen, `pages of ${limit}`).toEqual(expected);
    }

    // The date filter is on the recorded time too: the clock entry was recorded on 20 Nov, not in January.
    expect((await listAuditEntries(db, { entityType: TYPE, from: t("2027-01-01T00:00:00Z") }, fmt)).rows).toEqual([]);
    expect((await listAuditEntries(db, { entityType: TYPE, from: t("2026-11-20T09:30:00Z"), to: t("2026-11-20T10:03:00Z") }, fmt)).rows.map((r) => r.entityId)).toEqual(["middle", "clock"]);
  });

  it("every writer records recorded_at: the single-entry writer and the billing run's set writer, with the events of the same transaction", async () => {
    const db = await getDb();
    const actor = { type: "system", id: "billing-run" } as Actor;
    const business = t("2027-01-06T09:00:00Z");
    const { txNow, ids } = await db.transaction(async (tx) => {
      const [row] = await queryRows<{ now: string | Date }>(tx, sql`select now() as now`);
      await recordAudit(tx, actor, { action: "invoice.paid", entityType: "invoice", entityId: "inv_recorded_single" }, business);
      await applyWrites(tx, [insertInto(auditLog, [{ at: business, actorType: "system", actorId: "billing-run", action: "invoice.paid", entityType: "invoice", entityId: "inv_recorded_batched", before: null, after: null, requestId: null }])], "set");
      const single = await enqueueEvent(tx, { type: "invoice.paid", entityId: "inv_recorded_single", payload: { invoice: "inv_recorded_single" } }, business);
      await applyWrites(tx, [insertInto(outboxEvents, [{ id: `evt_batched_${Date.now()}`, type: "invoice.paid", customerId: "cus_audit_order_test", entityId: "inv_recorded_batched", payload: { invoice: "inv_recorded_batched" }, createdAt: business }])], "set");
      return { txNow: new Date(row!.now), ids: [single] };
    });
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityType, "invoice"), inArray(auditLog.entityId, ["inv_recorded_single", "inv_recorded_batched"])));
    expect(audits).toHaveLength(2);
    for (const a of audits) expect(a).toMatchObject({ at: business, recordedAt: txNow });
    const events = await db.select().from(outboxEvents).where(inArray(outboxEvents.entityId, ["inv_recorded_single", "inv_recorded_batched"]));
    expect(events.map((e) => e.id)).toEqual(expect.arrayContaining(ids));
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ createdAt: business, recordedAt: txNow });
    // Real time, not the business time.
    expect(Math.abs(txNow.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("says whose test clock an entry's time is on, and a payment with its amount and card", async () => {
    const db = await getDb();
    const clockId = await makeTestClock(db, t("2027-01-06T09:00:00Z"));
    const catalog = await makeCatalog(db);
    const system = ctx(db, now);
    const onClock = await makeCustomer(system, { testClockId: clockId });
    const { invoice, subscription } = await createSubscription(system, { customerId: onClock.id, items: [{ priceId: catalog.audTrial.id, quantity: 1 }], trialPeriodDays: 0 });
    const paid = (await listAuditEntries(db, { entity: invoice!.id }, fmt)).rows.find((r) => r.action === "invoice.paid");
    expect(paid).toMatchObject({ testClock: true, summary: `Paid $29.00 with Visa …4242 — invoice ${invoice!.number}` });
    // The subscription's status change is dated in the clock's time; it was recorded now.
    const active = (await listAuditEntries(db, { entity: subscription.id }, fmt)).rows.find((r) => r.action === "subscription.active");
    expect(active).toMatchObject({ testClock: true, at: t("2027-01-06T09:00:00Z") });
    expect(Math.abs(active!.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);

    const offClock = await makeCustomer(system);
    const customerRows = (await listAuditEntries(db, { entity: offClock.id }, fmt)).rows;
    expect(customerRows.map((r) => [r.action, r.testClock])).toEqual([["customer.created", false]]);
  });
});
