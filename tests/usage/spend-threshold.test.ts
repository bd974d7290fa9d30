import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { auditLog, emails, outboxEvents, usageSpendNotices } from "@/db/schema";
import { POST as postSubscription } from "@/app/api/v1/subscriptions/route";
import { POST as postSpendThreshold } from "@/app/api/v1/subscriptions/[id]/usage_spend_threshold/route";
import { GET as getEntitlements } from "@/app/api/v1/customers/[id]/entitlements/route";
import { dispatchOutbox } from "@/lib/events/outbox";
import { randomToken } from "@/lib/ids";
import { holdsNoLimits, IN_TRANSACTION_QUIET_MS } from "@/lib/services/customers/entitlements-cache";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { checkUsageThresholds, settleUsageThresholds } from "@/lib/services/usage/usage-thresholds";
import { call, newKey, problemOf } from "../api/support";
import { clockCustomer } from "../scenarios/support";
import { meteredPlan } from "./metered-support";
import { answer, sendBatch } from "./support";

// The mailbox, not Resend: the emails are read back.
delete process.env.RESEND_API_KEY;

/**
 * A subscription's usage spend threshold (decision 030): the period's projected usage cost (its
 * metered items' amounts so far) reaching 80% and 100% of it records one notice each per
 * (subscription, threshold, period), with one usage.threshold_reached event (kind spend) and email.
 */
type Sub = { id: string; customer: string; currency: string; current_period_start: string; current_period_end: string; usage_spend_threshold: number | null };

let db: Db;
let key: string;
const START = new Date("2027-03-10T00:00:00Z");

beforeAll(async () => {
  db = await getDb();
  ({ key } = await newKey());
});
afterEach(() => {
  vi.useRealTimers();
});

/** A customer on a test clock with API calls at 10 cents each (per unit, metered) and a subscription created through the API. */
async function subscriber(threshold: number | undefined) {
  const clock = await clockCustomer(START);
  const plan = await meteredPlan(clock.ctx, `spend-${randomToken(8).toLowerCase()}`, { aggregation: "count" }, { unitAmount: 10 });
  const body = { customer: clock.customerId, items: [{ price: plan.priceId }], ...(threshold === undefined ? {} : { usage_spend_threshold: threshold }) };
  const sub = await answer<Sub>(postSubscription, key, 200, { path: "/subscriptions", body });
  // Usage so far is measured over [period start, now): the clock moves an hour on, events are stamped half an hour in.
  const s = { ...clock, meterCode: plan.meter.code, sub, eventsAt: new Date(START.getTime() + 30 * 60_000) };
  await clock.advance(new Date(START.getTime() + 60 * 60_000));
  return s;
}

/** Into the next period: the clock an hour past the period's end, events half an hour past it. */
async function nextPeriod(s: Awaited<ReturnType<typeof subscriber>>) {
  const end = new Date(s.sub.current_period_end).getTime();
  await s.advance(new Date(end + 60 * 60_000));
  s.eventsAt = new Date(end + 30 * 60_000);
}

const use = (s: { customerId: string; meterCode: string; eventsAt: Date }, n: number) =>
  sendBatch(key, Array.from({ length: n }, () => ({ identifier: `e-${randomToken(12)}`, meter: s.meterCode, customer: s.customerId, timestamp: s.eventsAt.toISOString(), properties: {} })));

async function notices(subscriptionId: string) {
  return db.select().from(usageSpendNotices).where(eq(usageSpendNotices.subscriptionId, subscriptionId)).orderBy(asc(usageSpendNotices.periodStart), asc(usageSpendNotices.threshold));
}
async function spendEvents(customerId: string) {
  const rows = await db
    .select({ payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.customerId, customerId), eq(outboxEvents.type, "usage.threshold_reached")))
    .orderBy(asc(outboxEvents.createdAt));
  return rows.map((r) => r.payload as Record<string, unknown>).filter((p) => p.kind === "spend");
}
async function dispatchAll() {
  while ((await dispatchOutbox(db, outboxHandler(db))) > 0) {
    /* until the outbox is empty */
  }
}

