import { describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/seeded-random";
import { DAY_MS } from "@/lib/time";
import { dayKey, linearRunRate, monthRange, projectMonthEnd, weekdayFactors } from "./forecast";

/**
 * A year of daily API spend with the demo's rhythm (db/seed-api-costs.ts: weekends at 60 % of a
 * weekday), growth of 4 % a month, log-normal day-to-day noise (σ 0.15) and a rare spike (2 % of
 * days, ×2.5): deterministic (seeded), minor units per day.
 */
function history(seed: number, from: string, days: number): Map<string, number> {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const shape = [0.6, 1.1, 1.15, 1.15, 1.1, 1, 0.6];
  const start = Date.parse(`${from}T00:00:00Z`);
  const daily = new Map<string, number>();
  for (let i = 0; i < days; i += 1) {
    const day = start + i * DAY_MS;
    const growth = Math.pow(1.04, i / 30);
    const spike = random() < 0.02 ? 2.5 : 1;
    daily.set(dayKey(day), Math.round(20_000 * growth * shape[new Date(day).getUTCDay()]! * Math.exp(0.15 * gaussian()) * spike));
  }
  return daily;
}

/** Replay each month day by day: from the end of day d (d = 1 … last − 1), forecast the month's end. */
function backtest(daily: Map<string, number>, months: string[]) {
  const errors = { method: [] as number[], baseline: [] as number[] };
  for (const month of months) {
    const range = monthRange(month);
    const days = (range.end.getTime() - range.start.getTime()) / DAY_MS;
    let actual = 0;
    for (let d = 0; d < days; d += 1) actual += daily.get(dayKey(range.start.getTime() + d * DAY_MS)) ?? 0;
    for (let d = 1; d < days; d += 1) {
      const asOf = new Date(range.start.getTime() + d * DAY_MS);
      const known = new Map([...daily].filter(([k]) => Date.parse(`${k}T00:00:00Z`) < asOf.getTime()));
      let spent = 0;
      for (let i = 0; i < d; i += 1) spent += daily.get(dayKey(range.start.getTime() + i * DAY_MS)) ?? 0;
      const forecast = spent + projectMonthEnd(known, range, asOf).projected;
      errors.method.push(Math.abs(forecast - actual) / actual);
      errors.baseline.push(Math.abs(linearRunRate(spent, range, asOf) - actual) / actual);
    }
  }
  const mape = (e: number[]) => (100 * e.reduce((a, b) => a + b, 0)) / e.length;
  return { method: mape(errors.method), baseline: mape(errors.baseline), forecasts: errors.method.length };
}

describe("forecast backtest", () => {
  it("replays a seeded year day by day: the weekday run-rate's MAPE beats the linear run-rate's", () => {
    const months = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"];
    for (const seed of [17, 2026, 31337]) {
      const result = backtest(history(seed, "2025-01-01", 365), months);
      console.info(`forecast backtest (seed ${seed}, ${result.forecasts} forecasts): MAPE weekday_run_rate ${result.method.toFixed(2)} %, linear run-rate ${result.baseline.toFixed(2)} %`);
      expect(result.method).toBeLessThan(result.baseline);
    }
  });
});

describe("projectMonthEnd", () => {
  const december = monthRange("2026-12");

  it("projects a flat history flat, the current day counting for the part still ahead", () => {
    const daily = new Map<string, number>();
    for (let d = Date.UTC(2026, 10, 1); d < Date.UTC(2026, 11, 10); d += DAY_MS) daily.set(dayKey(d), 100);
    // 9 complete December days, 12:00 on the 10th: 21.5 days left at 100.
    daily.set("2026-12-10", 50);
    const p = projectMonthEnd(daily, december, new Date(Date.UTC(2026, 11, 10, 12)));
    expect(p.method).toBe("weekday_run_rate");
    expect(p.projected).toBeCloseTo(2150, 6);
  });

  it("follows the weekly shape: weekends at half a weekday's spend", () => {
    const daily = new Map<string, number>();
    for (let d = Date.UTC(2026, 10, 1); d < Date.UTC(2026, 11, 1); d += DAY_MS) daily.set(dayKey(d), [0, 6].includes(new Date(d).getUTCDay()) ? 50 : 100);
    const p = projectMonthEnd(daily, december, december.start);
    // December 2026: 23 weekdays, 8 weekend days.
    expect(p.projected).toBeCloseTo(23 * 100 + 8 * 50, 6);
    expect(weekdayFactors([...daily].map(([k, v]) => ({ dayStart: Date.parse(`${k}T00:00:00Z`), amount: v })))[0]).toBeCloseTo(50 / (600 / 7), 6);
  });

  it("falls back to the plain run-rate with under two weeks of history, and to today's pace with none", () => {
    const daily = new Map([
      ["2026-12-01", 100],
      ["2026-12-02", 300],
      ["2026-12-03", 10],
    ]);
    const p = projectMonthEnd(daily, december, new Date(Date.UTC(2026, 11, 3, 6)));
    expect(p).toEqual({ method: "run_rate", projected: 200 * 0.75 + 200 * 28 });
    const first = projectMonthEnd(new Map([["2026-12-01", 25]]), december, new Date(Date.UTC(2026, 11, 1, 6)));
    expect(first).toEqual({ method: "run_rate", projected: 100 * 0.75 + 100 * 30 });
    expect(projectMonthEnd(new Map(), december, december.start)).toEqual({ method: "run_rate", projected: 0 });
  });

  it("projects nothing for a month that has ended", () => {
    expect(projectMonthEnd(new Map([["2026-12-01", 100]]), december, new Date(Date.UTC(2027, 0, 5)))).toEqual({ method: "actual", projected: 0 });
  });

  it("baseline: spent ÷ days elapsed × days in month", () => {
    expect(linearRunRate(1000, december, new Date(Date.UTC(2026, 11, 11)))).toBe(3100);
  });
});
