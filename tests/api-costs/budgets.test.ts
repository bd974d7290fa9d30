import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { apiCostBudgets, auditLog, emails, outboxEvents, users } from "@/db/schema";
import { GET as listBudgetsRoute, POST as postBudget } from "@/app/api/v1/budgets/route";
import { DELETE as deleteBudgetRoute, GET as getBudget, PATCH as patchBudget } from "@/app/api/v1/budgets/[id]/route";
import { POST as postProvider } from "@/app/api/v1/cost_providers/route";
import type { Actor } from "@/lib/actor";
import { dispatchOutbox } from "@/lib/events/outbox";
import { newId, randomToken } from "@/lib/ids";
import { checkApiCostAlerts } from "@/lib/services/api-costs/budget-alerts";
import { budgetSpends, budgetStatuses, budgetsReachedThisMonth, createBudget, deleteBudget, listBudgets } from "@/lib/services/api-costs/budgets";
import { recordFxRate } from "@/lib/services/api-costs/fx";
import { createCostProvider } from "@/lib/services/api-costs/providers";
import { recordApiCosts } from "@/lib/services/api-costs/record-api-costs";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { call, newKey } from "../api/support";
import { answer, refusedWith, uniqueCode, type Json } from "../usage/support";

// The mailbox, not Resend: the emails are read back.
delete process.env.RESEND_API_KEY;

/**
 * API cost budgets (issue 17 item 4): CRUD over the API with its problems; each threshold fires once
 * per (budget, UTC month) — checked twice and concurrently —, a new month starts again, quotas warn
 * at 80% and 100% once per window, and costs in another currency count at the day's rate.
 * The alert checks run in live mode in a month of their own, so no other test's costs are in it.
 */
let db: Db;
let key: string;
const live: Actor = { type: "api_key", id: "key_budget_tests", livemode: true };
// A month far from the other tests' costs, different per run (PostgreSQL keeps earlier runs' rows).
const YEAR = 2040 + Math.floor(Math.random() * 50);
const MONTH = Math.floor(Math.random() * 11); // 0..10: the next month is in the same year
const at = (day: number, hour = 12) => new Date(Date.UTC(YEAR, MONTH, day, hour));
const ctxAt = (now: Date) => ({ db, actor: live, now });
let admin: string;

async function provider(code: string, quota: { limit: number; period: "day" | "month" } | null = null, rate = "1") {
  const made = await createCostProvider(ctxAt(new Date(Date.UTC(YEAR - 1, 0, 1))), {
    code,
    name: `Provider ${code}`,
    quota,
    rates: [{ operation: "call", unit: "request", unitCostDecimal: rate, currency: "aud", effectiveFrom: new Date(Date.UTC(YEAR - 1, 0, 1)) }],
  });
  return made.provider;
}

/** Record `units` calls of a provider at `when` (1 unit = `rate` minor units). */
async function spend(code: string, units: string, when: Date, extra: { costDecimal?: string; currency?: string } = {}) {
  const [outcome] = await recordApiCosts(ctxAt(when), [{ identifier: `b-${randomToken(12)}`, provider: code, operation: "call", units, timestamp: when, ...extra }]);
  expect(outcome?.status).toBe("accepted");
}

async function eventsOf(type: "budget.threshold_reached" | "api_cost.quota_warning", entityId: string) {
  const rows = await db
    .select({ id: outboxEvents.id, payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.type, type), eq(outboxEvents.entityId, entityId)))
    .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id));
  return rows.map((r): Record<string, unknown> & { id: string } => ({ ...(r.payload as Record<string, unknown>), id: r.id }));
}

/** The emails the billing admin of these tests received for `events`. */
async function mailsOf(events: readonly { id: string }[]) {
  const ids = events.map((e) => e.id);
  return db
    .select()
    .from(emails)
    .where(and(eq(emails.to, admin), inArray(emails.eventId, ids)));
}

