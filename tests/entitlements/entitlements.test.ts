import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { emails, outboxEvents, plans, usageThresholdNotices } from "@/db/schema";
import { GET as getEntitlements } from "@/app/api/v1/customers/[id]/entitlements/route";
import { POST as postPlan } from "@/app/api/v1/plans/route";
import { PATCH as patchPlan } from "@/app/api/v1/plans/[id]/route";
import { dispatchOutbox } from "@/lib/events/outbox";
import { randomToken } from "@/lib/ids";
import { entitlementsCacheStats, IN_TRANSACTION_QUIET_MS } from "@/lib/services/customers/entitlements-cache";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { checkUsageThresholds, settleUsageThresholds } from "@/lib/services/usage/usage-thresholds";
import { call, newKey, problemOf } from "../api/support";
import { makePlan } from "../factories";
import { clockCustomer } from "../scenarios/support";
import { answer, makeMeter, sendBatch, sendEvent, type Json } from "../usage/support";

// The mailbox, not Resend: the threshold emails are read back.
delete process.env.RESEND_API_KEY;

type Feature = { code: string; type: string; limit: number | null; used: number | null; remaining: number | null; hard: boolean; allowed: boolean };
type Answer = { object: string; customer: string; access: string; features: Feature[]; subscriptions: { id: string; status: string }[] };

let db: Db;
let key: string;
let calls: Json & { code: string };

beforeAll(async () => {
  db = await getDb();
  ({ key } = await newKey());
  calls = await makeMeter(key, { aggregation: "count", name: "API calls" });
});

const START = new Date("2027-01-10T00:00:00Z");
afterEach(() => {
  vi.useRealTimers();
});

async function entitlements(customerId: string): Promise<Answer> {
  return answer<Answer>(getEntitlements, key, 200, { method: "GET", path: `/customers/${customerId}/entitlements`, params: { id: customerId } });
}
const byCode = (a: Answer) => Object.fromEntries(a.features.map((f) => [f.code, f]));

/** A customer on a test clock subscribed to a plan with `features`. */
async function subscriber(features: unknown[]) {
  const clock = await clockCustomer(START);
  const { planId, priceId } = await makePlan(db, { code: "ent", unitAmount: 1000 });
  await answer(patchPlan, key, 200, { method: "PATCH", path: `/plans/${planId}`, params: { id: planId }, body: { features } });
  const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
  expect(subscription.status).toBe("active");
  return { ...clock, planId, subscription };
}

const use = (customerId: string, n: number) =>
  sendBatch(
    key,
    Array.from({ length: n }, () => ({ identifier: `e-${randomToken(12)}`, meter: calls.code, customer: customerId, properties: {} })),
  );

describe("plan features", () => {
  it("accepts the old plain codes and objects, and refuses bad ones with a 422 naming the field", async () => {
    const { productId } = await makePlan(db, { code: "feat", unitAmount: 500 });
    const body = (features: unknown) => ({ product: productId, code: `feat-${randomToken(6).toLowerCase()}`, name: "Feat", interval: "month", features });
    const created = await answer<Json & { features: unknown[] }>(postPlan, key, 200, { path: "/plans", body: body(["sso", { code: "api", meter: calls.code, limit: 1000, hard: true }]) });
    expect(created.features).toEqual([
      { code: "sso", meter: null, limit: null, hard: false },
      { code: "api", meter: calls.code, limit: 1000, hard: true },
    ]);
    const refused = async (features: unknown, code: string, param: string) => {
      const res = await call(postPlan, { key, method: "POST", path: "/plans", body: body(features) });
      expect(res.status).toBe(422);
      expect(await problemOf(res)).toMatchObject({ code, param });
    };
    await refused([{ code: "api", meter: "no_such_meter", limit: 5 }], "meter_unknown", "features[0].meter");
    await refused(["sso", { code: "api", limit: 5 }], "validation_failed", "features[1].limit");
    await refused([{ code: "api", meter: calls.code, limit: -1 }], "validation_failed", "features[0].limit");
    await refused(["sso", "sso"], "validation_failed", "features[1].code");
  });
});

