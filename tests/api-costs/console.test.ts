import { systemFormatter } from "@/lib/format";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import type { Actor } from "@/lib/actor";
import { monthOf, previousMonth } from "@/lib/api-costs/months";
import { randomToken } from "@/lib/ids";
import { alertsFiredIn, checkApiCostAlerts } from "@/lib/services/api-costs/budget-alerts";
import { createBudget } from "@/lib/services/api-costs/budgets";
import { apiCostPanels } from "@/lib/services/api-costs/console";
import { customerProfitability, profitabilityByPlan, profitabilityOverview, unprofitableCustomers } from "@/lib/services/api-costs/profitability";
import { createCostProvider } from "@/lib/services/api-costs/providers";
import { quotaUsages } from "@/lib/services/api-costs/quotas";
import { recordApiCosts } from "@/lib/services/api-costs/record-api-costs";
import { makeCustomer } from "../factories";
import { uniqueCode } from "../usage/support";

/**
 * The API costs page's figures (issue 17 items 6–8): quota use measured once (the alerts check's
 * measure), the alerts fired in a month newest first, every panel of the page for a month, each
 * degrading alone when an exchange rate is missing, and a customer's profitability in their own mode.
 * Live mode in a month of its own per run, so no other test's costs are in it.
 */
let db: Db;
const live: Actor = { type: "api_key", id: "key_console_tests", livemode: true };
const YEAR = 2150 + Math.floor(Math.random() * 50);
const MONTH = Math.floor(Math.random() * 11);
const at = (day: number, hour = 12) => new Date(Date.UTC(YEAR, MONTH, day, hour));
const ctxAt = (now: Date) => ({ db, actor: live, now });

async function provider(code: string, quota: { limit: number; period: "day" | "month" } | null = null) {
  const made = await createCostProvider(ctxAt(new Date(Date.UTC(YEAR - 1, 0, 1))), {
    code,
    name: `Provider ${code}`,
    quota,
    rates: [{ operation: "call", unit: "request", unitCostDecimal: "1", currency: "aud", effectiveFrom: new Date(Date.UTC(YEAR - 1, 0, 1)) }],
  });
  return made.provider;
}

async function spend(code: string, units: string, when: Date, extra: { costDecimal?: string; currency?: string; customer?: string } = {}) {
  const [outcome] = await recordApiCosts(ctxAt(when), [{ identifier: `c-${randomToken(12)}`, provider: code, operation: "call", units, timestamp: when, ...extra }]);
  expect(outcome?.status).toBe("accepted");
}

beforeAll(async () => {
  db = await getDb();
});

describe("quota use", () => {
  it("is the provider's exact units in the quota's current UTC day or month, the percent rounded down", async () => {
    const [daily, monthly] = [uniqueCode("qd"), uniqueCode("qm")];
    await provider(daily, { limit: 1000, period: "day" });
    await provider(monthly, { limit: 200, period: "month" });
    await spend(daily, "799.999", at(6, 1));
    await spend(daily, "500", at(5, 1)); // yesterday: another window
    await spend(monthly, "100", at(2));
    await spend(monthly, "50.5", at(6, 2));

    const mine = (rows: Awaited<ReturnType<typeof quotaUsages>>) => new Map(rows.filter((u) => [daily, monthly].includes(u.provider.code)).map((u) => [u.provider.code, u]));
    const now = mine(await quotaUsages(db, true, at(6, 3)));
    expect(now.get(daily)).toMatchObject({ percent: 79, window: { start: at(6, 0), end: at(7, 0) } });
    expect(String(now.get(daily)?.used.units)).toBe("799999");
    expect(now.get(monthly)).toMatchObject({ percent: 75, window: { start: at(1, 0) } });

    const nextDay = mine(await quotaUsages(db, true, at(7, 3)));
    expect(nextDay.get(daily)?.percent).toBe(0);
    expect(nextDay.get(monthly)?.percent).toBe(75);
    // Not a quota warning at 79.9995 %: the alerts check judges on the same measure.
    expect((await checkApiCostAlerts(ctxAt(at(6, 3)), true)).fired.filter((f) => f.kind === "quota" && f.provider === daily)).toEqual([]);
  });
});

