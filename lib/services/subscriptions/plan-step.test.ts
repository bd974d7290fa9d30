import { customerRow, subscriptionRow } from "@/tests/factories";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { systemActor } from "@/lib/actor";
import { nextDue, step } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionItemTerms } from "@/lib/billing/types";
import type { IdKind, IdSource } from "@/lib/ids";
import { previewInvoice } from "../invoices/plan-invoice";
import { subscriptionStateOf } from "./load-state";
import { planStep } from "./plan-step";

/**
 * The general step's plan (pure) writes exactly what the engine's step says: its invoice is the
 * engine's invoice for the customer as locked (with the credit it applies), the subscription's row
 * ends in the step's state and status with the next due instant for that status, an expired first
 * invoice still open is voided with the balance it took returned on top of the balance the step
 * left, items are replaced only when they changed, the scheduled change's event only when one was
 * applied, and only an open invoice collected automatically from a default card is charged after.
 */

const CREATED = new Date("2026-09-15T00:00:00Z");
const PERIOD_END = new Date("2026-10-15T00:00:00Z");
const env = { actor: systemActor("test"), requestId: "req_1" };

function counter(): IdSource {
  let n = 0;
  return { newId: (kind: IdKind) => `${kind}_${n++}`, token: () => `tok_${n++}` };
}

const specArb = fc.record({
  status: fc.constantFrom<SubscriptionRow["status"]>("active", "trialing", "paused", "incomplete", "past_due"),
  cancelAtPeriodEnd: fc.boolean(),
  unitAmount: fc.integer({ min: 0, max: 90_000 }),
  changedQuantity: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  creditBalance: fc.oneof(fc.constant(0), fc.integer({ min: -400, max: 200_000 })),
  collection: fc.constantFrom<"charge_automatically" | "send_invoice">("charge_automatically", "send_invoice"),
  card: fc.boolean(),
  latest: fc.record({ status: fc.constantFrom<InvoiceRow["status"]>("open", "paid", "void"), creditApplied: fc.integer({ min: 0, max: 3_000 }), debitApplied: fc.constantFrom(0, 0, 40) }),
  pendingItems: fc.nat({ max: 2 }),
});

type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

function rowsOf(spec: Spec) {
  const customer = customerRow({ id: "cus_1", createdAt: CREATED, creditBalance: spec.creditBalance, defaultPaymentMethodId: spec.card ? "pm_1" : null });
  const item = (quantity: number): SubscriptionItemTerms => ({
    quantity,
    plan: { id: "plan_1", name: "Plan", interval: { unit: "month", count: 1 }, trialPeriodDays: 0 },
    price: { id: "price_1", currency: "aud", taxBehavior: "inclusive", billingScheme: "per_unit", unitAmount: spec.unitAmount, tiersMode: null, tiers: null, packageSize: null },
  });
  const row: SubscriptionRow = subscriptionRow({
    id: "sub_1",
    customerId: customer.id,
    status: spec.status,
    createdAt: CREATED,
    currentPeriodStart: CREATED,
    currentPeriodEnd: PERIOD_END,
    trialStart: spec.status === "trialing" ? CREATED : null,
    trialEnd: spec.status === "trialing" ? PERIOD_END : null,
    cancelAtPeriodEnd: spec.cancelAtPeriodEnd,
    collectionMethod: spec.collection,
    daysUntilDue: spec.collection === "send_invoice" ? 14 : null,
    latestInvoiceId: "in_first",
    pendingChange: spec.changedQuantity ? { items: [{ price: "price_1", quantity: spec.changedQuantity }], effective_at: PERIOD_END.toISOString(), requested_at: CREATED.toISOString() } : null,
    pausedAt: spec.status === "paused" ? CREATED : null,
    pauseResumesAt: spec.status === "paused" ? PERIOD_END : null,
  });
  const before = subscriptionStateOf(row, customer, {
    items: [item(1)],
    pendingChange: spec.changedQuantity ? { items: [item(spec.changedQuantity)], effectiveAt: PERIOD_END } : null,
    coupon: null,
    pendingLines: [],
  });
  const latestInvoice = {
    id: "in_first",
    number: "TLY-000001",
    customerId: customer.id,
    status: spec.latest.status,
    currency: "aud",
    creditApplied: spec.latest.creditApplied,
    debitApplied: spec.latest.debitApplied,
    amountPaid: 0,
    finalizedAt: CREATED,
  } as InvoiceRow;
  return { customer, row, before, latestInvoice };
}

