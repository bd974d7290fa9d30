import { subscriptionRow } from "@/tests/factories";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { systemActor } from "@/lib/actor";
import { nextAttemptAfterFailure } from "@/lib/billing/retries/policy";
import { checkEventPayload } from "@/lib/events/catalog/check";
import type { IdKind } from "@/lib/ids";
import type { ChargeResult } from "@/lib/payments";
import { chargeResultWrites, planChargeResults, takesResult, type ChargeBook, type ChargeToSettle } from "./plan-charge-result";

/**
 * The plan of charge results: every kind of answer on every kind of payment, invoice, subscription
 * and customer standing. A result is applied exactly once (a payment no longer in flight, or a
 * pending answer, writes nothing); a paid invoice never holds more than its total; each settled
 * payment has one audit entry and one event; a batch plans exactly what its payments planned one
 * after the other would (a batch of one is the per-payment path).
 */

const NOW = new Date("2026-10-20T00:00:00Z");
const AS_OF = new Date("2026-10-20T09:30:00Z");
const CREATED = new Date("2026-09-15T00:00:00Z");
const env = { now: NOW, actor: systemActor("billing-run"), requestId: "req_1" };

function counter() {
  let n = 0;
  return (kind: IdKind) => `${kind}_${n++}`;
}

const resultArb: fc.Arbitrary<ChargeResult> = fc.oneof(
  fc.record({ status: fc.constant("succeeded" as const), gatewayId: fc.constant("ch_1"), fee: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }) }),
  fc.record({ status: fc.constant("succeeded" as const), gatewayId: fc.constant("ch_2"), fee: fc.constant(30), riskLevel: fc.constantFrom("normal", "elevated"), outcome: fc.constant("authorized") }),
  fc.record({
    status: fc.constant("failed" as const),
    gatewayId: fc.option(fc.constant("ch_3"), { nil: null }),
    failureCode: fc.constantFrom("card_declined", "expired_card"),
    declineCode: fc.option(fc.constantFrom("insufficient_funds", "lost_card"), { nil: null }),
    message: fc.constant("Your card was declined."),
  }),
  fc.record({ status: fc.constant("requires_action" as const), gatewayId: fc.constant("ch_4") }),
  fc.record({ status: fc.constant("pending" as const), gatewayId: fc.constant(null) }),
);

const chargeArb = fc.record({
  result: resultArb,
  paymentStatus: fc.constantFrom<PaymentRow["status"]>("pending", "pending", "pending", "requires_action", "succeeded", "failed"),
  invoiceStatus: fc.constantFrom<InvoiceRow["status"]>("open", "open", "open", "uncollectible", "paid", "void"),
  amountDue: fc.integer({ min: 50, max: 100_000 }),
  paidBefore: fc.integer({ min: 0, max: 100 }).map((p) => p / 100),
  credit: fc.integer({ min: 0, max: 5_000 }),
  billingReason: fc.constantFrom("subscription_cycle", "subscription_cycle", "subscription_create", "manual"),
  collection: fc.constantFrom<InvoiceRow["collectionMethod"]>("charge_automatically", "charge_automatically", "send_invoice"),
  subscription: fc.constantFrom<SubscriptionRow["status"] | null>("active", "active", "past_due", "unpaid", "incomplete", "canceled", null),
  customer: fc.constantFrom<"active" | "warning" | "blocked">("active", "active", "warning", "blocked"),
  failedBefore: fc.integer({ min: 0, max: 4 }),
  owesOther: fc.boolean(),
});

type ChargeSpec = typeof chargeArb extends fc.Arbitrary<infer T> ? T : never;