async function dispatchAll() {
  while ((await dispatchOutbox(db, outboxHandler(db))) > 0) {
    /* until the outbox is empty */
  }
}

beforeAll(async () => {
  db = await getDb();
  ({ key } = await newKey());
  admin = `billing-${randomToken(8).toLowerCase()}@example.test`;
  await db.insert(users).values({ id: newId("user"), email: admin, name: "Bea Billing", role: "billing_admin" });
});

describe("budgets over the API", () => {
  it("are created (default thresholds), listed, retrieved, updated and deleted, each change audited", async () => {
    const code = uniqueCode("bprov");
    await answer(postProvider, key, 200, { path: "/cost_providers", body: { code, name: "Budgeted" } });
    const created = await answer<Json & Record<string, unknown>>(postBudget, key, 200, { path: "/budgets", body: { provider: code, amount: 50000, currency: "AUD" } });
    expect(created).toMatchObject({ object: "budget", provider: code, amount: 50000, currency: "aud", period: "month", alert_thresholds: [50, 80, 100], livemode: false });
    expect(created.id).toMatch(/^bud_/);

    const list = await answer<{ data: Json[] }>(listBudgetsRoute, key, 200, { method: "GET", path: "/budgets" });
    expect(list.data.map((b) => b.id)).toContain(created.id);
    expect(await answer(getBudget, key, 200, { method: "GET", path: `/budgets/${created.id}`, params: { id: created.id } })).toEqual(created);

    const patched = await answer<Json & Record<string, unknown>>(patchBudget, key, 200, { method: "PATCH", path: `/budgets/${created.id}`, params: { id: created.id }, body: { amount: 60000, alert_thresholds: [25, 100, 150] } });
    expect(patched).toMatchObject({ amount: 60000, alert_thresholds: [25, 100, 150], provider: code, currency: "aud" });

    expect(await answer(deleteBudgetRoute, key, 200, { method: "DELETE", path: `/budgets/${created.id}`, params: { id: created.id } })).toEqual({ id: created.id, object: "budget", deleted: true });
    expect(await refusedWith(getBudget, key, 404, { path: `/budgets/${created.id}`, params: { id: created.id } })).toMatchObject({ code: "not_found" });

    const audit = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, created.id)).orderBy(asc(auditLog.at));
    expect(audit.map((a) => a.action)).toEqual(["budget.created", "budget.updated", "budget.deleted"]);
  });

  it("refuse bad thresholds, amounts, unknown providers and a second budget for the same scope", async () => {
    const code = uniqueCode("bprov");
    await answer(postProvider, key, 200, { path: "/cost_providers", body: { code, name: "Budgeted" } });
    const bad = (body: Record<string, unknown>, status = 422) => refusedWith(postBudget, key, status, { path: "/budgets", body: { provider: code, amount: 1000, currency: "aud", ...body } });
    expect(await bad({ alert_thresholds: [80, 50] })).toMatchObject({ code: "validation_failed", param: "alert_thresholds" });
    expect(await bad({ alert_thresholds: [50, 50] })).toMatchObject({ param: "alert_thresholds" });
    expect(await bad({ alert_thresholds: [0] })).toMatchObject({ param: "alert_thresholds" });
    expect(await bad({ alert_thresholds: [1001] })).toMatchObject({ param: "alert_thresholds" });
    expect(await bad({ alert_thresholds: [50.5] })).toMatchObject({ param: "alert_thresholds" });
    expect(await bad({ alert_thresholds: [] })).toMatchObject({ param: "alert_thresholds" });
    expect(await bad({ amount: 0 })).toMatchObject({ param: "amount" });
    expect(await bad({ amount: 12.5 })).toMatchObject({ param: "amount" });
    expect(await bad({ provider: uniqueCode("nope") })).toMatchObject({ code: "cost_provider_unknown", param: "provider" });
    expect(await bad({ currency: "xxx" })).toMatchObject({ param: "currency" });

    await answer(postBudget, key, 200, { path: "/budgets", body: { provider: code, amount: 1000, currency: "aud" } });
    const dup = await bad({ amount: 2000 }, 409);
    expect(dup).toMatchObject({ code: "conflict", param: "provider" });
    expect(dup.detail).toContain("exists already");
    // Another currency is another budget.
    await answer(postBudget, key, 200, { path: "/budgets", body: { provider: code, amount: 1000, currency: "usd" } });

    // One all-providers budget per currency, too.
    const ctx = { db, actor: { type: "api_key" as const, id: "key_x", livemode: false }, now: new Date() };
    for (const b of (await listBudgets(ctx)).filter((b) => b.providerCode === null && b.currency === "nzd")) await deleteBudget(ctx, b.id);
    await answer(postBudget, key, 200, { path: "/budgets", body: { provider: null, amount: 900, currency: "nzd" } });
    expect(await refusedWith(postBudget, key, 409, { path: "/budgets", body: { provider: null, amount: 800, currency: "NZD" } })).toMatchObject({ code: "conflict" });

    const created = await answer<Json>(postBudget, key, 200, { path: "/budgets", body: { provider: code, amount: 1000, currency: "eur" } });
    expect(await refusedWith(patchBudget, key, 422, { path: `/budgets/${created.id}`, params: { id: created.id }, body: { alert_thresholds: [100, 90] } })).toMatchObject({ param: "alert_thresholds" });
    expect(await refusedWith(patchBudget, key, 400, { path: `/budgets/${created.id}`, params: { id: created.id }, body: { currency: "usd" } })).toBeTruthy();
  });

  it("is idempotent on POST with an Idempotency-Key", async () => {
    const code = uniqueCode("bprov");
    await answer(postProvider, key, 200, { path: "/cost_providers", body: { code, name: "Budgeted" } });
    const send = () => call(postBudget, { key, path: "/budgets", body: { provider: code, amount: 777, currency: "aud" }, headers: { "idempotency-key": `bud-${code}` } });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as Json).id).toBe(((await first.json()) as Json).id);
  });
});

