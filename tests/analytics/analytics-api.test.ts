import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { mrrMovements } from "@/db/schema";
import { GET as getMrr } from "@/app/api/v1/analytics/mrr/route";
import { GET as getSummary } from "@/app/api/v1/analytics/summary/route";
import { POST as postFx } from "@/app/api/v1/fx_rates/route";
import { newId } from "@/lib/ids";
import { newKey } from "../api/support";
import { answer, refusedWith } from "../usage/support";

/**
 * Movements in 2041 (a year no other history reaches), two AUD customers and one USD customer,
 * 1 USD = 1.5 AUD from 1 Jan 2041:
 *   X aud  5 Jan new +1000 · 10 Feb expansion +500 (1500) · 3 Mar churn −1500
 *   Y aud  20 Jan new +2000 · 15 Mar contraction −500 (1500)
 *   Z usd  1 Feb new +1000 (= 1500 aud)
 * By month in AUD: Jan new 3000 → 3000; Feb new 1500 + expansion 500 → 5000; Mar churn −1500,
 * contraction −500 → 3000. Summary at 31 Mar: start 5000, end 3000, 3 customers at the start, 2
 * active, 1 churned. A live-mode customer's movement (99000 on 1 Feb) is not a test key's figure.
 */
let key: string;

beforeAll(async () => {
  ({ key } = await newKey());
  const db = await getDb();
  const [x, y, z] = [newId("customer"), newId("customer"), newId("customer")];
  await db.insert(mrrMovements).values([
    { customerId: x, currency: "aud", day: "2041-01-05", mrr: 1000, delta: 1000, kind: "new", livemode: false },
    { customerId: x, currency: "aud", day: "2041-02-10", mrr: 1500, delta: 500, kind: "expansion", livemode: false },
    { customerId: x, currency: "aud", day: "2041-03-03", mrr: 0, delta: -1500, kind: "churn", livemode: false },
    { customerId: y, currency: "aud", day: "2041-01-20", mrr: 2000, delta: 2000, kind: "new", livemode: false },
    { customerId: y, currency: "aud", day: "2041-03-15", mrr: 1500, delta: -500, kind: "contraction", livemode: false },
    { customerId: z, currency: "usd", day: "2041-02-01", mrr: 1000, delta: 1000, kind: "new", livemode: false },
    // A live customer: a test key never sees it.
    { customerId: newId("customer"), currency: "aud", day: "2041-02-01", mrr: 99_000, delta: 99_000, kind: "new", livemode: true },
  ]);
  await answer(postFx, key, 200, { path: "/fx_rates", body: { base: "usd", quote: "aud", rate: "1.5", date: "2041-01-01" } });
});

const zero = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 };

describe("GET /analytics/mrr", () => {
  it("by month in AUD, USD converted at each month-end's rate", async () => {
    const body = await answer(getMrr, key, 200, { method: "GET", path: "/analytics/mrr?from=2041-01-01&to=2041-03-31&interval=month&currency=aud" });
    expect(body).toEqual({
      object: "mrr_series",
      currency: "aud",
      interval: "month",
      data: [
        { date: "2041-01-01", mrr: 3000, ...zero, new: 3000 },
        { date: "2041-02-01", mrr: 5000, ...zero, new: 1500, expansion: 500 },
        { date: "2041-03-01", mrr: 3000, ...zero, contraction: -500, churn: -1500 },
      ],
    });
  });

  it("by day, the MRR before `from` carried in", async () => {
    const body = await answer<{ data: unknown[] }>(getMrr, key, 200, { method: "GET", path: "/analytics/mrr?from=2041-03-02&to=2041-03-04&interval=day&currency=aud" });
    expect(body.data).toEqual([
      { date: "2041-03-02", mrr: 5000, ...zero },
      { date: "2041-03-03", mrr: 3500, ...zero, churn: -1500 },
      { date: "2041-03-04", mrr: 3500, ...zero },
    ]);
  });

  it("refuses a reversed range and a reporting currency without rates", async () => {
    expect((await refusedWith(getMrr, key, 422, { path: "/analytics/mrr?from=2041-03-02&to=2041-03-01" })).param).toBe("from");
    expect((await refusedWith(getMrr, key, 422, { path: "/analytics/mrr?from=2041-01-01&to=2041-01-31&currency=eur" })).code).toBe("fx_rate_missing");
  });
});

describe("GET /analytics/summary", () => {
  it("answers every metric for the month to the date", async () => {
    const body = await answer(getSummary, key, 200, { method: "GET", path: "/analytics/summary?date=2041-03-31&currency=aud" });
    expect(body).toEqual({
      object: "analytics_summary",
      date: "2041-03-31",
      period_start: "2041-03-01",
      currency: "aud",
      mrr: 3000,
      arr: 36000,
      active_customers: 2,
      arpu: 1500,
      customer_churn_rate: "0.3333", // 1 of 3
      gross_mrr_churn_rate: "0.4", // (1500 + 500) / 5000
      net_mrr_churn_rate: "0.4",
      nrr: "0.6",
      grr: "0.6",
      ltv: 4500, // ARPU ÷ churn rate = 1500 × 3 / 1
      trial_conversion_rate: null,
      payment_success_rate: null,
      recovery_rate: null,
    });
  });
});
