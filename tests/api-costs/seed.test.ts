import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { seedDemoApiCosts } from "@/db/seed-api-costs";
import { systemActor } from "@/lib/actor";
import { costSummary } from "@/lib/services/api-costs/summary";
import { makeCustomer } from "../factories";

const NOW = new Date("2026-12-05T09:30:00Z");

describe("the demo's API costs", () => {
  it("seed three providers with example rates and three weeks of costs through the service, quickly", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: NOW };
    const customer = await makeCustomer(ctx);
    const started = performance.now();
    const { costs } = await seedDemoApiCosts(db, NOW);
    const seconds = (performance.now() - started) / 1000;
    console.info(`seeded ${costs} API costs in ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(10);
    expect(costs).toBeGreaterThan(3000);

    const [row] = await queryRows<{ providers: number; notes: number; days: number; attributed: number }>(
      db,
      sql`select (select count(*)::int from cost_providers) as providers,
                 (select count(*)::int from cost_rates where note like 'Example rate%') as notes,
                 (select count(distinct date_trunc('day', "timestamp", 'UTC'))::int from api_costs) as days,
                 (select count(*)::int from api_costs where customer_id = ${customer.id}) as attributed`,
    );
    expect(row).toEqual({ providers: 3, notes: 5, days: 21, attributed: expect.any(Number) });
    expect(row?.attributed).toBeGreaterThan(100);

    const byProvider = await costSummary(ctx, { from: new Date(NOW.getTime() - 30 * 86_400_000), to: NOW, groupBy: "provider" });
    expect(byProvider.currency).toBe("aud");
    expect(byProvider.data.map((r) => r.key).sort()).toEqual(["geoscape", "openai", "smartystreets"]);
    expect(byProvider.data.every((r) => r.cost > 0)).toBe(true);
  });
});
