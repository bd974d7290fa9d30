import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
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
});