describe("budget alerts", () => {
  it("fire each threshold once per month, even when two checks run at once, email the billing admins, and start again next month", async () => {
    const code = uniqueCode("alert");
    await provider(code);
    const budget = await createBudget(ctxAt(at(1)), { provider: code, amount: 10000, currency: "aud" });

    await spend(code, "4999", at(2));
    expect((await checkApiCostAlerts(ctxAt(at(2, 13)), true)).fired.filter((f) => f.kind === "budget" && f.budget === budget.id)).toEqual([]);

    await spend(code, "3001", at(3)); // 8000 of 10000: 50% and 80% at once
    const [a, b] = await Promise.all([checkApiCostAlerts(ctxAt(at(3, 13)), true), checkApiCostAlerts(ctxAt(at(3, 13)), true)]);
    const mine = (c: typeof a) => c.fired.filter((f) => f.kind === "budget" && f.budget === budget.id).map((f) => f.threshold);
    expect([...mine(a), ...mine(b)].sort((x, y) => x - y)).toEqual([50, 80]);
    expect(mine(await checkApiCostAlerts(ctxAt(at(3, 14)), true))).toEqual([]);

    await spend(code, "2500", at(20)); // 10500: 100%
    expect(mine(await checkApiCostAlerts(ctxAt(at(20, 13)), true))).toEqual([100]);
    expect(mine(await checkApiCostAlerts(ctxAt(at(21)), true))).toEqual([]);

    const events = await eventsOf("budget.threshold_reached", budget.id);
    expect(events.map((e) => e.threshold)).toEqual([50, 80, 100]);
    expect(events[2]).toMatchObject({
      object: { id: budget.id, object: "budget", provider: code, amount: 10000, currency: "aud", alert_thresholds: [50, 80, 100], livemode: true },
      spent: 10500,
      period_start: at(1, 0).toISOString(),
      period_end: new Date(Date.UTC(YEAR, MONTH + 1, 1)).toISOString(),
    });

    await dispatchAll();
    const mails = await mailsOf(events);
    expect(mails).toHaveLength(3);
    expect(mails.every((m) => m.template === "api-cost-budget")).toBe(true);
    expect(mails.map((m) => m.subject).sort()).toEqual([`API cost budget reached: Provider ${code} (${code})`, `API costs at 50% of budget: Provider ${code} (${code})`, `API costs at 80% of budget: Provider ${code} (${code})`].sort());
    expect(mails.find((m) => m.subject.startsWith("API cost budget reached"))?.text).toContain("spent $105.00 on third-party APIs");

    // The console: the banner names the highest threshold reached, the page the spend and the alerts sent.
    expect((await budgetsReachedThisMonth(db, true, at(21))).find((r) => r.budget.id === budget.id)).toMatchObject({ threshold: 100, spent: 10500 });
    expect((await budgetStatuses(db, true, at(21))).find((s) => s.budget.id === budget.id)).toMatchObject({ spent: 10500, percent: 105, fired: [50, 80, 100], problem: null });

    // The next month starts from nothing: 60% fires 50% again, once.
    const next = new Date(Date.UTC(YEAR, MONTH + 1, 2, 12));
    await spend(code, "6000", next);
    expect(mine(await checkApiCostAlerts(ctxAt(next), true))).toEqual([50]);
    expect((await eventsOf("budget.threshold_reached", budget.id)).map((e) => [e.threshold, e.period_start])).toEqual([
      [50, at(1, 0).toISOString()],
      [80, at(1, 0).toISOString()],
      [100, at(1, 0).toISOString()],
      [50, new Date(Date.UTC(YEAR, MONTH + 1, 1)).toISOString()],
    ]);
  });

  it("convert costs in another currency at the day's rate into the budget's currency, rounding the month once", async () => {
    const code = uniqueCode("fx");
    await provider(code);
    // 1 usd = 1.5 aud on day 1 and 1.6 from day 10.
    const fxCtx = { db, actor: live, now: at(1) };
    await recordFxRate(fxCtx, { base: "usd", quote: "aud", rate: "1.5", date: at(1).toISOString().slice(0, 10) });
    await recordFxRate(fxCtx, { base: "usd", quote: "aud", rate: "1.6", date: at(10).toISOString().slice(0, 10) });
    const budget = await createBudget(ctxAt(at(1)), { provider: code, amount: 1000, currency: "aud", alertThresholds: [10, 100] });
    await spend(code, "1", at(2), { costDecimal: "33.3333", currency: "usd" }); // 49.99995 aud
    await spend(code, "1", at(12), { costDecimal: "0.00003125", currency: "usd" }); // 0.00005 aud
    await spend(code, "100", at(12)); // 100 aud at the provider's rate
    const [row] = await budgetSpends(db, true, [budget], at(13));
    expect(row).toMatchObject({ spent: 150, problem: null }); // 149.99995 + 0.00005 = 150 exactly

    expect((await checkApiCostAlerts(ctxAt(at(13)), true)).fired.filter((f) => f.kind === "budget" && f.budget === budget.id)).toEqual([{ kind: "budget", budget: budget.id, threshold: 10, spent: 150, periodStart: at(1, 0) }]);

    // A budget in a currency without rates is skipped with the reason, without holding back the others.
    const eur = await createBudget(ctxAt(at(1)), { provider: code, amount: 1000, currency: "eur" });
    const check = await checkApiCostAlerts(ctxAt(at(14)), true);
    expect(check.skipped).toContainEqual({ budget: eur.id, problem: expect.stringContaining("No exchange rate") as unknown as string });
  });

  it("of an all-providers budget count every provider's costs", async () => {
    const [p1, p2] = [uniqueCode("all"), uniqueCode("all")];
    await provider(p1);
    await provider(p2, null, "2");
    const existing = (await listBudgets(ctxAt(at(1)))).filter((b) => b.providerCode === null && b.currency === "aud");
    for (const b of existing) await deleteBudget(ctxAt(at(1)), b.id);
    const budget = await createBudget(ctxAt(at(1)), { provider: null, amount: 100000, currency: "aud", alertThresholds: [1] });
    const before = (await budgetSpends(db, true, [budget], at(5)))[0]?.spent ?? 0;
    await spend(p1, "300", at(5));
    await spend(p2, "350", at(5)); // 700 at 2 a unit
    expect((await budgetSpends(db, true, [budget], at(5)))[0]?.spent).toBe(before + 1000);
  });
});