describe("GET /customers/{id}/entitlements", () => {
  it("answers boolean and metered features; a hard limit refuses once reached, a soft one only reports", async () => {
    const s = await subscriber(["sso", { code: "calls-hard", meter: calls.code, limit: 10, hard: true }, { code: "calls-soft", meter: calls.code, limit: 5, hard: false }, { code: "calls-counted", meter: calls.code }]);
    let f = byCode(await entitlements(s.customerId));
    expect(f.sso).toEqual({ code: "sso", type: "boolean", limit: null, used: null, remaining: null, hard: false, allowed: true });
    expect(f["calls-hard"]).toEqual({ code: "calls-hard", type: "metered", limit: 10, used: 0, remaining: 10, hard: true, allowed: true });

    await use(s.customerId, 7);
    f = byCode(await entitlements(s.customerId));
    expect(f["calls-hard"]).toMatchObject({ used: 7, remaining: 3, allowed: true });
    expect(f["calls-soft"]).toMatchObject({ used: 7, remaining: 0, allowed: true });
    expect(f["calls-counted"]).toMatchObject({ type: "metered", used: 7, limit: null, remaining: null, allowed: true });

    await use(s.customerId, 3);
    f = byCode(await entitlements(s.customerId));
    expect(f["calls-hard"]).toMatchObject({ used: 10, remaining: 0, allowed: false });
    expect(f["calls-soft"]).toMatchObject({ used: 10, remaining: 0, allowed: true });
    expect(f.sso?.allowed).toBe(true);
    await settleUsageThresholds();
  });

  it("is served from the cache, and every kind of write is seen by the next check", async () => {
    const s = await subscriber(["sso", { code: "calls", meter: calls.code, limit: 100, hard: true }]);
    await entitlements(s.customerId);
    // Past the quiet window that the subscription's creation (written inside its transaction) opened, answers are stored and served.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IN_TRANSACTION_QUIET_MS + 1_000 });
    const before = entitlementsCacheStats();
    const first = await entitlements(s.customerId);
    const again = await entitlements(s.customerId);
    expect(again).toEqual(first);
    expect(entitlementsCacheStats().hits).toBeGreaterThan(before.hits);

    // Usage ingest.
    await sendEvent(key, { identifier: `e-${randomToken(12)}`, meter: calls.code, customer: s.customerId, properties: {} });
    expect(byCode(await entitlements(s.customerId)).calls?.used).toBe(1);
    await use(s.customerId, 4);
    expect(byCode(await entitlements(s.customerId)).calls?.used).toBe(5);

    // Plan feature edit: a lower, hard limit.
    await answer(patchPlan, key, 200, { method: "PATCH", path: `/plans/${s.planId}`, params: { id: s.planId }, body: { features: ["sso", { code: "calls", meter: calls.code, limit: 5, hard: true }] } });
    expect(byCode(await entitlements(s.customerId)).calls).toMatchObject({ limit: 5, used: 5, remaining: 0, allowed: false });
    await answer(patchPlan, key, 200, { method: "PATCH", path: `/plans/${s.planId}`, params: { id: s.planId }, body: { features: ["sso", "reports"] } });
    expect((await entitlements(s.customerId)).features.map((x) => x.code)).toEqual(["reports", "sso"]);

    // Subscription state: paused, then canceled.
    await pauseSubscription(s.ctx, s.subscription.id, {});
    const paused = await entitlements(s.customerId);
    expect(paused.features).toEqual([]);
    expect(paused.subscriptions).toEqual([{ id: s.subscription.id, status: "paused", plan: s.planId }]);
    await cancelSubscription(s.ctx, s.subscription.id, { atPeriodEnd: false });
    expect(await entitlements(s.customerId)).toMatchObject({ access: "active", features: [], subscriptions: [] });
    await settleUsageThresholds();
    vi.useRealTimers();
  });

  it("404 for an unknown customer and for another mode's key", async () => {
    const s = await subscriber(["sso"]);
    const { key: liveKey } = await newKey(true).catch(() => ({ key: null as string | null }));
    if (liveKey) {
      const res = await call(getEntitlements, { key: liveKey, method: "GET", path: `/customers/${s.customerId}/entitlements`, params: { id: s.customerId } });
      expect(res.status).toBe(404);
    }
    const res = await call(getEntitlements, { key, method: "GET", path: `/customers/cus_doesnotexist/entitlements`, params: { id: "cus_doesnotexist" } });
    expect(res.status).toBe(404);
  });
});

