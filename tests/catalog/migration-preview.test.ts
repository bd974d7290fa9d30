import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import { step } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import type { PriceTerms, SubscriptionItemTerms } from "@/lib/billing/types";
import { divRoundHalfAwayFromZero } from "@/lib/money";
import type { Interval } from "@/lib/time";
import {
  MIGRATABLE_STATUSES,
  describeMigration,
  migrationTotals,
  movingItems,
  scheduleMigration,
  type MigrationCandidate,
  type MigrationPrice,
} from "@/lib/services/catalog/price-migration-preview";

/**
 * The preview's arithmetic, over random books of subscriptions: the count is the subscriptions
 * whose next renewal bills the old version, MRR is exact up to one rounding per figure (and exact
 * for monthly prices), neither depends on the order or the batches the subscriptions come in, and
 * the scheduled state bills the new version at the renewal and has nothing left to move.
 */
const STATUSES: SubscriptionStatus[] = ["active", "trialing", "past_due", "paused", "canceled", "incomplete", "unpaid"];
const FROM = "price_from";
const TO = "price_to";
const OTHER = "price_other";

const price = (id: string, unitAmount: number): PriceTerms => ({
  id,
  currency: "aud",
  taxBehavior: "inclusive",
  billingScheme: "per_unit",
  unitAmount,
  unitAmountDecimal: null,
  tiersMode: null,
  tiers: null,
  packageSize: null,
});

const intervalArb: fc.Arbitrary<Interval> = fc.record({ unit: fc.constantFrom("day" as const, "week" as const, "month" as const, "year" as const), count: fc.integer({ min: 1, max: 3 }) });
const itemsArb = fc.array(fc.record({ priceId: fc.constantFrom(FROM, TO, OTHER), quantity: fc.integer({ min: 0, max: 50 }) }), { minLength: 1, maxLength: 3 });
const candidateArb = fc.record({
  id: fc.uuid(),
  customerId: fc.constant("cus_x"),
  customerName: fc.constant(null),
  status: fc.constantFrom(...STATUSES),
  cancelAtPeriodEnd: fc.boolean(),
  items: itemsArb,
  pendingItems: fc.option(itemsArb, { nil: null }),
}) satisfies fc.Arbitrary<MigrationCandidate>;
const bookArb = fc.record({
  fromAmount: fc.integer({ min: 0, max: 1_000_000 }),
  toAmount: fc.integer({ min: 0, max: 1_000_000 }),
  interval: intervalArb,
  candidates: fc.array(candidateArb, { maxLength: 40 }),
});

const MONTHLY: Record<Interval["unit"], [bigint, bigint]> = { month: [1n, 1n], year: [1n, 12n], week: [52n, 12n], day: [365n, 12n] };
/** Σ quantity × amount per month, computed the long way: one fraction, rounded once. */
function expectedMrr(quantities: number[], amount: number, interval: Interval): number {
  const [num, den] = MONTHLY[interval.unit];
  const total = quantities.reduce((sum, q) => sum + BigInt(q) * BigInt(amount), 0n);
  return Number(divRoundHalfAwayFromZero(total * num, den * BigInt(interval.count)));
}

const prices = (fromAmount: number, toAmount: number, interval: Interval): [MigrationPrice, MigrationPrice] => [
  { terms: price(FROM, fromAmount), interval },
  { terms: price(TO, toAmount), interval },
];

