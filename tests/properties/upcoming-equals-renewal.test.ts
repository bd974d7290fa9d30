import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { clockCustomer, draftMoney, invoiceMoney, invoicesOf } from "../scenarios/support";
import { inBothApplyModes } from "../scenarios/apply-modes";
import { makePlan } from "../factories";

/**
 * R10: the upcoming invoice is the invoice. For random plans (amount, interval, tax behaviour),
 * customers (time zone, taxed in Australia or not) and start instants, the preview taken one period
 * ahead equals — line by line and in every total — the renewal the test clock produces
 * when it reaches the previewed date, on the previewed period.
 */
const ZONES = ["UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"] as const;

const planArb = fc.record({
  amount: fc.integer({ min: 1, max: 100_000 }),
  interval: fc.constantFrom("month" as const, "year" as const, "week" as const),
  taxBehavior: fc.constantFrom("inclusive" as const, "exclusive" as const),
  quantity: fc.integer({ min: 1, max: 5 }),
});
const customerArb = fc.record({
  timezone: fc.constantFrom(...ZONES),
  country: fc.constantFrom("AU", "NZ"),
  // Any instant in 2026–2030, to the millisecond.
  start: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 11, 31) }).map((ms) => new Date(ms)),
});

describe("property: upcoming invoice = renewal invoice (R10)", () => {
  it("for random plans, zones and start times", async () => {
    await fc.assert(
      fc.asyncProperty(planArb, customerArb, inBothApplyModes(async (plan, who) => {
        const { ctx, customerId, advance } = await clockCustomer(who.start, { timezone: who.timezone, country: who.country });
        const { priceId } = await makePlan(ctx.db, { code: "prop", name: "Plan", unitAmount: plan.amount, interval: plan.interval, taxBehavior: plan.taxBehavior });
        const { subscription } = await createSubscription(ctx, { customerId, items: [{ priceId, quantity: plan.quantity }] });
        // The first two renewals, each previewed one period ahead.
        for (const n of [2, 3]) {
          const upcoming = await upcomingInvoice(ctx, subscription.id);
          await advance(upcoming.date);
          const invoices = await invoicesOf(subscription.id);
          expect(invoices).toHaveLength(n);
          const renewal = invoices[n - 1]!;
          expect(renewal.billingReason).toBe(upcoming.billingReason);
          expect(renewal.createdAt).toEqual(upcoming.date);
          expect({ start: renewal.periodStart, end: renewal.periodEnd }).toEqual(upcoming.period);
          expect(invoiceMoney(renewal)).toEqual(draftMoney(upcoming.invoice));
          // Renewals follow on from the previous period without a gap.
          expect(renewal.periodStart).toEqual(invoices[n - 2]!.periodEnd);
        }
      })),
      { numRuns: 15 },
    );
  });
});
