import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { findInvoice } from "@/db/queries/invoices";
import { demoCallTimes, DEMO_API_CALLS, seedDemo } from "@/db/seed";
import { invoices, subscriptions, users } from "@/db/schema";
import { customerMeteredUsage, invoiceTierWords, periodDays } from "@/lib/services/usage/portal-usage";
import { ctx, DAY_MS, NOW } from "../services/support";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

let db: Db;
let customerId: string;
let seedMs = 0;

beforeAll(async () => {
  db = await getDb();
  const started = performance.now();
  await seedDemo(db, NOW, { history: false });
  seedMs = performance.now() - started;
  const [subscriber] = await db.select().from(users).where(eq(users.role, "subscriber"));
  customerId = subscriber?.customerId ?? "";
});

/** What the tiers charge for `calls`: the first 1,000 free, then 0.2 minor units each, rounded once. */
const apiCallsAmount = (calls: number) => Math.round(Math.max(0, calls - DEMO_API_CALLS.freeCalls) * 0.2);

describe("the demo's API calls", () => {
  it("subscribes the demo subscriber to Starter plus API calls; the renewal billed the first month's calls split over the tiers", async () => {
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.customerId, customerId));
    expect(sub?.status).toBe("active");
    const rows = await db.select().from(invoices).where(and(eq(invoices.customerId, customerId), eq(invoices.billingReason, "subscription_cycle"))).orderBy(asc(invoices.createdAt));
    expect(rows).toHaveLength(1);
    const renewal = await findInvoice(db, rows[0]?.id ?? "");
    const usage = renewal?.lines.find((l) => l.description === "API calls usage");
    const firstStart = sub ? new Date(sub.currentPeriodStart.getTime()) : NOW;
    const firstMonth = demoCallTimes(new Date(Date.UTC(2026, 0, 20, 1)), firstStart, 1).length;
    expect(usage).toMatchObject({ quantity: firstMonth, amount: apiCallsAmount(firstMonth) });
    const words = await invoiceTierWords(db, renewal!, fmt);
    expect(words.get(usage!.id)).toBe(`1,000 × $0.00 + ${(firstMonth - 1000).toLocaleString("en-AU")} × $0.002`);
    // The licensed line has no tiers to show.
    expect(words.size).toBe(1);
  });

  it("shows the portal the current period's calls so far, what they cost, and every day of the period", async () => {
    const items = await customerMeteredUsage(ctx(db), customerId, fmt);
    expect(items).toHaveLength(1);
    const item = items[0]!;
    const calls = demoCallTimes(item.periodStart, NOW, 2).length;
    expect(item).toMatchObject({ meterName: "API calls", planName: "API calls", currency: "aud", value: String(calls), quantity: calls, amount: apiCallsAmount(calls) });
    expect(item.tiers).toBe(`1,000 × $0.00 + ${(calls - 1000).toLocaleString("en-AU")} × $0.002`);
    expect(item.days.length).toBeGreaterThanOrEqual(28);
    const measured = item.days.filter((d) => d.value !== null);
    expect(measured.reduce((sum, d) => sum + (d.value ?? 0), 0)).toBe(calls);
    // Days after today are still to come.
    expect(item.days.filter((d) => d.value === null).every((d) => d.start > NOW)).toBe(true);
    expect(item.days.at(-1)?.value).toBeNull();
  });

  it("gives a customer without metered items nothing", async () => {
    const [other] = await db.select().from(users).where(eq(users.role, "support"));
    expect(await customerMeteredUsage(ctx(db), other?.customerId ?? "cus_none", fmt)).toEqual([]);
  });

  it("keeps the seed quick", () => {
    expect(seedMs).toBeLessThan(20_000);
  });
});

describe("periodDays", () => {
  it("lists each UTC day of the period, measured days with their value, later days null", () => {
    const start = new Date("2026-03-01T13:00:00Z");
    const days = periodDays(start, new Date(start.getTime() + 4 * DAY_MS), [
      { start, value: 5 },
      { start: new Date("2026-03-02T00:00:00Z"), value: 0 },
      { start: new Date("2026-03-03T00:00:00Z"), value: 7 },
    ]);
    expect(days.map((d) => [d.start.toISOString(), d.value])).toEqual([
      ["2026-03-01T13:00:00.000Z", 5],
      ["2026-03-02T00:00:00.000Z", 0],
      ["2026-03-03T00:00:00.000Z", 7],
      ["2026-03-04T00:00:00.000Z", null],
      ["2026-03-05T00:00:00.000Z", null],
    ]);
  });
});