describe("the alerts fired in a month", () => {
  it("list budget thresholds and quota warnings newest first, with what they fired at, and nothing of other months", async () => {
    const code = uniqueCode("hist");
    await provider(code, { limit: 100, period: "day" });
    const budget = await createBudget(ctxAt(at(1)), { provider: code, amount: 10000, currency: "aud", alertThresholds: [50, 80] });
    await spend(code, "90", at(8, 1)); // 90 of 100 units today: the quota's 80%
    await checkApiCostAlerts(ctxAt(at(8, 2)), true);
    await spend(code, "1", at(9, 1), { costDecimal: "5000", currency: "aud" }); // 5090 of 10000: the budget's 50% (one unit: no quota warning)
    await checkApiCostAlerts(ctxAt(at(9, 2)), true);
    await spend(code, "1", at(10, 1), { costDecimal: "3000", currency: "aud" }); // 8090: 80%
    await checkApiCostAlerts(ctxAt(at(10, 2)), true);

    const mine = (await alertsFiredIn(db, true, at(20))).filter((a) => a.provider === code);
    expect(mine).toEqual([
      { kind: "budget", at: at(10, 2), threshold: 80, budget: budget.id, provider: code, spent: 8090, amount: 10000, currency: "aud" },
      { kind: "budget", at: at(9, 2), threshold: 50, budget: budget.id, provider: code, spent: 5090, amount: 10000, currency: "aud" },
      { kind: "quota", at: at(8, 2), threshold: 80, provider: code, period: "day", periodStart: at(8, 0), used: "90", limit: "100" },
    ]);
    const nextMonth = new Date(Date.UTC(YEAR, MONTH + 1, 3));
    expect((await alertsFiredIn(db, true, nextMonth)).filter((a) => a.provider === code)).toEqual([]);
  });
});