describe("usage thresholds", () => {
  async function notices(customerId: string) {
    return db.select().from(usageThresholdNotices).where(eq(usageThresholdNotices.customerId, customerId)).orderBy(asc(usageThresholdNotices.threshold));
  }
  async function events(customerId: string) {
    return db
      .select({ payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.customerId, customerId), eq(outboxEvents.type, "usage.threshold_reached")))
      .orderBy(asc(outboxEvents.createdAt));
  }
  async function dispatchAll() {
    while ((await dispatchOutbox(db, outboxHandler(db))) > 0) {
      /* until the outbox is empty */
    }
  }

  it("80% and 100% each send one email and one event per period, under concurrent ingest and checks", async () => {
    const s = await subscriber([{ code: "calls", meter: calls.code, limit: 10, hard: false }]);
    await use(s.customerId, 7);
    await settleUsageThresholds();
    expect(await notices(s.customerId)).toEqual([]);

    // 7 → 8 crosses 80%, with checks racing the one the ingest scheduled.
    await use(s.customerId, 1);
    await Promise.all(Array.from({ length: 3 }, () => checkUsageThresholds({ db, now: new Date() }, s.customerId)));
    await settleUsageThresholds();
    expect((await notices(s.customerId)).map((n) => n.threshold)).toEqual([80]);

    // Crossing 100% with concurrent batches and concurrent direct checks: still one notice each.
    await Promise.all([use(s.customerId, 1), use(s.customerId, 1), use(s.customerId, 1)]);
    await Promise.all(Array.from({ length: 4 }, () => checkUsageThresholds({ db, now: new Date() }, s.customerId)));
    await settleUsageThresholds();
    await use(s.customerId, 5);
    await settleUsageThresholds();
    const rows = await notices(s.customerId);
    expect(rows.map((n) => [n.featureCode, n.threshold, n.periodStart.toISOString()])).toEqual([
      ["calls", 80, s.subscription.currentPeriodStart.toISOString()],
      ["calls", 100, s.subscription.currentPeriodStart.toISOString()],
    ]);
    // Written at the frozen clock's time: ordered by threshold.
    const evs = (await events(s.customerId)).sort((x, y) => (x.payload as { threshold: number }).threshold - (y.payload as { threshold: number }).threshold);
    expect(evs.map((e) => (e.payload as { threshold: number }).threshold)).toEqual([80, 100]);
    expect(evs[1]?.payload).toMatchObject({ customer: s.customerId, subscription: s.subscription.id, feature: "calls", meter: calls.code, limit: 10, hard: false });

    await dispatchAll();
    await dispatchAll();
    const mails = await db.select().from(emails).where(and(eq(emails.customerId, s.customerId), eq(emails.template, "usage-threshold"))).orderBy(asc(emails.createdAt));
    // One each (the two may share a send time: compared as a set).
    expect(mails.map((m) => m.subject).sort()).toEqual(["You've reached your calls limit", "You've used 80% of your calls limit"]);

    // The next period starts from zero: its own notices once it is reached again.
    await s.advance(new Date(s.subscription.currentPeriodEnd.getTime() + 60_000));
    const renewed = byCode(await entitlements(s.customerId)).calls;
    expect(renewed).toMatchObject({ used: 0, remaining: 10 });
    await use(s.customerId, 9);
    await settleUsageThresholds();
    expect((await notices(s.customerId)).map((n) => n.threshold)).toEqual([80, 80, 100]);
  });

  it("a hard limit reached: the next check refuses and one 100% notice is written", async () => {
    const s = await subscriber([{ code: "calls", meter: calls.code, limit: 3, hard: true }]);
    await use(s.customerId, 3);
    expect(byCode(await entitlements(s.customerId)).calls).toMatchObject({ used: 3, remaining: 0, allowed: false });
    await settleUsageThresholds();
    expect((await notices(s.customerId)).map((n) => n.threshold)).toEqual([80, 100]);
    const [plan] = await db.select({ features: plans.features }).from(plans).where(eq(plans.id, s.planId));
    expect(plan?.features).toEqual([{ code: "calls", meter: calls.code, limit: 3, hard: true }]);
  });
});