function charge(spec: ChargeSpec, i: number, customerOf: (i: number) => number = (k) => k): ChargeToSettle {
  const c = customerOf(i);
  const paid = Math.floor(spec.amountDue * spec.paidBefore);
  const invoice: InvoiceRow = {
    id: `in_${i}`,
    number: `TLY-${String(i).padStart(6, "0")}`,
    customerId: `cus_${c}`,
    subscriptionId: spec.subscription ? `sub_${i}` : null,
    status: spec.invoiceStatus,
    billingReason: spec.billingReason,
    currency: "aud",
    periodStart: CREATED,
    periodEnd: NOW,
    subtotal: spec.amountDue + spec.credit,
    discountTotal: 0,
    tax: 0,
    total: spec.amountDue + spec.credit,
    creditApplied: spec.credit,
    debitApplied: 0,
    amountDue: spec.amountDue,
    amountPaid: paid,
    amountRemaining: spec.amountDue - paid,
    carriedToBalance: 0,
    collectionMethod: spec.collection,
    daysUntilDue: null,
    dueDate: null,
    finalizedAt: CREATED,
    nextPaymentAttemptAt: null,
    paidAt: null,
    voidedAt: null,
    hostedToken: `tok_${i}`,
    couponId: null,
    amountCredited: 0,
    excessCredited: 0,
    livemode: false,
    metadata: {},
    createdAt: CREATED,
  };
  const payment: PaymentRow = {
    id: `pay_${i}`,
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    amount: invoice.amountRemaining,
    currency: "aud",
    status: spec.paymentStatus,
    failureCode: null,
    declineCode: null,
    failureMessage: null,
    paymentMethodId: `pm_${c}`,
    method: "card",
    gateway: "sandbox",
    gatewayId: null,
    idempotencyKey: `inv_${invoice.id}_attempt_${spec.failedBefore + 1}`,
    attempt: spec.failedBefore + 1,
    amountRefunded: 0,
    fee: null,
    riskLevel: null,
    outcome: null,
    livemode: false,
    createdAt: AS_OF,
    settledAt: null,
  };
  const subscription: SubscriptionRow | null = spec.subscription
    ? subscriptionRow({
        id: `sub_${i}`,
        customerId: invoice.customerId,
        status: spec.subscription,
        createdAt: CREATED,
        currentPeriodStart: NOW,
        currentPeriodEnd: new Date("2026-11-20T00:00:00Z"),
        canceledAt: spec.subscription === "canceled" ? CREATED : null,
        endedAt: spec.subscription === "canceled" ? CREATED : null,
        collectionMethod: spec.collection,
        latestInvoiceId: invoice.id,
      })
    : null;
  return { result: spec.result, payment, invoice, subscription, customer: { id: invoice.customerId, status: spec.customer, timezone: i % 2 ? "Australia/Sydney" : "UTC" }, asOf: AS_OF };
}

/** What settleCharges loads for these charges before planning. */
function bookOf(specs: readonly ChargeSpec[], charges: readonly ChargeToSettle[]): ChargeBook {
  const failures = new Map(charges.map((c, i) => [c.invoice.id, Array.from({ length: specs[i]!.failedBefore }, (_, k) => ({ attempt: k + 1, at: new Date(CREATED.getTime() + k * 86_400_000) }))]));
  const owed = new Map<string, string[]>();
  charges.forEach((c, i) => {
    if (c.customer?.status === "active") return;
    const list = owed.get(c.invoice.customerId) ?? [];
    if (specs[i]!.failedBefore > 0 && (c.invoice.status === "open" || c.invoice.status === "uncollectible") && c.invoice.collectionMethod === "charge_automatically") list.push(c.invoice.id);
    if (specs[i]!.owesOther) list.push(`in_other_${i}`);
    owed.set(c.invoice.customerId, list);
  });
  return { failures, owed, retrySchedule: [1, 3, 7, 14] };
}

const settles = (c: ChargeToSettle) => c.result.status === "succeeded" && takesResult(c.payment, c.result) && (c.invoice.status === "open" || c.invoice.status === "uncollectible");

