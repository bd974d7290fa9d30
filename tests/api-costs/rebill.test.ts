import { afterEach, describe, expect, it } from "vitest";
import { and, eq, like } from "drizzle-orm";
import { getDb } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { randomToken } from "@/lib/ids";
import { addDecimal, multiplyDecimals, parseDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import { createCostProvider, updateCostProvider } from "@/lib/services/api-costs/providers";
import { recordApiCosts, type ApiCostInput } from "@/lib/services/api-costs/record-api-costs";
import { recordFxRate } from "@/lib/services/api-costs/fx";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { AppError } from "@/lib/errors";
import { settleUsageThresholds } from "@/lib/services/usage/usage-thresholds";
import { clockCustomer, invoiceView, invoicesOf } from "../scenarios/support";
import { meteredPlan } from "../usage/metered-support";

/**
 * Pass-through rebilling (decision 031): a provider that rebills with a 20% markup feeds each cost
 * attributed to a customer into a sum meter, in AUD minor units; a metered price of one cent per
 * unit bills it on the renewal. Sydney is on AEST in June 2027: the period is 1 Jun → 1 Jul 09:00 local.
 */
const START = new Date("2027-05-31T23:00:00Z");
const NOW = new Date("2027-06-10T00:00:00Z");
const code = (p: string) => `${p}_${randomToken(6).toLowerCase()}`;
const sum = (values: ExactDecimal[]) => values.reduce(addDecimal, ZERO_DECIMAL);

async function rebillingCustomer() {
  const { ctx, customerId, advance } = await clockCustomer(START);
  const plan = await meteredPlan(ctx, code("rebill"), { aggregation: "sum", valueProperty: "amount" }, { unitAmountDecimal: "1" }, "OpenAI pass-through");
  const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: plan.priceId, quantity: 1 }] });
  const provider = code("oai");
  await createCostProvider(ctx, {
    code: provider,
    name: "OpenAI (example rates)",
    rates: [{ operation: "completion", unit: "token", unitCostDecimal: "0.0015", currency: "usd", effectiveFrom: new Date("2027-01-01Z") }],
    rebill: { meter: plan.meter.code, markupBps: 2000, currency: "aud" },
  });
  await advance(NOW);
  return { ctx: { ...ctx, now: NOW }, customerId, advance, subscription, provider, meter: plan.meter.code };
}

const rebillEvents = async (meter: string) => {
  const db = await getDb();
  return db
    .select()
    .from(usageEvents)
    .where(and(eq(usageEvents.meterCode, meter), like(usageEvents.identifier, "api_cost:%")));
};

// Rebilled usage is checked against limits after the commit, off the request: let it finish.
afterEach(settleUsageThresholds);

