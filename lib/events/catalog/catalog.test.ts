import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Executor } from "@/db/client";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { auditActionCatalog, auditActions } from "./audit-actions";
import { checkEventPayload } from "./check";
import { renderEventDocs } from "./docs";
import { eventCatalog, eventTypes, webhookEventTypes, type EventPayload, type EventType } from "./events";

const at = "2026-10-15T00:00:00.000Z";
const items = [{ price: "price_1", quantity: 2 }];
const dunning = { customer: "cus_1", invoice: "inv_1", stage: "reminder", status: "active", first_failure_at: at, blocks_at: at } as const;
const dispute = {
  dispute: "dp_1",
  payment: "pay_1",
  invoice: "inv_1",
  status: "needs_response",
  reason: "fraudulent",
  amount: 2900,
  currency: "aud",
  evidence_due_by: at,
  funds_withdrawn: true,
  funds_reinstated: false,
};

/** Payloads as the writers build them (lib/services, lib/payments/webhooks, the renewal plan): every form of each event. */
const samples: { [T in EventType]: EventPayload<T>[] } = {
  "customer.created": [{ customer: "cus_1" }],
  "customer.updated": [{ customer: "cus_1" }],
  "customer.deleted": [{ customer: "cus_1", retain_until: at }],
  "customer.balance_transaction.created": [{ customer: "cus_1", balance_transaction: "cbt_1" }],
  "customer.default_payment_method.updated": [{ payment_method: "pm_1" }],
  "customer.discount.created": [{ subscription: "sub_1", coupon: "co_1" }],
  "customer.discount.deleted": [{ subscription: "sub_1" }],
  "customer.subscription.created": [{ subscription: "sub_1" }],
  "customer.subscription.updated": [
    { subscription: "sub_1", cancel_at_period_end: true },
    { subscription: "sub_1", from: "active", to: "past_due", reason: "renewal payment failed" },
    { subscription: "sub_1", effective: "now", change: "items", from: items, to: items, invoice: null },
    { subscription: "sub_1", change: "scheduled_change_applied", from: items, to: items, invoice: "inv_1" },
    { subscription: "sub_1", change: "scheduled_change_canceled", canceled: items },
    { subscription: "sub_1", change: "price_migration_scheduled", from: items, to: items, effective_at: at, migration_run: 3 },
  ],
  "customer.subscription.paused": [{ subscription: "sub_1" }],
  "customer.subscription.resumed": [{ subscription: "sub_1" }],
  "customer.subscription.deleted": [{ subscription: "sub_1", credited: 0 }],
  "customer.dunning.reminder": [dunning],
  "customer.dunning.warning": [{ ...dunning, stage: "warning", status: "warning" }],
  "customer.dunning.blocked": [{ ...dunning, stage: "blocked", status: "blocked" }],
  "customer.dunning.restored": [
    { customer: "cus_1", invoice: "inv_1", from: "warning", status: "active" },
    { customer: "cus_1", invoice: null, from: "blocked", status: "active" },
  ],
  "coupon.created": [{ coupon: "co_1" }],
  "meter.created": [{ meter: "mtr_1", code: "api_calls", version: 2 }],
  "budget.threshold_reached": [
    {
      object: { id: "bud_1", object: "budget", provider: null, amount: 50000, currency: "aud", period: "month", alert_thresholds: [50, 80, 100], livemode: false, created: at },
      threshold: 80,
      spent: 40125,
      period_start: at,
      period_end: at,
    },
    {
      object: { id: "bud_2", object: "budget", provider: "openai", amount: 1000, currency: "usd", period: "month", alert_thresholds: [100, 150], livemode: true, created: at },
      threshold: 150,
      spent: 1500,
      period_start: at,
      period_end: at,
    },
  ],
  "api_cost.quota_warning": [{ provider: "cprov_1", code: "geoscape", threshold: 100, limit: 100000, used: "100000.5", period: "day", period_start: at, period_end: at, livemode: false }],
  "usage.threshold_reached": [
    { kind: "limit", customer: "cus_1", subscription: "sub_1", feature: "api-calls", meter: "api_calls", threshold: 80, limit: 10000, used: 8000.5, hard: true, period_start: at, period_end: at },
    { kind: "spend", customer: "cus_1", subscription: "sub_1", threshold: 100, amount: 5012, spend_threshold: 5000, currency: "aud", period_start: at, period_end: at },
  ],
  "coupon.updated": [{ coupon: "co_1" }],
  "coupon.deleted": [{ coupon: "co_1", valid: false }],
  "credit_note.created": [
    { credit_note: "cn_1", invoice: "inv_1", outcome: "refund", refunds: [{ payment: "pay_1", amount: 400, idempotency_key: "cn_1_pay_1" }] },
    { credit_note: "cn_2", invoice: "inv_1", outcome: "reduce_amount_due", refunds: [] },
  ],
  "dispute.created": [dispute],
  "dispute.updated": [{ ...dispute, evidence_due_by: null }],
  "dispute.closed": [{ ...dispute, status: "lost" }],
  "dispute.funds_withdrawn": [dispute],
  "dispute.funds_reinstated": [{ ...dispute, funds_reinstated: true }],
  "invoice.created": [{ invoice: "inv_1" }],
  "invoice.finalized": [{ invoice: "inv_1" }],
  "invoice.paid": [{ invoice: "inv_1" }, { invoice: "inv_1", payment: "pay_1" }, { invoice: "inv_1", credit_note: "cn_1" }, { invoice: "inv_1", carried_to_balance: 30 }],
  "invoice.voided": [{ invoice: "inv_1" }],
  "invoice.marked_uncollectible": [{ invoice: "inv_1" }],
  "invoice.resent": [{ invoice: "inv_1", to: "ann@example.test" }],
  "invoice.payment_failed": [{ invoice: "inv_1", payment: "pay_1", next_payment_attempt: at }],
  "invoice.payment_action_required": [{ invoice: "inv_1", payment: "pay_1", next_payment_attempt: null }],
  "receipt.created": [{ receipt: "rcpt_1", number: "RCT-000001", payment: "pay_1", invoice: "inv_1", amount: 2900, currency: "aud" }],
  "receipt.resent": [{ receipt: "rcpt_1", to: "ann@example.test" }],
  "payment.recorded": [{ payment: "pay_1", invoice: "inv_1" }],
  "payment.refunded": [{ payment: "pay_1", invoice: "inv_1", amount_refunded: 2900, refunded_outside_tally: 0 }],
  "payment.early_fraud_warning": [{ payment: "pay_1", invoice: "inv_1", early_fraud_warning: "issfr_1", fraud_type: "made_with_stolen_card", actionable: true, charge: null }],
  "payment_method.attached": [{ payment_method: "pm_1" }, { payment_method: "pm_1", source: "gateway" }],
  "payment_method.detached": [{ payment_method: "pm_1" }, { payment_method: "pm_1", source: "gateway" }],
  "payment_method.updated": [{ payment_method: "pm_1", source: "account_updater" }],
  "payment_method.setup_failed": [{ setup_intent: "seti_1", code: "card_declined", decline_code: "generic_decline", message: null }],
  "plan.created": [{ plan: "plan_1", product: "prod_1" }],
  "plan.updated": [{ plan: "plan_1" }],
  "price.created": [{ price: "price_1", plan: "plan_1", version: 2 }],
  "price.updated": [{ price: "price_1", plan: "plan_1", active: false, replaced_by: "price_2" }],
  "price.migration_completed": [{ from: "price_1", to: "price_2", run: 1, subscriptions_moved: 40 }],
  "product.created": [{ product: "prod_1" }],
  "product.updated": [{ product: "prod_1" }],
  "promotion_code.created": [{ promotion_code: "promo_1", coupon: "co_1" }],
  "promotion_code.updated": [{ promotion_code: "promo_1", active: false }],
  "retention.outcome_recorded": [
    { subscription: "sub_1", attempt: "ca_1", reason: "too_expensive", offer: { kind: "discount", percent: 25, months: 3 }, outcome: "accepted_discount", effective_at: at, coupon: "co_1" },
    { subscription: "sub_1", attempt: "ca_1", reason: "not_using", offer: { kind: "pause", maxMonths: 2 }, outcome: "paused", effective_at: at, months: 2, credited: 0 },
    { subscription: "sub_1", attempt: "ca_1", reason: "switching", offer: { kind: "cheaper_plan", planId: null }, outcome: "switched_plan", effective_at: at, plan: "plan_1", price: "price_1" },
    { subscription: "sub_1", attempt: "ca_1", reason: "other", offer: null, outcome: "canceled", effective_at: at, at_period_end: true, offer_declined: false },
  ],
};