describe("price migration preview (properties)", () => {
  it("counts the subscriptions whose next renewal bills the old version, with MRR rounded once per figure", () => {
    fc.assert(
      fc.property(bookArb, ({ fromAmount, toAmount, interval, candidates }) => {
        const [from, to] = prices(fromAmount, toAmount, interval);
        const totals = migrationTotals(candidates, from, to);
        const moving = candidates.filter((c) => MIGRATABLE_STATUSES.includes(c.status) && !c.cancelAtPeriodEnd && (c.pendingItems ?? c.items).some((i) => i.priceId === FROM));
        const quantities = moving.flatMap((c) => (c.pendingItems ?? c.items).filter((i) => i.priceId === FROM).map((i) => i.quantity));
        expect(totals.subscriptions).toBe(moving.length);
        expect(totals.items).toBe(quantities.length);
        expect(totals.mrrBefore).toBe(expectedMrr(quantities, fromAmount, interval));
        expect(totals.mrrAfter).toBe(expectedMrr(quantities, toAmount, interval));
        expect(totals.mrrDelta).toBe(totals.mrrAfter - totals.mrrBefore);
        // Two roundings: the difference is within one minor unit of the exact difference.
        const [num, den] = MONTHLY[interval.unit];
        const exactDelta = quantities.reduce((s, q) => s + BigInt(q) * BigInt(toAmount - fromAmount), 0n) * num;
        const exact = Number(exactDelta) / Number(den * BigInt(interval.count));
        expect(Math.abs(totals.mrrDelta - exact)).toBeLessThanOrEqual(1);
        if (interval.unit === "month" && interval.count === 1) {
          expect(totals.mrrDelta).toBe(quantities.reduce((s, q) => s + q * (toAmount - fromAmount), 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order or the batches the subscriptions come in", () => {
    fc.assert(
      fc.property(bookArb, fc.integer({ min: 1, max: 10 }), fc.integer(), ({ fromAmount, toAmount, interval, candidates }, batchSize, seed) => {
        const [from, to] = prices(fromAmount, toAmount, interval);
        const totals = migrationTotals(candidates, from, to);
        const shuffled = [...candidates].sort((a, b) => ((a.id.charCodeAt(0) ^ seed) & 7) - ((b.id.charCodeAt(0) ^ seed) & 7));
        expect(migrationTotals(shuffled, from, to)).toEqual(totals);
        let subscriptions = 0;
        let items = 0;
        for (let i = 0; i < candidates.length; i += batchSize) {
          const part = migrationTotals(candidates.slice(i, i + batchSize), from, to);
          subscriptions += part.subscriptions;
          items += part.items;
        }
        expect({ subscriptions, items }).toEqual({ subscriptions: totals.subscriptions, items: totals.items });
      }),
      { numRuns: 200 },
    );
  });

  it("the scheduled state bills the new version at the renewal, keeps everything else, and has nothing left to move", () => {
    const plan = (interval: Interval) => ({ id: "plan_pro", name: "Pro", interval, trialPeriodDays: 0 });
    fc.assert(
      fc.property(bookArb, ({ fromAmount, toAmount, interval, candidates }) => {
        const terms = { [FROM]: price(FROM, fromAmount), [TO]: price(TO, toAmount), [OTHER]: price(OTHER, 700) };
        const toItem: SubscriptionItemTerms = { price: terms[TO], plan: plan(interval), quantity: 1 };
        for (const c of candidates) {
          const asTerms = (items: readonly { priceId: string; quantity: number }[]) => items.map((i) => ({ price: terms[i.priceId as keyof typeof terms], plan: plan(interval), quantity: i.quantity }));
          const start = new Date("2027-01-31T00:00:00Z");
          const end = new Date("2027-02-28T00:00:00Z");
          const state: SubscriptionState = {
            status: c.status,
            currency: "aud",
            timeZone: "UTC",
            anchor: start,
            period: { start, end },
            trialEnd: c.status === "trialing" ? end : null,
            cancelAtPeriodEnd: c.cancelAtPeriodEnd,
            pausedAt: null,
            pauseResumesAt: null,
            items: asTerms(c.items),
            pendingChange: c.pendingItems ? { items: asTerms(c.pendingItems), effectiveAt: end } : null,
            discount: null,
            collectionMethod: "charge_automatically",
            hasPaymentMethod: true,
            pendingLines: [],
          };
          const moving = movingItems(c, FROM);
          const planned = scheduleMigration(state, FROM, toItem);
          expect(planned === null).toBe(moving.length === 0);
          if (!planned) continue;
          expect(planned.itemsMoved).toBe(moving.length);
          // The current period is untouched; a second run finds nothing.
          expect(planned.state.items).toBe(state.items);
          const refs = planned.state.pendingChange?.items.map((i) => ({ priceId: i.price.id, quantity: i.quantity })) ?? [];
          expect(scheduleMigration(planned.state, FROM, toItem)).toBeNull();
          expect(movingItems({ ...c, pendingItems: refs }, FROM)).toEqual([]);
          // The renewal (or trial end) bills the new version for exactly the moved quantities, and the rest as before.
          const renewal = step(planned.state);
          const lines = renewal?.invoice?.lines ?? [];
          const next = c.pendingItems ?? c.items;
          expect(lines.map((l) => [l.priceId === FROM ? TO : l.priceId, l.quantity])).toEqual(next.map((i) => [i.priceId === FROM ? TO : i.priceId, i.quantity]));
          expect(lines.filter((l) => l.priceId === FROM)).toEqual([]);
          const movedLines = lines.filter((l, i) => next[i]?.priceId === FROM);
          expect(movedLines.map((l) => l.amount)).toEqual(moving.map((m) => m.quantity * toAmount));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("says it in one sentence with the money effect", () => {
    const interval: Interval = { unit: "month", count: 1 };
    const [from, to] = prices(2900, 3500, interval);
    const candidates: MigrationCandidate[] = Array.from({ length: 42 }, (_, i) => ({ id: `sub_${i}`, customerId: "cus", customerName: null, status: "active", cancelAtPeriodEnd: false, items: [{ priceId: FROM, quantity: 1 }], pendingItems: null }));
    const totals = migrationTotals(candidates, from, to);
    expect(describeMigration(totals, { ...from, version: 1 }, { ...to, version: 2 })).toBe("42 subscriptions move from $29.00 to $35.00/month at their next renewal: MRR +$252.00");
    const down = migrationTotals([{ ...candidates[0]!, items: [{ priceId: TO, quantity: 1 }] }], to, from);
    expect(describeMigration(down, { ...to, version: 2 }, { ...from, version: 1 })).toBe("1 subscription moves from $35.00 to $29.00/month at their next renewal: MRR −$6.00");
    const yearly = { unit: "year", count: 1 } as const;
    expect(describeMigration(migrationTotals(candidates, { ...from, interval: yearly }, { ...to, interval: yearly }), { ...from, interval: yearly, version: 1 }, { ...to, interval: yearly, version: 2 })).toBe(
      "42 subscriptions move from $29.00 to $35.00/year at their next renewal: MRR +$21.00",
    );
  });
});