describe("quota warnings", () => {
  it("fire at 80% and 100% of the quota once per window, a daily quota again the next day", async () => {
    const code = uniqueCode("quota");
    const p = await provider(code, { limit: 1000, period: "day" });
    const codesOf = (c: Awaited<ReturnType<typeof checkApiCostAlerts>>) => c.fired.filter((f) => f.kind === "quota" && f.provider === code).map((f) => f.threshold);

    await spend(code, "799.5", at(4, 1));
    expect(codesOf(await checkApiCostAlerts(ctxAt(at(4, 2)), true))).toEqual([]);
    await spend(code, "0.5", at(4, 3));
    const [x, y] = await Promise.all([checkApiCostAlerts(ctxAt(at(4, 4)), true), checkApiCostAlerts(ctxAt(at(4, 4)), true)]);
    expect([...codesOf(x), ...codesOf(y)]).toEqual([80]);
    await spend(code, "250", at(4, 5));
    expect(codesOf(await checkApiCostAlerts(ctxAt(at(4, 6)), true))).toEqual([100]);
    expect(codesOf(await checkApiCostAlerts(ctxAt(at(4, 7)), true))).toEqual([]);

    // The next UTC day is a new window.
    await spend(code, "900", at(5, 1));
    expect(codesOf(await checkApiCostAlerts(ctxAt(at(5, 2)), true))).toEqual([80]);

    const events = await eventsOf("api_cost.quota_warning", p.id);
    expect(events.map((e) => [e.threshold, e.used, e.period_start])).toEqual([
      [80, "800", at(4, 0).toISOString()],
      [100, "1050", at(4, 0).toISOString()],
      [80, "900", at(5, 0).toISOString()],
    ]);
    expect(events[0]).toMatchObject({ code, limit: 1000, period: "day", livemode: true });
    await dispatchAll();
    const mails = await mailsOf(events);
    expect(mails.map((m) => m.subject).sort()).toEqual([`API quota at 80%: Provider ${code} (${code})`, `API quota at 80%: Provider ${code} (${code})`, `API quota reached: Provider ${code} (${code})`]);
  });

  it("of a monthly quota count the whole UTC month", async () => {
    const code = uniqueCode("quota");
    await provider(code, { limit: 100, period: "month" });
    await spend(code, "50", at(2));
    await spend(code, "30", at(25));
    const fired = (await checkApiCostAlerts(ctxAt(at(26)), true)).fired.filter((f) => f.kind === "quota" && f.provider === code);
    expect(fired).toEqual([{ kind: "quota", provider: code, threshold: 80, used: "80", period: "month", periodStart: at(1, 0) }]);
  });
});

describe("budget rows", () => {
  it("are removed with their notices on delete", async () => {
    const code = uniqueCode("del");
    await provider(code);
    const budget = await createBudget(ctxAt(at(1)), { provider: code, amount: 100, currency: "aud" });
    await spend(code, "100", at(2));
    await checkApiCostAlerts(ctxAt(at(2)), true);
    await deleteBudget(ctxAt(at(3)), budget.id);
    expect(await db.select().from(apiCostBudgets).where(eq(apiCostBudgets.id, budget.id))).toEqual([]);
  });
});
