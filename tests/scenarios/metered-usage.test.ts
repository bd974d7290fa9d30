import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import type { MeterTermsInput } from "@/lib/usage/meter-terms";
import { inBothApplyModes } from "./apply-modes";
import { clockCustomer, invoiceView, invoicesOf } from "./support";
import { makePlan } from "../factories";
import { meteredPlan, usage } from "../usage/metered-support";

/**
 * Metered items billed in arrears (decision 030), in minor units. Sydney is on AEST (UTC+10) in
 * June and July 2027: the period is 1 Jun 09:00 → 1 Jul 09:00 local.
 */
const START = new Date("2027-05-31T23:00:00Z");
const P1_END = "2027-06-30T23:00:00.000Z";
const P2_END = "2027-07-31T23:00:00.000Z";
/** "API calls": first 1,000 free, then A$0.002 (0.2 cents) each — graduated. */
const FREE_THEN_POINT_TWO = { billingScheme: "tiered" as const, tiersMode: "graduated" as const, tiers: [{ up_to: 1000, unit_amount: 0 }, { up_to: null, unit_amount_decimal: "0.2" }] };

describe("scenario: metered usage billed in arrears", () => {
  it("a licensed plan and graduated API calls: the renewal bills July in advance and June's 1,500 calls (500 × 0.2 = 100)", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const { priceId: pro } = await makePlan(ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
    const calls = await meteredPlan(ctx, "graduated", { aggregation: "sum", valueProperty: "calls" }, FREE_THEN_POINT_TWO);
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: pro, quantity: 1 }, { priceId: calls.priceId, quantity: 1 }] });
    // The first invoice bills the licensed plan only: usage is billed when it has happened.
    expect((await invoicesOf(subscription.id))[0]?.lines.map((l) => l.description)).toEqual(["Pro"]);

    await advance("2027-06-10T00:00:00Z");
    await usage(ctx, calls.meter.code, customerId, [
      { at: "2027-06-01T00:00:00Z", properties: { calls: 600 } },
      { at: "2027-06-05T12:34:56Z", properties: { calls: 700 } },
      { at: "2027-06-09T23:59:59Z", properties: { calls: 200 } },
    ]);
    await advance("2027-07-01T00:00:00Z");

    const [, renewal] = await invoicesOf(subscription.id);
    expect(renewal && invoiceView(renewal)).toMatchObject({
      billingReason: "subscription_cycle",
      status: "paid",
      subtotal: 3000,
      tax: 264 + 9,
      lines: [
        { description: "Pro", amount: 2900, quantity: 1, proration: false, periodStart: P1_END, periodEnd: P2_END, tax: 264 },
        { description: "API calls usage", amount: 100, quantity: 1500, proration: false, periodStart: START.toISOString(), periodEnd: P1_END, tax: 9 },
      ],
    });
  }));

  it("canceling mid-period bills the usage so far on a final invoice (1,200 calls → 200 × 0.2 = 40)", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const calls = await meteredPlan(ctx, "cancel-now", { aggregation: "count" }, FREE_THEN_POINT_TWO);
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: calls.priceId, quantity: 1 }] });
    await advance("2027-06-16T04:30:00Z");
    const minutes = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ at: new Date(START.getTime() + (from + i) * 60_000) }));
    await usage(ctx, calls.meter.code, customerId, minutes(0, 1000));
    await usage(ctx, calls.meter.code, customerId, minutes(1000, 200), 1000);
    await cancelSubscription({ ...ctx }, subscription.id, { atPeriodEnd: false });

    const invoices = await invoicesOf(subscription.id);
    const final = invoices.at(-1);
    expect(final && invoiceView(final)).toMatchObject({
      billingReason: "subscription_update",
      subtotal: 40,
      lines: [{ description: "API calls usage", amount: 40, quantity: 1200, periodStart: START.toISOString(), periodEnd: "2027-06-16T04:30:00.000Z" }],
    });
  }));

  /**
   * One metered subscription, events reported during June, the renewal on 1 Jul: the June usage
   * line as the renewal invoice has it.
   */
  async function juneUsageLine(slug: string, meter: MeterTermsInput, price: Parameters<typeof meteredPlan>[3], events: Parameters<typeof usage>[3]) {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const calls = await meteredPlan(ctx, slug, meter, price);
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: calls.priceId, quantity: 1 }] });
    await advance("2027-06-20T00:00:00Z");
    const outcomes = await usage(ctx, calls.meter.code, customerId, events);
    await advance("2027-07-01T00:00:00Z");
    const renewal = (await invoicesOf(subscription.id)).find((i) => i.billingReason === "subscription_cycle");
    return { line: renewal && invoiceView(renewal).lines, outcomes };
  }
  const june = (day: number) => `2027-06-${String(day).padStart(2, "0")}T03:00:00Z`;
  const sumOf = (...values: number[]) => values.map((v, i) => ({ at: june(i + 1), properties: { n: v } }));
  const SUM: MeterTermsInput = { aggregation: "sum", valueProperty: "n" };
  const usageOf = (amount: number, quantity: number) => [{ description: "API calls usage", amount, quantity, periodStart: START.toISOString(), periodEnd: P1_END }];

  it("volume tiers: 1,500 calls all priced at the tier reached (0.2) = 300", inBothApplyModes(async () => {
    const { line } = await juneUsageLine("volume", SUM, { billingScheme: "tiered", tiersMode: "volume", tiers: [{ up_to: 1000, unit_amount_decimal: "0.3" }, { up_to: null, unit_amount_decimal: "0.2" }] }, sumOf(1000, 500));
    expect(line).toMatchObject(usageOf(300, 1500));
  }));

  it("package: A$5.00 per 1,000 calls, 2,001 calls are 3 packages = 1,500", inBothApplyModes(async () => {
    const { line } = await juneUsageLine("package", SUM, { unitAmount: 500, packageSize: 1000 }, sumOf(2000, 1));
    expect(line).toMatchObject(usageOf(1500, 2001));
  }));

  it("A$0.0015 per call × 1,234,567 calls = 185,185.05 cents, rounded once to 185,185", inBothApplyModes(async () => {
    const { line } = await juneUsageLine("decimal", SUM, { unitAmountDecimal: "0.15" }, sumOf(1_000_000, 234_567));
    expect(line).toMatchObject(usageOf(185_185, 1_234_567));
  }));

  it("included units: the first 1,000 free, a flat A$1.00 once the second tier is reached, then 0.2 each", inBothApplyModes(async () => {
    const { line } = await juneUsageLine("included", SUM, { billingScheme: "tiered", tiersMode: "graduated", tiers: [{ up_to: 1000, unit_amount: 0 }, { up_to: null, unit_amount_decimal: "0.2", flat_amount: 100 }] }, sumOf(999, 2));
    // 1,001 calls: 1 in the second tier → 100 flat + 0.2 → 100.2 → 100.
    expect(line).toMatchObject(usageOf(100, 1001));
  }));

  it("unique_count over a property: 5 events from 3 distinct users × A$1.00 = 300", inBothApplyModes(async () => {
    const users = ["ann", "bob", "ann", "cy", "bob"].map((user, i) => ({ at: june(i + 1), properties: { user } }));
    const { line } = await juneUsageLine("unique", { aggregation: "unique_count", uniqueProperty: "user" }, { unitAmount: 100 }, users);
    expect(line).toMatchObject(usageOf(300, 3));
  }));

  it("max: the period's highest reading (12 of 5, 12, 7) × A$1.00 = 1,200", inBothApplyModes(async () => {
    const { line } = await juneUsageLine("max", { aggregation: "max", valueProperty: "n" }, { unitAmount: 100 }, sumOf(5, 12, 7));
    expect(line).toMatchObject(usageOf(1200, 12));
  }));

  it("a duplicate identifier is ignored: the same event sent three times counts once", inBothApplyModes(async () => {
    const once = { at: june(3), properties: { n: 40 }, identifier: "same" };
    const { line, outcomes } = await juneUsageLine("duplicate", SUM, { unitAmount: 10 }, [once, once, once, { at: june(4), properties: { n: 2 } }]);
    expect(outcomes.map((o) => o.status)).toEqual(["accepted", "duplicate", "duplicate", "accepted"]);
    expect(line).toMatchObject(usageOf(420, 42));
  }));

  it("an event 3 days late is billed on a supplemental invoice (usage_late) in the tier it lands in; the renewal invoice never changes", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const calls = await meteredPlan(ctx, "late", SUM, FREE_THEN_POINT_TWO);
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: calls.priceId, quantity: 1 }] });
    await advance("2027-06-20T00:00:00Z");
    await usage(ctx, calls.meter.code, customerId, [{ at: june(2), properties: { n: 900 } }]);
    await advance("2027-07-04T00:00:00Z");
    const renewal = (await invoicesOf(subscription.id)).find((i) => i.billingReason === "subscription_cycle");
    const before = renewal && invoiceView(renewal);
    expect(before?.lines).toMatchObject(usageOf(0, 900));

    // Reported on 4 Jul for 30 Jun: 600 more calls, 100 of them still free.
    const [outcome] = await usage(ctx, calls.meter.code, customerId, [{ at: "2027-06-30T10:00:00Z", properties: { n: 600 } }], 1);
    expect(outcome).toMatchObject({ status: "accepted", event: { late: true } });
    await advance("2027-07-04T01:00:00Z");

    const all = await invoicesOf(subscription.id);
    const late = all.filter((i) => i.billingReason === "usage_late");
    expect(late.map(invoiceView)).toMatchObject([
      { status: "paid", subtotal: 100, periodStart: START.toISOString(), periodEnd: P1_END, lines: [{ description: "API calls usage reported late", amount: 100, quantity: 600, periodStart: START.toISOString(), periodEnd: P1_END }] },
    ]);
    expect(late[0]?.finalizedAt?.toISOString()).toBe("2027-07-04T00:00:00.000Z");
    const again = all.find((i) => i.id === renewal?.id);
    expect(again && invoiceView(again)).toEqual(before);

    // Advancing again bills nothing more.
    await advance("2027-07-05T00:00:00Z");
    expect((await invoicesOf(subscription.id)).filter((i) => i.billingReason === "usage_late")).toHaveLength(1);
  }));

  it("an event 9 days late is refused (usage_event_too_old) and nothing is billed for it", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const calls = await meteredPlan(ctx, "too-old", SUM, { unitAmount: 10 });
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: calls.priceId, quantity: 1 }] });
    await advance("2027-07-09T23:30:00Z");
    const [outcome] = await usage(ctx, calls.meter.code, customerId, [{ at: "2027-06-30T22:00:00Z", properties: { n: 5 } }]);
    expect(outcome).toMatchObject({ status: "rejected", problem: { code: "usage_event_too_old", param: "timestamp" } });
    await advance("2027-07-10T00:00:00Z");
    expect((await invoicesOf(subscription.id)).map((i) => i.billingReason)).toEqual(["subscription_create", "subscription_cycle"]);
  }));

  it("an upgrade mid-period bills the usage so far at the old price and the rest at the new, both on the renewal", inBothApplyModes(async () => {
    const { ctx, customerId, advance } = await clockCustomer(START);
    const basic = await meteredPlan(ctx, "upgrade-basic", SUM, { unitAmountDecimal: "0.3" }, "Basic calls");
    const pro = await meteredPlan(ctx, "upgrade-pro", SUM, { unitAmountDecimal: "0.1" }, "Pro calls");
    const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: basic.priceId, quantity: 1 }] });
    await advance("2027-06-16T04:30:00Z");
    await usage(ctx, basic.meter.code, customerId, [{ at: june(2), properties: { n: 1000 } }]);
    await updateSubscription(ctx, subscription.id, { items: [{ priceId: pro.priceId, quantity: 1 }], prorationBehavior: "create_prorations", effective: "now" });
    await advance("2027-06-20T00:00:00Z");
    await usage(ctx, pro.meter.code, customerId, [{ at: june(18), properties: { n: 2000 } }, { at: june(19), properties: { n: 1 } }]);
    // The old meter's events after the change are not billed by the new price (it measures its own meter).
    await usage(ctx, basic.meter.code, customerId, [{ at: june(19), properties: { n: 50 } }], 1);
    await advance("2027-07-01T00:00:00Z");

    const renewal = (await invoicesOf(subscription.id)).find((i) => i.billingReason === "subscription_cycle");
    const CHANGE = "2027-06-16T04:30:00.000Z";
    expect(renewal && invoiceView(renewal).lines).toEqual([
      // 2,001 × 0.1 = 200.1 → 200, from the change to the period end.
      expect.objectContaining({ description: "Pro calls usage", amount: 200, quantity: 2001, periodStart: CHANGE, periodEnd: P1_END }),
      // 1,000 × 0.3 = 300, from the period start to the change (a pending line the change left).
      expect.objectContaining({ description: "Basic calls usage", amount: 300, quantity: 1000, periodStart: START.toISOString(), periodEnd: CHANGE }),
    ]);
  }));
});