describe("event catalog", () => {
  it("every event's schema accepts the payloads its writers build", () => {
    for (const type of eventTypes) {
      expect(samples[type].length, type).toBeGreaterThan(0);
      for (const payload of samples[type]) expect(() => checkEventPayload(type, payload)).not.toThrow();
    }
  });

  it("refuses a payload with a missing, mistyped or unknown field, naming the event and the field", () => {
    expect(() => checkEventPayload("invoice.paid", {})).toThrow(/^invoice\.paid payload does not match the event catalog: invoice: /);
    expect(() => checkEventPayload("invoice.paid", { invoice: 7 })).toThrow(/invoice: /);
    expect(() => checkEventPayload("invoice.finalized", { invoice: "inv_1", total: 100 })).toThrow(/total/);
    expect(() => checkEventPayload("customer.deleted", { customer: "cus_1", retain_until: "next year" })).toThrow(/retain_until/);
  });

  it("every audit action names its entity type and a sentence", () => {
    for (const action of auditActions) {
      expect(auditActionCatalog[action].entityType, action).toMatch(/^[a-z_]+$/);
      expect(auditActionCatalog[action].sentence, action).toMatch(/^[A-Z{]/);
    }
  });

  it("webhook endpoints may subscribe to the catalog's public events only", () => {
    expect(webhookEventTypes).toContain("invoice.paid");
    expect(webhookEventTypes).not.toContain("customer.dunning.reminder");
    expect(webhookEventTypes.every((type) => eventCatalog[type].webhook)).toBe(true);
  });

  it("docs/events.md is generated from the catalog and up to date (npm run docs:events)", () => {
    expect(readFileSync(new URL("../../../docs/events.md", import.meta.url), "utf8")).toBe(renderEventDocs());
  });
});

/** Type-level checks: tsc fails if any of these lines compiles. Never called. */
export async function rejectedAtCompileTime(tx: Executor, actor: Actor, now: Date): Promise<void> {
  // @ts-expect-error an event type not in the catalog
  await enqueueEvent(tx, { type: "invoice.exploded", payload: { invoice: "inv_1" } }, now);
  // @ts-expect-error a payload missing its required field
  await enqueueEvent(tx, { type: "invoice.finalized", payload: {} }, now);
  // @ts-expect-error a field the event does not carry
  await enqueueEvent(tx, { type: "invoice.finalized", payload: { invoice: "inv_1", total: 100 } }, now);
  // @ts-expect-error an audit action not in the catalog
  await recordAudit(tx, actor, { action: "invoice.exploded", entityType: "invoice", entityId: "inv_1" }, now);
  // @ts-expect-error an action recorded on another entity type than the catalog's
  await recordAudit(tx, actor, { action: "invoice.voided", entityType: "customer", entityId: "cus_1" }, now);
}