describe("the general step's plan (planStep)", () => {
  it("writes the engine's step: its invoice, state, status, void, items, events and what to collect", () => {
    let steps = 0;
    fc.assert(
      fc.property(specArb, (spec) => {
        const { customer, row, before, latestInvoice } = rowsOf(spec);
        const result = step(before);
        if (!result) return;
        steps++;
        const expires = result.status?.to === "incomplete_expired";
        const pendingItemIds = Array.from({ length: spec.pendingItems }, (_, k) => `ii_${k}`);
        const plan = planStep(
          { subscription: row, customer, before, result, latestInvoice: expires ? latestInvoice : null, pendingItemIds, itemIds: ["si_old"] },
          env,
          counter(),
        );

        // Its invoice is the engine's, for the customer as locked.
        expect(plan.invoice !== null).toBe(result.invoice !== null);
        if (plan.invoice && result.invoice) {
          const built = previewInvoice(customer, "aud", result.invoice.lines, null, result.at);
          expect([plan.invoice.invoice.total, plan.invoice.invoice.amountDue, plan.invoice.invoice.creditApplied]).toEqual([built.total, built.amountDue, built.creditApplied]);
          expect(built.creditApplied).toBeLessThanOrEqual(Math.max(0, spec.creditBalance));
          expect(plan.invoice.invoice.subscriptionId).toBe(row.id);
          expect(plan.state.row.latestInvoiceId).toBe(plan.invoice.invoice.id);
        } else {
          expect(plan.state.row.latestInvoiceId).toBe(row.latestInvoiceId);
        }

        // The step's state and status, due next for that status.
        const status = result.status?.to ?? row.status;
        expect(plan.state.row.status).toBe(status);
        expect(plan.state.statusChange !== null).toBe(status !== row.status);
        expect(plan.state.row.currentPeriodEnd).toEqual(result.state.period.end);
        expect(plan.state.row.nextDueAt).toEqual(nextDue({ ...result.state, status })?.at ?? null);
        expect(plan.state.update).toMatchObject({ id: row.id, nextDueAt: plan.state.row.nextDueAt });
        expect(plan.state.update.status).toBe(status === row.status ? undefined : status);
        const ended = status === "canceled" || status === "incomplete_expired";
        expect(plan.state.row.endedAt).toEqual(ended ? result.at : null);

        // An expired first invoice still open is voided; its credit returns on top of the balance the step left.
        expect(plan.void !== null).toBe(expires && latestInvoice.status === "open");
        if (plan.void) {
          const returned = latestInvoice.creditApplied > 0 ? latestInvoice.creditApplied : -latestInvoice.debitApplied;
          const left = plan.invoice?.finalization?.moves.endingBalance ?? spec.creditBalance;
          expect(plan.void.moves?.endingBalance ?? left).toBe(returned === 0 ? left : left + returned);
        }

        // Items are replaced only when a scheduled change changed them.
        expect(plan.state.items !== null).toBe(result.appliedPendingChange && spec.changedQuantity !== 1);
        if (plan.state.items) expect(plan.state.items.remove).toEqual(["si_old"]);
        expect(plan.events.length).toBe(result.appliedPendingChange ? 1 : 0);

        // The step's entry; what is charged after the commit.
        expect(plan.audit).toMatchObject({ action: `subscription.${result.kind}`, entityId: row.id, requestId: "req_1", after: { status } });
        const open = plan.invoice?.finalization?.invoice.status === "open";
        expect(plan.collect).toBe(open && spec.collection === "charge_automatically" && spec.card ? plan.invoice!.invoice.id : null);
      }),
      { numRuns: 300 },
    );
    expect(steps).toBeGreaterThan(100);
  });
});
