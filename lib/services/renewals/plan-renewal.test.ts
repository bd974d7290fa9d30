import { customerRow, subscriptionRow } from "@/tests/factories";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PaymentMethodRow } from "@/db/queries/customers";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { step } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionItemTerms } from "@/lib/billing/types";
import { systemActor } from "@/lib/actor";
import type { IdKind, IdSource } from "@/lib/ids";
import { isBelowMinimumCharge } from "@/lib/payments/charge-minimums";
import { previewInvoice } from "../invoices/plan-invoice";
import { subscriptionStateOf } from "../subscriptions/load-state";
import { numberRenewals, planRenewal, type RenewalCandidate } from "./plan-renewal";

/**
 * The batching invariant of the billing run: a renewal's plan depends only on its own subscription,
 * so any partition of the due set into batches (each taking its block of invoice numbers in turn)
 * produces the same invoices, lines, totals, subscription updates, audit entries, events and
 * payments as planning the whole set at once or one subscription at a time, with one gap-free
 * number series; and each planned invoice is exactly what the one engine (step → buildInvoice)
 * computes for that subscription.
 */

const NOW = new Date("2026-10-20T00:00:00Z");
const CREATED = new Date("2026-09-15T00:00:00Z");
const DUE = new Date("2026-10-15T00:00:00Z");
const env = { now: NOW, actor: systemActor("billing-run"), requestId: undefined };

/** Deterministic ids per subscription, so plans made in different batches compare equal. */
function idsFor(subscriptionId: string): IdSource {
  let n = 0;
  return { newId: (kind: IdKind) => `${kind}_${subscriptionId}_${n++}`, token: () => `tok_${subscriptionId}_${n++}` };
}

/** true with probability p. */
const sometimes = (p: number) => fc.integer({ min: 0, max: 99 }).map((n) => n < p * 100);

const priceArb = fc.record({
  unitAmount: fc.integer({ min: 0, max: 250_000 }),
  taxBehavior: fc.constantFrom<"inclusive" | "exclusive">("inclusive", "exclusive"),
  quantity: fc.integer({ min: 1, max: 7 }),
});

const candidateArb = fc.record({
  items: fc.array(priceArb, { minLength: 1, maxLength: 3 }),
  currency: fc.constantFrom("aud", "jpy", "usd"),
  country: fc.constantFrom("AU", "NZ", "US", ""),
  taxExempt: fc.constantFrom<"none" | "exempt" | "reverse">("none", "none", "exempt"),
  creditBalance: fc.constantFrom(0, 0, 0, -300, 500),
  status: fc.constantFrom<SubscriptionRow["status"]>("active", "active", "active", "past_due", "unpaid", "trialing", "paused", "canceled"),
  cancelAtPeriodEnd: sometimes(0.1),
  coupon: fc.option(
    fc.record({
      percentOffBps: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
      amountOff: fc.integer({ min: 1, max: 50_000 }),
      duration: fc.constantFrom<"once" | "repeating" | "forever">("once", "repeating", "forever"),
      durationInPeriods: fc.integer({ min: 1, max: 3 }),
      periodsApplied: fc.integer({ min: 0, max: 3 }),
    }),
    { nil: null },
  ),
  collection: fc.constantFrom<"charge_automatically" | "send_invoice">("charge_automatically", "charge_automatically", "send_invoice"),
  paymentMethod: fc.constantFrom<"card" | "none" | "detached">("card", "card", "card", "none", "detached"),
  pendingChange: sometimes(0.08),
  pendingItems: sometimes(0.08),
  customerLocked: sometimes(0.05),
  dueLater: sometimes(0.05),
});

type CandidateSpec = typeof candidateArb extends fc.Arbitrary<infer T> ? T : never;

