import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { POST as postProvider } from "@/app/api/v1/cost_providers/route";
import { POST as postFx } from "@/app/api/v1/fx_rates/route";
import { GET as getForecast } from "@/app/api/v1/api_costs/forecast/route";
import { POST as postBudget } from "@/app/api/v1/budgets/route";
import { systemActor } from "@/lib/actor";
import { DAY_MS } from "@/lib/time";
import { randomToken } from "@/lib/ids";
import { costForecast } from "@/lib/services/api-costs/forecast";
import { recordApiCosts } from "@/lib/services/api-costs/record-api-costs";
import { call, newKey, problemOf } from "../api/support";
import { answer, uniqueCode } from "../usage/support";

/**
 * A provider billed in nok (1 nok = 0.15 aud from 60 days back) with 20 days of costs, one a day at
 * noon: 1000.5 nok cents on weekdays, 400.5 at weekends. The forecast's spent figure is the month's
 * exact sum converted and rounded once; the service, with `at` passed in, is checked against the
 * method's own arithmetic on a fixed clock.
 */
let key: string;
let code: string;
const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const costOn = (ms: number) => ([0, 6].includes(new Date(ms).getUTCDay()) ? "400.5" : "1000.5");

beforeAll(async () => {
  ({ key } = await newKey());
  code = uniqueCode("fc");
  await answer(postFx, key, 200, { path: "/fx_rates", body: { base: "nok", quote: "aud", rate: "0.15", date: new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10) } });
  await answer(postProvider, key, 200, { path: "/cost_providers", body: { code, name: "Forecast test", regions: ["AU"] } });
  const today = dayStart(Date.now());
  const db = await getDb();
  // Each day's cost recorded that day (older ones would be past the late window now), as the demo seed does.
  for (let d = 1; d <= 20; d += 1) {
    const noon = today - d * DAY_MS + DAY_MS / 2;
    const [outcome] = await recordApiCosts({ db, actor: systemActor("test"), now: new Date(noon + 60_000) }, [
      { identifier: `fc-${randomToken(10)}`, provider: code, operation: "call", units: 1, costDecimal: costOn(noon), currency: "nok", timestamp: new Date(noon) },
    ]);
    expect(outcome?.status).toBe("accepted");
  }
});

describe("GET /api_costs/forecast", () => {
  it("answers the month's spend, rounded once, the forecast, the method and a null budget", async () => {
    const now = Date.now();
    const month = new Date(now).toISOString().slice(0, 7);
    const monthStart = Date.parse(`${month}-01T00:00:00Z`);
    let exact = 0;
    for (let d = 1; d <= 20; d += 1) {
      const noon = dayStart(now) - d * DAY_MS + DAY_MS / 2;
      if (noon >= monthStart) exact += Number(costOn(noon)) * 15;
    }
    const body = await answer<Record<string, unknown> & { spent: number; forecast: number }>(getForecast, key, 200, { method: "GET", path: `/api_costs/forecast?provider=${code}&currency=aud` });
    expect(body).toMatchObject({ object: "api_cost_forecast", month, provider: code, budget: null, currency: "aud", method: "weekday_run_rate" });
    // nok has 2 decimals like aud: x nok cents × 0.15 = aud cents (exact here in hundredths); the sum rounds once.
    expect(body.spent).toBe(Math.round(exact / 100));
    expect(body.forecast).toBeGreaterThan(body.spent);
  });

  it("refuses a month not begun yet and a malformed one", async () => {
    const next = new Date(Date.now() + 40 * DAY_MS).toISOString().slice(0, 7);
    const future = await call(getForecast, { key, method: "GET", path: `/api_costs/forecast?month=${next}` });
    expect(future.status).toBe(422);
    expect(await problemOf(future)).toMatchObject({ code: "validation_failed", param: "month" });
    const bad = await call(getForecast, { key, method: "GET", path: "/api_costs/forecast?month=2026-13" });
    expect(bad.status).toBe(422);
  });
});

describe("costForecast", () => {
  it("for a fixed instant: spent in the month so far, and the weekday-shaped projection of the rest", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: new Date() };
    // At 00:00 UTC of the day after the last cost: the 20 days before are complete history.
    const at = new Date(dayStart(Date.now()));
    const month = at.toISOString().slice(0, 7);
    const f = await costForecast(ctx, { month, provider: code, currency: "aud" }, at);
    const monthStart = Date.parse(`${month}-01T00:00:00Z`);
    const monthEnd = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
    // The history is exactly two levels: weekday 150.075 aud cents, weekend 60.075. The factors make
    // every remaining weekday 150.075 and weekend day 60.075 whatever the mix of the last 14 days.
    let spent = 0;
    let rest = 0;
    for (let d = monthStart; d < at.getTime(); d += DAY_MS) if (d >= at.getTime() - 20 * DAY_MS) spent += Number(costOn(d)) * 15;
    for (let d = at.getTime(); d < monthEnd; d += DAY_MS) rest += Number(costOn(d)) * 15;
    expect(f.spent).toBe(Math.round(spent / 100));
    expect(f.forecast).toBe(Math.round(spent / 100) + Math.round(rest / 100));
    expect(f).toMatchObject({ method: "weekday_run_rate", budget: null, currency: "aud", provider: code });
    expect(f.asOf).toEqual(at);
  });
});

describe("the forecast's budget", () => {
  it("is the provider's monthly budget, in its currency unless another is asked for", async () => {
    await answer(postBudget, key, 200, { path: "/budgets", body: { provider: code, amount: 50_000, currency: "aud" } });
    const body = await answer<Record<string, unknown>>(getForecast, key, 200, { method: "GET", path: `/api_costs/forecast?provider=${code}` });
    expect(body).toMatchObject({ provider: code, budget: 50_000, currency: "aud" });
    // In another reporting currency the aud budget is not this report's: null, never a converted guess.
    await answer(postFx, key, 200, { path: "/fx_rates", body: { base: "nok", quote: "usd", rate: "0.1", date: new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10) } });
    const usd = await answer<Record<string, unknown>>(getForecast, key, 200, { method: "GET", path: `/api_costs/forecast?provider=${code}&currency=usd` });
    expect(usd).toMatchObject({ budget: null, currency: "usd" });
  });
});