describe("usage spend threshold", () => {
  it("80% and 100% each send one event and one email per period under concurrent ingests, and again in the next period", async () => {
    // $1.00: 8 calls (80 cents) reach 80%, 10 calls reach 100%.
    const s = await subscriber(100);
    expect(s.sub.usage_spend_threshold).toBe(100);
    await use(s, 7);
    await settleUsageThresholds();
    expect(await notices(s.sub.id)).toEqual([]);

    // 7 → 8 calls, with direct checks racing the one the ingest scheduled: one 80% notice.
    await use(s, 1);
    await Promise.all(Array.from({ length: 3 }, () => checkUsageThresholds({ db, now: new Date() }, s.customerId)));
    await settleUsageThresholds();
    expect((await notices(s.sub.id)).map((n) => [n.threshold, n.amount])).toEqual([[80, 80]]);

    // Past 100% with three concurrent batches and concurrent checks: still one notice each.
    await Promise.all([use(s, 1), use(s, 1), use(s, 1)]);
    await Promise.all(Array.from({ length: 4 }, () => checkUsageThresholds({ db, now: new Date() }, s.customerId)));
    await settleUsageThresholds();
    await use(s, 5);
    await settleUsageThresholds();
    const periodStart = new Date(s.sub.current_period_start).toISOString();
    const rows = await notices(s.sub.id);
    expect(rows.map((n) => [n.threshold, n.spendThreshold, n.currency, n.periodStart.toISOString()])).toEqual([
      [80, 100, "aud", periodStart],
      [100, 100, "aud", periodStart],
    ]);
    expect(rows[1]?.amount).toBeGreaterThanOrEqual(100);

    const evs = (await spendEvents(s.customerId)).sort((x, y) => Number(x.threshold) - Number(y.threshold));
    expect(evs.map((e) => e.threshold)).toEqual([80, 100]);
    expect(evs[0]).toEqual({
      kind: "spend",
      customer: s.customerId,
      subscription: s.sub.id,
      threshold: 80,
      amount: 80,
      spend_threshold: 100,
      currency: "aud",
      period_start: periodStart,
      period_end: new Date(s.sub.current_period_end).toISOString(),
    });

    await dispatchAll();
    await dispatchAll();
    const mails = await db.select().from(emails).where(and(eq(emails.customerId, s.customerId), eq(emails.template, "usage-spend")));
    expect(mails.map((m) => m.subject).sort()).toEqual(["Your usage charges are at 80% of $1.00", "Your usage charges have reached $1.00"]);

    // The next period measures from zero: its own notices once reached again.
    await nextPeriod(s);
    await use(s, 7);
    await settleUsageThresholds();
    expect((await notices(s.sub.id)).map((n) => n.threshold)).toEqual([80, 100]);
    await use(s, 3);
    await settleUsageThresholds();
    const after = await notices(s.sub.id);
    expect(after.map((n) => n.threshold)).toEqual([80, 100, 80, 100]);
    expect(new Set(after.map((n) => n.periodStart.toISOString())).size).toBe(2);
  });

  it("never without a threshold; a threshold set later is checked by the next ingest, even for a customer the cache knew had nothing to check", async () => {
    const s = await subscriber(undefined);
    expect(s.sub.usage_spend_threshold).toBeNull();
    await use(s, 20);
    await settleUsageThresholds();
    expect(await notices(s.sub.id)).toEqual([]);
    expect(await spendEvents(s.customerId)).toEqual([]);

    // The entitlement check caches the customer as holding nothing to check (past the quiet window the first charge's writes opened).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IN_TRANSACTION_QUIET_MS + 1_000 });
    await answer(getEntitlements, key, 200, { method: "GET", path: `/customers/${s.customerId}/entitlements`, params: { id: s.customerId } });
    expect(holdsNoLimits(s.customerId)).toBe(true);

    // A$1.50: 2.00 spent already is past both thresholds; the next ingest's check records them.
    const updated = await answer<Sub>(postSpendThreshold, key, 200, { path: `/subscriptions/${s.sub.id}/usage_spend_threshold`, params: { id: s.sub.id }, body: { amount: 150 } });
    expect(updated.usage_spend_threshold).toBe(150);
    expect(holdsNoLimits(s.customerId)).toBe(false);
    await use(s, 1);
    await settleUsageThresholds();
    expect((await notices(s.sub.id)).map((n) => [n.threshold, n.spendThreshold, n.amount])).toEqual([
      [80, 150, 210],
      [100, 150, 210],
    ]);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, s.sub.id), eq(auditLog.action, "subscription.usage_spend_threshold_set")));
    expect(audit).toMatchObject({ before: { usage_spend_threshold: null }, after: { usage_spend_threshold: 150 } });

    vi.useRealTimers();

    // Cleared: no more notices, even past a new period's usage.
    const cleared = await answer<Sub>(postSpendThreshold, key, 200, { path: `/subscriptions/${s.sub.id}/usage_spend_threshold`, params: { id: s.sub.id }, body: { amount: null } });
    expect(cleared.usage_spend_threshold).toBeNull();
    await nextPeriod(s);
    await use(s, 30);
    await settleUsageThresholds();
    expect(await notices(s.sub.id)).toHaveLength(2);
  });

  it("422 for a negative, fractional or missing amount, on creation and on the endpoint", async () => {
    const s = await subscriber(undefined);
    const plan = await meteredPlan(s.ctx, `spend-${randomToken(8).toLowerCase()}`, { aggregation: "count" }, { unitAmount: 10 });
    const refusedCreate = async (value: unknown, code: string) => {
      const res = await call(postSubscription, { key, path: "/subscriptions", body: { customer: s.customerId, items: [{ price: plan.priceId }], usage_spend_threshold: value } });
      expect(res.status).toBe(422);
      expect(await problemOf(res)).toMatchObject({ code, param: "usage_spend_threshold" });
    };
    await refusedCreate(-1, "amount_invalid");
    await refusedCreate(12.5, "amount_invalid");
    await refusedCreate("100", "amount_invalid");

    const refusedSet = async (body: unknown) => {
      const res = await call(postSpendThreshold, { key, path: `/subscriptions/${s.sub.id}/usage_spend_threshold`, params: { id: s.sub.id }, body });
      expect(res.status).toBe(422);
      const problem = await problemOf(res);
      expect(problem).toMatchObject({ code: "amount_invalid", param: "amount" });
      return problem;
    };
    expect((await refusedSet({ amount: -5 })).detail).toContain("must not be negative");
    expect((await refusedSet({ amount: 2.5 })).detail).toContain("integer number of minor units");
    await refusedSet({});
    const res = await call(postSpendThreshold, { key, path: `/subscriptions/sub_doesnotexist/usage_spend_threshold`, params: { id: "sub_doesnotexist" }, body: { amount: 5 } });
    expect(res.status).toBe(404);
  });
});