describe("pass-through rebilling of API costs", () => {
  it("bills Σ cost × 1.2, converted to AUD, on the renewal, rounded once; a duplicate cost adds nothing", async () => {
    const { ctx, customerId, advance, subscription, provider, meter } = await rebillingCustomer();
    await recordFxRate(ctx, { base: "usd", quote: "aud", rate: "1.5", date: "2027-05-01" });
    const cost = (identifier: string, more: Partial<ApiCostInput>): ApiCostInput => ({ identifier: `${provider}-${identifier}`, provider, operation: "completion", units: 0, customer: customerId, ...more });
    const first = await recordApiCosts(ctx, [
      cost("a", { units: 123_457, timestamp: new Date("2027-06-05T01:00:00Z") }), // 185.1855 US cents → 277.77825 AUD cents
      cost("b", { units: 1, costDecimal: "40.4", currency: "aud", timestamp: new Date("2027-06-06T01:00:00Z") }), // 40.4 AUD cents
      cost("a", { units: 999_999, timestamp: new Date("2027-06-05T02:00:00Z") }), // the same identifier in the batch: the first wins
      { ...cost("anon", { units: 10_000, timestamp: new Date("2027-06-06T01:00:00Z") }), customer: undefined }, // no customer: tracked, not rebilled
    ]);
    expect(first.map((o) => o.status)).toEqual(["accepted", "accepted", "duplicate", "accepted"]);
    // A retry, and one more cost: 1,000 tokens = 1.5 US cents → 2.25 AUD cents.
    const second = await recordApiCosts(ctx, [cost("a", { units: 123_457, timestamp: new Date("2027-06-05T01:00:00Z") }), cost("c", { units: 1000, timestamp: new Date("2027-06-09T01:00:00Z") })]);
    expect(second.map((o) => o.status)).toEqual(["duplicate", "accepted"]);

    const events = await rebillEvents(meter);
    expect(events.map((e) => [e.identifier, e.properties.amount]).sort()).toEqual([
      [`api_cost:${provider}-a`, "333.3339"],
      [`api_cost:${provider}-b`, "48.48"],
      [`api_cost:${provider}-c`, "2.7"],
    ]);

    await advance("2027-07-01T00:00:00Z");
    const renewal = (await invoicesOf(subscription.id)).find((i) => i.billingReason === "subscription_cycle");
    // Σ = 320.42825 × 1.2 = 384.5139 AUD cents; the usage line bills started units: 385 (rounding each cost first would give 386).
    const exact = multiplyDecimals(sum(["277.77825", "40.4", "2.25"].map((v) => parseDecimal(v))), parseDecimal("1.2"));
    expect(exact).toEqual(parseDecimal("384.513900"));
    expect(renewal && invoiceView(renewal).lines).toMatchObject([{ description: "OpenAI pass-through usage", quantity: 385, amount: 385, periodStart: START.toISOString(), periodEnd: "2027-06-30T23:00:00.000Z" }]);
  });

  it("refuses a cost it cannot rebill (no exchange rate for its day) and rebills only costs recorded while rebilling is on", async () => {
    const { ctx, customerId, provider, meter } = await rebillingCustomer();
    const outcomes = await recordApiCosts(ctx, [
      { identifier: `${provider}-nzd`, provider, operation: "completion", units: 1, costDecimal: "10", currency: "nzd", customer: customerId, timestamp: new Date("2027-06-08T00:00:00Z") },
      { identifier: `${provider}-aud`, provider, operation: "completion", units: 1, costDecimal: "10", currency: "aud", customer: customerId, timestamp: new Date("2027-06-08T00:00:00Z") },
    ]);
    expect(outcomes[0]).toMatchObject({ status: "rejected", problem: { code: "fx_rate_missing", param: "currency" } });
    expect(outcomes[1]).toMatchObject({ status: "accepted" });
    expect((await rebillEvents(meter)).map((e) => e.properties.amount)).toEqual(["12"]);

    const { provider: row } = await createCostProvider(ctx, { code: code("geo"), name: "Geoscape", rebill: null });
    expect(row.rebillMeter).toBeNull();
    const geo = (n: number): ApiCostInput => ({ identifier: `${row.code}-${n}`, provider: row.code, operation: "lookup", units: 1, costDecimal: "5", currency: "aud", customer: customerId, timestamp: new Date("2027-06-08T00:00:00Z") });
    expect((await recordApiCosts(ctx, [geo(1)])).map((o) => o.status)).toEqual(["accepted"]);
    expect((await rebillEvents(meter)).length).toBe(1);
    // Switched on later: a retry of a cost recorded before is a duplicate and is not rebilled; a new cost is.
    await updateCostProvider(ctx, row.id, { rebill: { meter, markupBps: 0, currency: "aud" } });
    expect((await recordApiCosts(ctx, [geo(1), geo(2)])).map((o) => o.status)).toEqual(["duplicate", "accepted"]);
    const byIdentifier = new Map((await rebillEvents(meter)).map((e) => [e.identifier, e.properties.amount]));
    expect(byIdentifier).toEqual(
      new Map([
        [`api_cost:${provider}-aud`, "12"],
        [`api_cost:${row.code}-2`, "5"],
      ]),
    );
    await expect(updateCostProvider(ctx, row.id, { rebill: { meter: "no-such-meter", markupBps: 0, currency: "aud" } })).rejects.toSatisfy((e) => e instanceof AppError && e.code === "meter_unknown");
  });
});
