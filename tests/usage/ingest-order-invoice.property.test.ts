import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { randomToken } from "@/lib/ids";
import { clockCustomer, invoicesOf } from "../scenarios/support";
import { meteredPlan, usage } from "./metered-support";

/**
 * Ingest order does not change any invoice (decision 030): the same June events — retried
 * duplicates, decimals, several in one hour — reported by two customers on two test clocks, one in
 * their order in one call, the other shuffled into random batches; after both renewals on 1 Jul,
 * the usage lines are equal, for a sum meter billed through graduated tiers with a sub-minor price.
 */
const START = new Date("2027-05-31T23:00:00Z");
const TIERS = { billingScheme: "tiered" as const, tiersMode: "graduated" as const, tiers: [{ up_to: 50, unit_amount: 0 }, { up_to: 500, unit_amount_decimal: "1.25" }, { up_to: null, unit_amount_decimal: "0.4", flat_amount: 30 }] };

const genCase = fc.record({
  events: fc.array(fc.record({ hour: fc.integer({ min: 0, max: 24 * 18 }), hundredths: fc.integer({ min: 0, max: 9_999 }) }), { minLength: 1, maxLength: 30 }),
  repeats: fc.array(fc.nat(), { maxLength: 6 }),
  batchSize: fc.integer({ min: 1, max: 7 }),
  order: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
});

describe("property: ingest order does not change any invoice", () => {
  it("the renewal's usage line is the same whichever order and batches the events came in", async () => {
    await fc.assert(
      fc.asyncProperty(genCase, async (c) => {
        const slug = `order-${randomToken(6).toLowerCase()}`;
        const events = c.events.map((e, i) => ({ at: new Date(START.getTime() + e.hour * 3_600_000 + 1000 * i), properties: { n: (e.hundredths / 100).toFixed(2) }, identifier: `e${i}` }));
        const retried = c.repeats.flatMap((r) => (events.length ? [events[r % events.length]!] : []));
        const inOrder = [...events, ...retried];
        const shuffled = inOrder.map((e, i) => ({ e, k: c.order[i % c.order.length]! * 100 + i })).sort((a, b) => a.k - b.k).map((x) => x.e);

        const lines = [];
        for (const [side, list] of [["a", inOrder], ["b", shuffled]] as const) {
          const { ctx, customerId, advance } = await clockCustomer(START);
          const plan = await meteredPlan(ctx, `${slug}-${side}`, { aggregation: "sum", valueProperty: "n" }, TIERS);
          const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId: plan.priceId, quantity: 1 }] });
          await advance("2027-06-20T00:00:00Z");
          const size = side === "a" ? list.length : c.batchSize;
          for (let i = 0; i < list.length; i += size) await usage(ctx, plan.meter.code, customerId, list.slice(i, i + size));
          await advance("2027-07-01T00:00:00Z");
          const renewal = (await invoicesOf(subscription.id)).find((inv) => inv.billingReason === "subscription_cycle");
          lines.push(renewal?.lines.map((l) => ({ amount: l.amount, quantity: l.quantity, tax: l.taxAmounts })));
        }
        expect(lines[1]).toEqual(lines[0]);
        expect(lines[0]).toHaveLength(1);
      }),
      { numRuns: 8 },
    );
  });
});