function candidate(spec: CandidateSpec, i: number): RenewalCandidate {
  const id = `sub_${String(i).padStart(4, "0")}`;
  const customer = customerRow({
    id: `cus_${i}`,
    createdAt: CREATED,
    currency: spec.currency,
    timezone: i % 2 ? "Australia/Sydney" : "UTC",
    address: { country: spec.country },
    taxExempt: spec.taxExempt,
    creditBalance: spec.creditBalance,
    defaultPaymentMethodId: spec.paymentMethod === "none" ? null : `pm_${i}`,
  });
  const periodEnd = spec.dueLater ? new Date("2026-10-25T00:00:00Z") : DUE;
  const row: SubscriptionRow = subscriptionRow({
    id,
    customerId: customer.id,
    status: spec.status,
    currency: spec.currency,
    createdAt: CREATED,
    currentPeriodStart: CREATED,
    currentPeriodEnd: periodEnd,
    trialStart: spec.status === "trialing" ? CREATED : null,
    trialEnd: spec.status === "trialing" ? periodEnd : null,
    cancelAtPeriodEnd: spec.cancelAtPeriodEnd,
    collectionMethod: spec.collection,
    daysUntilDue: spec.collection === "send_invoice" ? 14 : null,
    latestInvoiceId: `in_first_${i}`,
    pendingChange: spec.pendingChange ? { items: [{ price: `price_${i}_0`, quantity: 1 }], effective_at: periodEnd.toISOString(), requested_at: CREATED.toISOString() } : null,
    pausedAt: spec.status === "paused" ? CREATED : null,
    couponId: spec.coupon ? `cpn_${i}` : null,
    discountStart: spec.coupon ? CREATED : null,
    discountPeriodsApplied: spec.coupon?.periodsApplied ?? 0,
  });
  const items: SubscriptionItemTerms[] = spec.items.map((p, k) => ({
    quantity: p.quantity,
    plan: { id: `plan_${i}_${k}`, name: `Plan ${k}`, interval: { unit: "month", count: 1 }, trialPeriodDays: 0 },
    price: { id: `price_${i}_${k}`, currency: spec.currency, taxBehavior: p.taxBehavior, billingScheme: "per_unit", unitAmount: p.unitAmount, tiersMode: null, tiers: null, packageSize: null },
  }));
  const coupon = spec.coupon
    ? {
        id: `cpn_${i}`,
        name: "Coupon",
        percentOffBps: spec.coupon.percentOffBps,
        amountOff: spec.coupon.percentOffBps === null ? spec.coupon.amountOff : null,
        currency: spec.coupon.percentOffBps === null ? spec.currency : null,
        duration: spec.coupon.duration,
        durationInPeriods: spec.coupon.duration === "repeating" ? spec.coupon.durationInPeriods : null,
        appliesToPlans: null,
      }
    : null;
  const state = subscriptionStateOf(row, customer, {
    items,
    pendingChange: row.pendingChange ? { items, effectiveAt: periodEnd } : null,
    // Only the coupon's terms reach the state: the rest of its row is irrelevant here.
    coupon: coupon as Parameters<typeof subscriptionStateOf>[2]["coupon"],
    pendingLines: [],
  });
  const paymentMethod: PaymentMethodRow | null =
    spec.paymentMethod === "none"
      ? null
      : ({ id: `pm_${i}`, customerId: customer.id, gateway: "sandbox", gatewayId: `pm_card_visa:${i}`, detachedAt: spec.paymentMethod === "detached" ? CREATED : null } as PaymentMethodRow);
  return { subscription: row, customer: spec.customerLocked ? null : customer, state, paymentMethod, hasPendingItems: spec.pendingItems };
}

/** Cut the list into consecutive batches at the given (sorted, deduplicated) points. */
function partition<T>(list: T[], cuts: number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (list.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const p of [...points, list.length]) {
    if (p > from) out.push(list.slice(from, p));
    from = Math.max(from, p);
  }
  return out;
}

/** The billing run's planning over batches: each batch's fast renewals take the next block of numbers. */
function runBatches(batches: RenewalCandidate[][]) {
  let next = 1;
  const renewals = [];
  const fallbacks: string[] = [];
  for (const batch of batches) {
    const fast = [];
    for (const c of batch) {
      const planned = planRenewal(c, env, idsFor(c.subscription.id));
      if (planned.kind === "fast") fast.push(planned.plan);
      else fallbacks.push(c.subscription.id);
    }
    renewals.push(...numberRenewals(fast, next, "TLY-"));
    next += fast.length;
  }
  return { renewals, fallbacks, numbersTaken: next - 1 };
}

