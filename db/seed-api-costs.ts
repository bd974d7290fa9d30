import { asc } from "drizzle-orm";
import type { Db } from "./client";
import { customers } from "./schema";
import { systemActor } from "@/lib/actor";
import { createCostProvider, type CostProviderInput } from "@/lib/services/api-costs/providers";
import { recordApiCosts, type ApiCostInput } from "@/lib/services/api-costs/record-api-costs";
import { recordFxRate } from "@/lib/services/api-costs/fx";
import { seededRandom } from "@/lib/seeded-random";
import { DAY_MS } from "@/lib/time";


/**
 * The demo's API-cost providers. Rates are plausible examples, not the providers' price lists
 * (each says so in its note): OpenAI per token in US cents (gpt-4o-mini-style: $0.15 per million
 * input tokens = 0.000015 cents a token), Geoscape per address lookup in AU cents, SmartyStreets per
 * lookup in US cents.
 */
export function demoCostProviders(ratesFrom: Date): CostProviderInput[] {
  const example = "Example rate for the demo, not the provider's price list.";
  return [
    {
      code: "openai",
      name: "OpenAI (example rates)",
      regions: ["AU", "US"],
      quota: { limit: 50_000_000, period: "month" },
      rates: [
        { operation: "prompt", unit: "token", unitCostDecimal: "0.000015", currency: "usd", effectiveFrom: ratesFrom, note: `${example} gpt-4o-mini-style input tokens.` },
        { operation: "completion", unit: "token", unitCostDecimal: "0.00006", currency: "usd", effectiveFrom: ratesFrom, note: `${example} gpt-4o-mini-style output tokens.` },
      ],
    },
    {
      code: "geoscape",
      name: "Geoscape (AU, example rates)",
      regions: ["AU"],
      quota: { limit: 20_000, period: "day" },
      rates: [
        { operation: "address_lookup", unit: "lookup", unitCostDecimal: "0.9", currency: "aud", effectiveFrom: ratesFrom, note: example },
        { operation: "geocode", unit: "lookup", unitCostDecimal: "1.2", currency: "aud", effectiveFrom: ratesFrom, note: example },
      ],
    },
    {
      code: "smartystreets",
      name: "SmartyStreets (US, example rates)",
      regions: ["US"],
      quota: { limit: 250_000, period: "month" },
      rates: [{ operation: "address_lookup", unit: "lookup", unitCostDecimal: "0.4", currency: "usd", effectiveFrom: ratesFrom, note: example }],
    },
  ];
}

/**
 * Demo API costs: the three providers, a USD→AUD rate for each day, and `days` days of costs up
 * to `now`, about 200 a day, some attributed to the demo's customers. Each day is recorded through
 * the service in one batch, as it would have arrived that day (the service's clock is the day's
 * end), so costs older than the late window are accepted as they were then.
 */
export async function seedDemoApiCosts(db: Db, now: Date, days = 21): Promise<{ costs: number }> {
  const actor = systemActor("seed");
  const ctx = { db, actor, now };
  const todayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  // In force from before the first seeded cost.
  for (const provider of demoCostProviders(new Date(todayStart - days * DAY_MS))) await createCostProvider(ctx, provider);
  const demoCustomers = (await db.select({ id: customers.id }).from(customers).orderBy(asc(customers.createdAt), asc(customers.id))).map((c) => c.id);
  const random = seededRandom(17);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let total = 0;
  for (let d = days - 1; d >= 0; d -= 1) {
    const dayStart = todayStart - d * DAY_MS;
    const dayEnd = Math.min(dayStart + DAY_MS - 1, now.getTime());
    const date = new Date(dayStart).toISOString().slice(0, 10);
    await recordFxRate({ ...ctx, now: new Date(dayEnd) }, { base: "usd", quote: "aud", rate: (1.5 + 0.04 * Math.sin(d / 3)).toFixed(4), date });
    const weekday = new Date(dayStart).getUTCDay();
    const busy = weekday === 0 || weekday === 6 ? 0.6 : 1;
    const costs: ApiCostInput[] = [];
    const at = () => new Date(dayStart + Math.floor(random() * (dayEnd - dayStart)));
    const customer = () => (demoCustomers.length > 0 && random() < 0.6 ? pick(demoCustomers) : undefined);
    const requests = Math.round(60 * busy);
    for (let n = 0; n < requests; n += 1) {
      const who = customer();
      const timestamp = at();
      const id = `demo-${date}-oai-${n}`;
      costs.push({ identifier: `${id}:prompt`, provider: "openai", operation: "prompt", region: "AU", units: 400 + Math.floor(random() * 3000), customer: who, timestamp, properties: { model: "gpt-4o-mini" } });
      costs.push({ identifier: `${id}:completion`, provider: "openai", operation: "completion", region: "AU", units: 100 + Math.floor(random() * 900), customer: who, timestamp, properties: { model: "gpt-4o-mini" } });
    }
    for (let n = 0; n < Math.round(50 * busy); n += 1) {
      costs.push({ identifier: `demo-${date}-geo-${n}`, provider: "geoscape", operation: random() < 0.8 ? "address_lookup" : "geocode", region: "AU", units: 1, customer: customer(), timestamp: at() });
    }
    for (let n = 0; n < Math.round(30 * busy); n += 1) {
      costs.push({ identifier: `demo-${date}-smarty-${n}`, provider: "smartystreets", operation: "address_lookup", region: "US", units: 1, customer: customer(), timestamp: at() });
    }
    const outcomes = await recordApiCosts({ ...ctx, now: new Date(dayEnd) }, costs);
    const refused = outcomes.find((o) => o.status === "rejected");
    if (refused && refused.status === "rejected") throw new Error(`demo API cost refused: ${refused.problem.detail}`);
    total += outcomes.filter((o) => o.status === "accepted").length;
  }
  return { costs: total };
}
