import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RetentionOfferTerms } from "@/lib/billing/retention/vocabulary";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import { chooseOffer, DISCOUNT_COOLDOWN_DAYS, type CatalogPlan, type ChooseOfferInput, type PastOffer } from "./offer-policy";
import { addDays } from "@/lib/time";

// In UTC, where a calendar day is 24 hours (lib/billing/calendar-schedules.property.test.ts covers other zones).
const NOW = new Date("2027-06-10T00:00:00Z");

const terms: fc.Arbitrary<RetentionOfferTerms> = fc.oneof(
  fc.record({ kind: fc.constant("discount" as const), percent: fc.integer({ min: 1, max: 100 }), months: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("pause" as const), maxMonths: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("cheaper_plan" as const), planId: fc.option(fc.constantFrom("plan_a", "plan_b", "plan_c"), { nil: null }) }),
  fc.record({ kind: fc.constant("contact_support" as const), message: fc.constant("Talk to us"), url: fc.constant(null) }),
  fc.constant({ kind: "none" as const }),
);

const pastOffer: fc.Arbitrary<PastOffer> = fc.record({
  kind: fc.constantFrom("discount" as const, "pause" as const, "cheaper_plan" as const, "contact_support" as const),
  at: fc.integer({ min: 0, max: 800 }).map((daysAgo) => addDays(NOW, -daysAgo, "UTC")),
});

const catalogPlan: fc.Arbitrary<CatalogPlan> = fc.record({
  planId: fc.constantFrom("plan_a", "plan_b", "plan_c", "plan_current"),
  productId: fc.constantFrom("prod_1", "prod_2"),
  name: fc.constantFrom("A", "B", "C"),
  interval: fc.constantFrom("month", "year"),
  intervalCount: fc.constantFrom(1, 3),
  sortOrder: fc.integer({ min: 0, max: 5 }),
  price: fc.option(
    fc.record({
      id: fc.constantFrom("price_1", "price_2", "price_3"),
      unitAmount: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
      billingScheme: fc.constantFrom("per_unit", "tiered"),
      usageType: fc.constantFrom("licensed", "metered"),
    }),
    { nil: null },
  ),
});

const input: fc.Arbitrary<ChooseOfferInput> = fc.record({
  config: fc.record({ offer: terms, enabled: fc.boolean() }),
  subscription: fc.record({
    status: fc.constantFrom<SubscriptionStatus>("active", "trialing", "past_due"),
    hasDiscount: fc.boolean(),
    currency: fc.constant("aud"),
    items: fc.array(
      fc.record({
        planId: fc.constant("plan_current"),
        productId: fc.constantFrom("prod_1", "prod_2"),
        priceId: fc.constant("price_current"),
        unitAmount: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
        quantity: fc.integer({ min: 1, max: 5 }),
        interval: fc.constantFrom("month", "year"),
        intervalCount: fc.constantFrom(1, 3),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  history: fc.array(pastOffer, { maxLength: 5 }),
  catalog: fc.array(catalogPlan, { maxLength: 6 }),
  now: fc.constant(NOW),
  timeZone: fc.constant("UTC"),
});

describe("chooseOffer (property)", () => {
  it("is a pure function of reason config, subscription, history and catalog: the same inputs in any order give the same offer", () => {
    fc.assert(
      fc.property(input, fc.func(fc.integer()), (i, shuffleKey) => {
        const first = chooseOffer(i);
        const reordered = { ...structuredClone(i), history: [...i.history].sort((a, b) => shuffleKey(a) - shuffleKey(b)) };
        expect(chooseOffer(reordered)).toEqual(first);
        // The inputs are not modified.
        expect(chooseOffer(i)).toEqual(first);
      }),
    );
  });

  it("shows only the configured kind, never when disabled, and says why when it withholds one", () => {
    fc.assert(
      fc.property(input, (i) => {
        const decision = chooseOffer(i);
        if (decision.offer) {
          expect(decision.offer.terms).toEqual(i.config.offer);
          expect(i.config.enabled).toBe(true);
        } else if (i.config.offer.kind !== "none") {
          expect(decision.withheld).not.toBeNull();
        } else {
          expect(decision.withheld).toBeNull();
        }
      }),
    );
  });

  it("never offers a discount to a subscription shown one in the last 12 months, nor on top of a discount", () => {
    fc.assert(
      fc.property(input, (i) => {
        const decision = chooseOffer(i);
        if (decision.offer?.terms.kind !== "discount") return;
        const since = addDays(NOW, -DISCOUNT_COOLDOWN_DAYS, "UTC");
        expect(i.history.some((h) => h.kind === "discount" && h.at > since)).toBe(false);
        expect(i.subscription.hasDiscount).toBe(false);
        expect(i.subscription.items.every((item) => item.interval === "month")).toBe(true);
        expect(decision.offer.periods).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it("withholds the discount for exactly 12 months after the last one was shown, then offers it again", () => {
    const WINDOW_MS = NOW.getTime() - addDays(NOW, -DISCOUNT_COOLDOWN_DAYS, "UTC").getTime();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * WINDOW_MS }), (msAgo) => {
        const decision = chooseOffer({
          config: { offer: { kind: "discount", percent: 25, months: 3 }, enabled: true },
          subscription: { status: "active", hasDiscount: false, currency: "aud", items: [{ planId: "p", productId: "x", priceId: "pr", unitAmount: 1000, quantity: 1, interval: "month", intervalCount: 1 }] },
          history: [{ kind: "discount", at: new Date(NOW.getTime() - msAgo) }],
          catalog: [],
          now: NOW,
          timeZone: "UTC",
        });
        if (msAgo < WINDOW_MS) expect(decision).toEqual({ offer: null, withheld: "discount_shown_recently" });
        else expect(decision.offer).toEqual({ terms: { kind: "discount", percent: 25, months: 3 }, periods: 3 });
      }),
      { examples: [[0], [WINDOW_MS - 1], [WINDOW_MS]] },
    );
  });

  it("a cheaper plan offered is always another plan, on the same interval, strictly cheaper, billed per unit", () => {
    fc.assert(
      fc.property(input, (i) => {
        const decision = chooseOffer(i);
        const plan = decision.offer?.plan;
        if (!plan) return;
        const current = i.subscription.items[0]!;
        const entry = i.catalog.find((c) => c.planId === plan.id && c.price?.id === plan.priceId)!;
        expect(plan.id).not.toBe(current.planId);
        expect(entry.interval).toBe(current.interval);
        expect(entry.intervalCount).toBe(current.intervalCount);
        expect(plan.unitAmount).toBeLessThan(current.unitAmount!);
        expect(entry.price?.billingScheme).toBe("per_unit");
      }),
    );
  });
});