describe("batched renewals: any partition of the due set into batches gives the same results", () => {
  it("same plans as one batch and as one subscription at a time; one gap-free number series", () => {
    let fast = 0;
    let slow = 0;
    fc.assert(
      fc.property(fc.array(candidateArb, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (specs, cuts) => {
        const candidates = specs.map(candidate);
        const batched = runBatches(partition(candidates, cuts));
        const whole = runBatches([candidates]);
        const single = runBatches(candidates.map((c) => [c]));
        expect(batched).toEqual(whole);
        expect(single).toEqual(whole);

        // Gap-free: the numbers taken are exactly TLY-000001 … TLY-00000n, each once, in due order.
        const numbers = whole.renewals.map((r) => r.finalize.number);
        expect(numbers).toEqual(whole.renewals.map((_, k) => `TLY-${String(k + 1).padStart(6, "0")}`));
        expect(whole.numbersTaken).toBe(whole.renewals.length);
        // Every candidate is either renewed once on the fast path or left to the per-subscription path.
        expect(whole.renewals.length + whole.fallbacks.length).toBe(candidates.length);
        expect(new Set(whole.renewals.map((r) => `${r.invoice.subscriptionId}@${r.invoice.periodStart?.toISOString()}`)).size).toBe(whole.renewals.length);
        fast += whole.renewals.length;
        slow += whole.fallbacks.length;
      }),
      { numRuns: 150 },
    );
    // Both paths were exercised.
    expect(fast).toBeGreaterThan(100);
    expect(slow).toBeGreaterThan(100);
  });

  it("each fast renewal is the engine's own step and invoice; everything else falls back", () => {
    fc.assert(
      fc.property(candidateArb, (spec) => {
        const c = candidate(spec, 1);
        const planned = planRenewal(c, env, idsFor(c.subscription.id));
        const result = c.state ? step(c.state) : null;
        const due = result?.invoice && c.customer && c.state ? previewInvoice(c.customer, c.customer.currency, result.invoice.lines, result.invoice.discounted ? (c.state.discount?.terms ?? null) : null, result.at) : null;
        const simple =
          c.customer !== null &&
          c.customer.creditBalance === 0 &&
          !(due && isBelowMinimumCharge(due.amountDue, due.currency)) &&
          !c.hasPendingItems &&
          c.subscription.pendingChange === null &&
          result?.kind === "renewal" &&
          result.at <= NOW &&
          !(c.subscription.collectionMethod === "charge_automatically" && c.customer.defaultPaymentMethodId !== null && (!c.paymentMethod || c.paymentMethod.detachedAt));
        expect(planned.kind).toBe(simple ? "fast" : "fallback");
        if (planned.kind !== "fast" || !result?.invoice || !c.customer || !c.state) return;
        const { plan } = planned;
        const discount = result.invoice.discounted ? (c.state.discount?.terms ?? null) : null;
        const draft = previewInvoice(c.customer, c.customer.currency, result.invoice.lines, discount, result.at);
        expect(plan.invoice).toMatchObject({ subtotal: draft.subtotal, discountTotal: draft.discountTotal, tax: draft.tax, total: draft.total, amountDue: draft.amountDue, status: "draft" });
        expect(plan.lines.map((l) => [l.amount, l.discountAmount, l.taxAmounts])).toEqual(draft.lines.map((l) => [l.amount, l.discountAmount, l.taxAmounts]));
        expect([plan.subscription.currentPeriodStart, plan.subscription.currentPeriodEnd]).toEqual([result.state.period.start, result.state.period.end]);
        expect(plan.subscription.discountPeriodsApplied).toBe(result.state.discount?.periodsApplied ?? c.subscription.discountPeriodsApplied);
        // Paid at once when nothing is due; otherwise charged when a card is on file, else left open for the retry job.
        const charged = draft.amountDue > 0 && c.subscription.collectionMethod === "charge_automatically" && c.customer.defaultPaymentMethodId !== null;
        expect(plan.finalize.status).toBe(draft.amountDue === 0 ? "paid" : "open");
        expect(plan.payment !== null).toBe(charged);
        if (plan.payment) expect(plan.payment).toMatchObject({ amount: draft.amountDue, attempt: 1, idempotencyKey: `inv_${plan.invoice.id}_attempt_1`, status: "pending" });
        // Never a charge Stripe would refuse.
        if (plan.payment) expect(isBelowMinimumCharge(plan.payment.amount, plan.payment.currency)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("a renewal whose amount due is below the currency's minimum charge (A$0.30, ¥30), or a customer with a debit to collect, is left to the per-subscription path, uncharged", () => {
    const spec = (currency: CandidateSpec["currency"], unitAmount: number, creditBalance: CandidateSpec["creditBalance"] = 0): CandidateSpec => ({
      items: [{ unitAmount, taxBehavior: "exclusive", quantity: 1 }],
      currency,
      country: "US",
      taxExempt: "none",
      creditBalance,
      status: "active",
      cancelAtPeriodEnd: false,
      coupon: null,
      collection: "charge_automatically",
      paymentMethod: "card",
      pendingChange: false,
      pendingItems: false,
      customerLocked: false,
      dueLater: false,
    });
    const plan = (s: CandidateSpec) => {
      const c = candidate(s, 7);
      return planRenewal(c, env, idsFor(c.subscription.id));
    };
    expect(plan(spec("aud", 30))).toEqual({ kind: "fallback", reason: "amount due below the minimum charge" });
    expect(plan(spec("jpy", 30))).toEqual({ kind: "fallback", reason: "amount due below the minimum charge" });
    expect(plan(spec("aud", 1000, -300))).toEqual({ kind: "fallback", reason: "balance to apply" });
    // At the minimum it is a plain renewal, charged.
    const atMinimum = plan(spec("aud", 50));
    expect(atMinimum.kind).toBe("fast");
    if (atMinimum.kind === "fast") expect(atMinimum.plan.payment).toMatchObject({ amount: 50, currency: "aud" });
  });
});