describe("planChargeResults", () => {
  it("applies a result once, never pays an invoice past its total, and records one audit entry and one event per settled payment", () => {
    fc.assert(
      fc.property(fc.array(chargeArb, { minLength: 1, maxLength: 8 }), (specs) => {
        const charges = specs.map((s, i) => charge(s, i));
        const plan = planChargeResults(charges, bookOf(specs, charges), { ...env, newId: counter() });
        const taken = charges.filter((c) => takesResult(c.payment, c.result));
        // Each payment in flight is settled once, guarded by the status it was read with; the others write nothing.
        expect(plan.payments.map((p) => p.row.id).sort()).toEqual(taken.map((c) => c.payment.id).sort());
        for (const p of plan.payments) expect(p.was).toBe(charges.find((c) => c.payment.id === p.row.id)!.payment.status);
        for (const c of charges.filter((c) => !takesResult(c.payment, c.result))) {
          const mentions = JSON.stringify([plan.paidInvoices, plan.nextAttempts, plan.reconciliationItems, plan.audit, plan.events]);
          expect(mentions).not.toContain(`"${c.payment.id}"`);
          expect(mentions).not.toContain(`"${c.invoice.id}"`);
        }
        for (const { row } of plan.paidInvoices) {
          const invoice = charges.find((c) => c.invoice.id === row.id)!.invoice;
          expect(row.amountPaid).toBeLessThanOrEqual(invoice.total);
          expect(row.amountPaid).toBe(invoice.amountDue);
        }
        for (const c of charges) {
          const audit = plan.audit.filter((a) => a.entityId === c.payment.id || a.entityId === c.invoice.id);
          const events = plan.events.filter((e) => e.entityId === c.invoice.id);
          if (settles(c)) {
            expect(audit.map((a) => a.action)).toEqual(["invoice.paid"]);
            expect(events.map((e) => [e.type, e.payload])).toEqual([["invoice.paid", { invoice: c.invoice.id, payment: c.payment.id }]]);
          } else if (!takesResult(c.payment, c.result)) {
            expect([audit, events]).toEqual([[], []]);
          } else if (c.result.status === "succeeded") {
            // Paid another way meanwhile: staff decide, nothing is counted twice.
            expect(audit.map((a) => a.action)).toEqual(["payment.succeeded_after_settlement"]);
            expect(events).toEqual([]);
            expect(plan.reconciliationItems.filter((r) => r.paymentId === c.payment.id)).toHaveLength(1);
          } else {
            expect(audit.map((a) => a.action)).toEqual([c.result.status === "failed" ? "payment.failed" : "payment.requires_action"]);
            expect(events.map((e) => e.type)).toEqual([c.result.status === "failed" ? "invoice.payment_failed" : "invoice.payment_action_required"]);
          }
        }
        for (const e of plan.events) checkEventPayload(e.type, e.payload);
        // Every update of the applied writes is guarded by the status it was read with; an invoice paid, also by its amount paid.
        for (const p of plan.paidInvoices) expect(p.paidBefore).toBe(charges.find((c) => c.invoice.id === p.row.id)!.invoice.amountPaid);
        for (const w of chargeResultWrites(plan)) if (w.op === "update") expect(Object.keys(w.guard ?? {})).toEqual("paidAt" in w.rows[0]! ? ["status", "amountPaid"] : ["status"]);
        expect(plan.outcomes).toHaveLength(charges.length);
      }),
    );
  });

  it("plans a batch exactly as its payments planned one after the other (a batch of one is the per-payment path)", () => {
    fc.assert(
      fc.property(fc.array(chargeArb, { minLength: 1, maxLength: 8 }), (specs) => {
        const charges = specs.map((s, i) => charge(s, i));
        const book = bookOf(specs, charges);
        const batch = planChargeResults(charges, book, { ...env, newId: counter() });
        const next = counter();
        const alone = charges.map((c) => planChargeResults([c], book, { ...env, newId: next }));
        for (const key of ["payments", "paidInvoices", "nextAttempts", "reconciliationItems", "subscriptions", "statusHistory", "customers", "audit", "events", "outcomes"] as const) {
          expect(batch[key]).toEqual(alone.flatMap((p) => p[key] as unknown[]));
        }
      }),
    );
  });

  it("a failure is retried on the schedule from the invoice's first failed attempt, and makes a renewal past due", () => {
    fc.assert(
      fc.property(chargeArb, (spec) => {
        const c = charge({ ...spec, result: { status: "failed", gatewayId: null, failureCode: "card_declined", declineCode: "insufficient_funds", message: "declined" }, paymentStatus: "pending" }, 1);
        const book = bookOf([spec], [c]);
        const plan = planChargeResults([c], book, { ...env, newId: counter() });
        const expected = nextAttemptAfterFailure({
          collectionMethod: c.invoice.collectionMethod,
          billingReason: c.invoice.billingReason,
          subscriptionStatus: c.subscription?.status ?? null,
          failures: [...(book.failures.get(c.invoice.id) ?? []), { attempt: c.payment.attempt, at: AS_OF }],
          decline: { failureCode: "card_declined", declineCode: "insufficient_funds" },
          asOf: AS_OF,
          timeZone: c.customer!.timezone,
          schedule: [1, 3, 7, 14],
        });
        expect(plan.nextAttempts).toEqual([{ row: { id: c.invoice.id, nextPaymentAttemptAt: expected }, was: c.invoice.status }]);
        const pastDue = c.subscription?.status === "active" && c.invoice.billingReason !== "subscription_create";
        expect(plan.subscriptions).toEqual(pastDue ? [{ row: expect.objectContaining({ id: c.subscription!.id, status: "past_due" }) as unknown, was: "active" }] : []);
        expect(plan.outcomes[0]!.payment).toMatchObject({ status: "failed", settledAt: AS_OF, failureCode: "card_declined" });
      }),
    );
  });

  it("a customer in dunning is restored by the payment that leaves nothing overdue, once", () => {
    const spec: ChargeSpec = {
      result: { status: "succeeded", gatewayId: "ch_1", fee: null },
      paymentStatus: "pending",
      invoiceStatus: "open",
      amountDue: 1000,
      paidBefore: 0,
      credit: 0,
      billingReason: "subscription_cycle",
      collection: "charge_automatically",
      subscription: "past_due",
      customer: "warning",
      failedBefore: 1,
      owesOther: false,
    };
    // Two invoices of one customer, both failing: the first payment leaves the second owed, the second restores.
    const charges = [charge(spec, 0, () => 7), charge(spec, 1, () => 7), charge(spec, 2, () => 7)];
    const plan = planChargeResults(charges, { failures: new Map(), owed: new Map([["cus_7", ["in_0", "in_1"]]]), retrySchedule: [] }, { ...env, newId: counter() });
    expect(plan.customers).toEqual([{ row: { id: "cus_7", status: "active" }, was: "warning" }]);
    expect(plan.events.filter((e) => e.type === "customer.dunning.restored").map((e) => e.payload)).toEqual([{ customer: "cus_7", invoice: "in_1", from: "warning", status: "active" }]);
    // Each past-due subscription comes back with its paid invoice.
    expect(plan.subscriptions.map((s) => [s.row.id, s.row.status])).toEqual([["sub_0", "active"], ["sub_1", "active"], ["sub_2", "active"]]);
    // Its owed invoices must have been read: planning without them is refused, not guessed.
    expect(() => planChargeResults([charges[0]!], { failures: new Map(), owed: new Map(), retrySchedule: [] }, env)).toThrow(/owed invoices were not loaded/);
  });

  it("refuses two results for one invoice in a batch", () => {
    const [spec] = fc.sample(chargeArb, { numRuns: 1, seed: 1 });
    const c = charge(spec!, 0);
    expect(() => planChargeResults([c, { ...c, payment: { ...c.payment, id: "pay_other" } }], bookOf([spec!, spec!], [c, c]), env)).toThrow(/one charge result per payment, invoice and subscription/);
  });
});