describe("the API costs page's panels", () => {
  it("give budgets, forecasts, quotas, alerts, hints and profitability for the current month, and what stays meaningful for a past one", async () => {
    const code = uniqueCode("page");
    await provider(code, { limit: 1000, period: "month" });
    const budget = await createBudget(ctxAt(at(1)), { provider: code, amount: 1000, currency: "aud" });
    const customer = await makeCustomer(ctxAt(at(1)), { name: "Costly Co", card: null });
    await spend(code, "850", at(15, 1), { customer: customer.id });
    await checkApiCostAlerts(ctxAt(at(15, 2)), true);

    const month = monthOf(at(15));
    const panels = await apiCostPanels(ctxAt(at(15, 3)), { month, currency: "aud" }, systemFormatter());
    expect(panels.current).toBe(true);
    expect(panels.providers.map((p) => p.provider.code)).toContain(code);
    expect(panels.budgets.find((b) => b.budget.id === budget.id)).toMatchObject({ spent: 850, percent: 85, fired: [50, 80], problem: null });
    expect(panels.forecasts.problem).toBeNull();
    const forecast = panels.forecasts.value?.byProvider.get(code);
    expect(forecast).toMatchObject({ spent: 850, currency: "aud" });
    expect(forecast?.forecast).toBeGreaterThanOrEqual(850);
    expect(forecast?.method).not.toBe("actual");
    expect(panels.forecasts.value?.overall.spent).toBeGreaterThanOrEqual(850);
    expect(panels.quotas.find((q) => q.provider.code === code)?.percent).toBe(85);
    // Fired by one check: the same instant, the highest threshold first.
    expect(panels.alerts.filter((a) => a.provider === code).map((a) => [a.kind, a.threshold])).toEqual([
      ["budget", 80],
      ["quota", 80],
      ["budget", 50],
    ]);
    expect(panels.hints?.value?.hints.some((h) => h.kind === "quota_near" && h.provider === code)).toBe(true);
    expect(panels.profitability.value?.unprofitable.find((c) => c.customer.id === customer.id)).toMatchObject({ revenue: 0, apiCost: 850, gatewayFees: 0, margin: -850 });

    // A past month: forecasts are actual, quotas and hints are about now and left out.
    const past = await apiCostPanels(ctxAt(new Date(Date.UTC(YEAR, MONTH + 1, 3))), { month, currency: "aud" }, systemFormatter());
    expect(past.current).toBe(false);
    expect(past.forecasts.value?.byProvider.get(code)).toMatchObject({ spent: 850, forecast: 850, method: "actual" });
    expect(past.quotas).toEqual([]);
    expect(past.hints).toBeNull();
    expect(past.budgets.find((b) => b.budget.id === budget.id)).toMatchObject({ spent: 850, fired: [50, 80] });
    expect(past.alerts.filter((a) => a.provider === code)).toHaveLength(3);

    // The month before has none of it.
    const before = await apiCostPanels(ctxAt(at(15, 3)), { month: previousMonth(month), currency: "aud" }, systemFormatter());
    expect(before.alerts.filter((a) => a.provider === code)).toEqual([]);
    expect(before.budgets.find((b) => b.budget.id === budget.id)?.spent).toBe(0);
  });

  it("degrade alone when an exchange rate is missing: the forecast says why, quotas and alerts still show", async () => {
    const code = uniqueCode("nofx");
    await provider(code, { limit: 10, period: "day" });
    // 8 units at a given cost in a currency without any rate to aud.
    await spend(code, "8", at(20, 1), { costDecimal: "5", currency: "isk" });
    await checkApiCostAlerts(ctxAt(at(20, 2)), true);
    const panels = await apiCostPanels(ctxAt(at(20, 3)), { month: monthOf(at(20)), currency: "aud" }, systemFormatter());
    expect(panels.forecasts.value).toBeNull();
    expect(panels.forecasts.problem).toContain("No exchange rate");
    expect(panels.quotas.find((q) => q.provider.code === code)?.percent).toBe(80);
    expect(panels.alerts.some((a) => a.kind === "quota" && a.provider === code && a.threshold === 80)).toBe(true);
    expect(panels.profitability.problem).toBeNull();
  });
});

describe("profitability", () => {
  it("per customer and per plan come from one read and agree with the single-purpose functions", async () => {
    const ctx = ctxAt(at(16));
    const range = { from: monthOf(at(16)).from, to: monthOf(at(16)).to, currency: "aud" };
    const overview = await profitabilityOverview(ctx, range);
    expect(await profitabilityByPlan(ctx, range)).toEqual(overview.plans);
    expect(await unprofitableCustomers(ctx, range)).toEqual(overview.customers.filter((c) => c.margin < 0));
    const sum = (k: "revenue" | "apiCost" | "margin", rows: { revenue: number; apiCost: number; margin: number }[]) => rows.reduce((s, r) => s + r[k], 0);
    // Each plan rounds its customers' exact sums once; with whole-cent costs nothing is lost.
    expect(sum("apiCost", overview.plans)).toBe(sum("apiCost", overview.customers));
  });

  it("of a live customer is read from the console (test mode) by naming the customer's mode", async () => {
    const code = uniqueCode("mode");
    await provider(code);
    const customer = await makeCustomer(ctxAt(at(1)), { name: "Live Lou", card: null });
    await spend(code, "120", at(17, 1), { customer: customer.id });
    const staff = { db, actor: { type: "user", id: "usr_console", role: "billing_admin" } as Actor, now: at(18) };
    const range = { from: monthOf(at(17)).from, to: monthOf(at(17)).to, currency: "aud" };
    await expect(customerProfitability(staff, customer.id, range)).rejects.toMatchObject({ code: "not_found" });
    expect(await customerProfitability(staff, customer.id, { ...range, livemode: true })).toEqual({ revenue: 0, apiCost: 120, gatewayFees: 0, margin: -120, currency: "aud" });
  });
});
