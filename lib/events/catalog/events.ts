import { z } from "zod";
import { cancellationReasons, retentionOutcomes } from "@/lib/billing/retention/vocabulary";
import { subscriptionStatuses } from "@/lib/billing/subscriptions/statuses";

/**
 * Every outbox event Tally writes, named once: what it means, its payload (JSON, ids as strings,
 * instants as ISO 8601 strings, money in minor units), a short phrase for the customer timeline and
 * whether a webhook endpoint may subscribe to it. `enqueueEvent` accepts only these names and
 * payloads; docs/events.md is generated from this list (`npm run docs:events`).
 */
export interface EventDefinition {
  /** A few words for the customer timeline ("Event: invoice paid"). */
  title: string;
  /** One sentence for the docs: when the event is written. */
  description: string;
  /** A webhook endpoint may subscribe to it. */
  webhook: boolean;
  payload: z.ZodType<Record<string, unknown>>;
}

const id = z.string();
const instant = z.iso.datetime();
const item = z.strictObject({ price: id, quantity: z.number().int() });
const customerStatus = z.enum(["active", "warning", "blocked"]);
const dunningStages = ["reminder", "warning", "blocked"] as const;
const offerTerms = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("discount"), percent: z.number(), months: z.number() }),
  z.strictObject({ kind: z.literal("pause"), maxMonths: z.number() }),
  z.strictObject({ kind: z.literal("cheaper_plan"), planId: id.nullable() }),
  z.strictObject({ kind: z.literal("contact_support"), message: z.string(), url: z.string().nullable() }),
  z.strictObject({ kind: z.literal("none") }),
]);

const customerOnly = z.strictObject({ customer: id });
const subscriptionOnly = z.strictObject({ subscription: id });
const invoiceOnly = z.strictObject({ invoice: id });
const couponOnly = z.strictObject({ coupon: id });
const productOnly = z.strictObject({ product: id });
const paymentMethodChange = z.strictObject({ payment_method: id, source: z.literal("gateway").optional() });
const dunningStep = z.strictObject({ customer: id, invoice: id, stage: z.enum(dunningStages), status: customerStatus, first_failure_at: instant, blocks_at: instant });
const paymentProblem = z.strictObject({ invoice: id, payment: id, next_payment_attempt: instant.nullable() });
const dispute = z.strictObject({
  dispute: id,
  payment: id,
  invoice: id,
  status: z.string(),
  reason: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  evidence_due_by: instant.nullable(),
  funds_withdrawn: z.boolean(),
  funds_reinstated: z.boolean(),
});
const subscriptionUpdated = z.union([
  z.strictObject({ subscription: id, cancel_at_period_end: z.boolean() }),
  z.strictObject({ subscription: id, from: z.enum(subscriptionStatuses), to: z.enum(subscriptionStatuses), reason: z.string() }),
  z.strictObject({ subscription: id, change: z.literal("items"), effective: z.enum(["now", "period_end"]), from: z.array(item), to: z.array(item), invoice: id.nullable() }),
  z.strictObject({ subscription: id, change: z.literal("scheduled_change_applied"), from: z.array(item), to: z.array(item), invoice: id.nullable() }),
  z.strictObject({ subscription: id, change: z.literal("scheduled_change_canceled"), canceled: z.array(item) }),
  z.strictObject({ subscription: id, change: z.literal("price_migration_scheduled"), from: z.array(item), to: z.array(item), effective_at: instant.nullable(), migration_run: z.number().int() }),
]);

const budgetObject = z.strictObject({
  id,
  object: z.literal("budget"),
  provider: z.string().nullable(),
  amount: z.number().int(),
  currency: z.string(),
  period: z.literal("month"),
  alert_thresholds: z.array(z.number().int()),
  livemode: z.boolean(),
  created: instant,
});

export const eventCatalog = {
  "customer.created": { title: "customer created", description: "A customer was created.", webhook: true, payload: customerOnly },
  "customer.updated": { title: "customer updated", description: "A customer's details or default payment method changed in Tally.", webhook: true, payload: customerOnly },
  "customer.deleted": {
    title: "customer deleted",
    description: "A customer's personal data was erased; the billing records are kept until `retain_until`.",
    webhook: true,
    payload: z.strictObject({ customer: id, retain_until: instant }),
  },
  "customer.balance_transaction.created": {
    title: "credit balance changed",
    description: "Staff granted the customer credit.",
    webhook: false,
    payload: z.strictObject({ customer: id, balance_transaction: id }),
  },
  "customer.default_payment_method.updated": {
    title: "default card changed",
    description: "A card saved at the gateway became the customer's default; what is owed is charged to it.",
    webhook: false,
    payload: z.strictObject({ payment_method: id }),
  },
  "customer.discount.created": { title: "coupon applied", description: "A coupon was applied to a subscription.", webhook: false, payload: z.strictObject({ subscription: id, coupon: id }) },
  "customer.discount.deleted": { title: "coupon removed", description: "A subscription's coupon was removed.", webhook: false, payload: subscriptionOnly },
  "customer.subscription.created": { title: "subscription started", description: "A subscription was created.", webhook: true, payload: subscriptionOnly },
  "customer.subscription.updated": {
    title: "subscription updated",
    description: "A subscription changed: its status, its items (now, scheduled, applied or canceled), a price migration, or a cancellation at the period end set or undone.",
    webhook: true,
    payload: subscriptionUpdated,
  },
  "customer.subscription.paused": { title: "subscription paused", description: "A subscription was paused.", webhook: true, payload: subscriptionOnly },
  "customer.subscription.resumed": { title: "subscription resumed", description: "A paused subscription was resumed.", webhook: true, payload: subscriptionOnly },
  "customer.subscription.deleted": {
    title: "subscription ended",
    description: "A subscription was canceled now; `credited` is the unused time credited to the balance (minor units).",
    webhook: true,
    payload: z.strictObject({ subscription: id, credited: z.number().int() }),
  },
  "customer.dunning.reminder": { title: "dunning reminder", description: "Dunning reached the reminder stage for the customer's oldest failing invoice.", webhook: false, payload: dunningStep },
  "customer.dunning.warning": { title: "dunning warning", description: "Dunning reached the warning stage: the customer is warned that access will be blocked.", webhook: false, payload: dunningStep },
  "customer.dunning.blocked": { title: "dunning blocked", description: "Dunning reached the final stage: the customer is blocked and the final action applies.", webhook: false, payload: dunningStep },
  "customer.dunning.restored": {
    title: "account restored",
    description: "A customer in dunning owes nothing overdue any more and is active again.",
    webhook: true,
    payload: z.strictObject({ customer: id, invoice: id.nullable(), from: customerStatus, status: z.literal("active") }),
  },
  "coupon.created": { title: "coupon created", description: "A coupon was created (by staff, or for a retention offer).", webhook: false, payload: couponOnly },
  "coupon.updated": { title: "coupon updated", description: "A coupon was edited.", webhook: false, payload: couponOnly },
  "coupon.deleted": { title: "coupon invalidated", description: "A coupon was invalidated: it can no longer be applied.", webhook: false, payload: z.strictObject({ coupon: id, valid: z.literal(false) }) },
  "credit_note.created": {
    title: "credit note issued",
    description: "A credit note was issued on an invoice; `refunds` lists the card refunds it started.",
    webhook: true,
    payload: z.strictObject({
      credit_note: id,
      invoice: id,
      outcome: z.enum(["refund", "credit", "out_of_band", "reduce_amount_due"]),
      refunds: z.array(z.strictObject({ payment: id, amount: z.number().int(), idempotency_key: z.string() })),
    }),
  },
  "dispute.created": { title: "dispute opened", description: "A customer's bank disputed a payment.", webhook: true, payload: dispute },
  "dispute.updated": { title: "dispute updated", description: "A dispute's status, amount, reason or evidence deadline changed.", webhook: false, payload: dispute },
  "dispute.closed": { title: "dispute closed", description: "A dispute was won, lost or otherwise closed.", webhook: false, payload: dispute },
  "dispute.funds_withdrawn": { title: "dispute funds withdrawn", description: "The bank took the disputed amount back.", webhook: false, payload: dispute },
  "dispute.funds_reinstated": { title: "dispute funds reinstated", description: "The bank returned the disputed amount.", webhook: false, payload: dispute },
  "invoice.created": { title: "invoice created", description: "A one-off invoice was created as a draft.", webhook: true, payload: invoiceOnly },
  "invoice.finalized": { title: "invoice finalized", description: "An invoice was finalized: numbered, immutable and owed.", webhook: true, payload: invoiceOnly },
  "invoice.paid": {
    title: "invoice paid",
    description: "An invoice was paid in full: by a payment, a credit note, or an amount below the minimum charge carried to the balance.",
    webhook: true,
    payload: z.strictObject({ invoice: id, payment: id.optional(), credit_note: id.optional(), carried_to_balance: z.number().int().optional() }),
  },
  "invoice.voided": { title: "invoice voided", description: "An invoice was voided: it is no longer owed.", webhook: true, payload: invoiceOnly },
  "invoice.marked_uncollectible": { title: "invoice marked uncollectible", description: "An invoice was written off (still payable).", webhook: true, payload: invoiceOnly },
  "invoice.resent": { title: "invoice emailed again", description: "Staff sent the invoice email again.", webhook: false, payload: z.strictObject({ invoice: id, to: z.string() }) },
  "invoice.payment_failed": { title: "payment failed", description: "A charge for an invoice failed; `next_payment_attempt` is the next retry, if any.", webhook: false, payload: paymentProblem },
  "invoice.payment_action_required": { title: "payment needs authentication", description: "A charge for an invoice needs the customer to authenticate.", webhook: false, payload: paymentProblem },
  "receipt.created": {
    title: "receipt issued",
    description: "A receipt was issued for a successful payment (one per payment); the customer is emailed it with its PDF.",
    webhook: true,
    payload: z.strictObject({ receipt: id, number: z.string(), payment: id, invoice: id, amount: z.number().int(), currency: z.string() }),
  },
  "receipt.resent": { title: "receipt emailed again", description: "Staff sent a receipt email (with its PDF) again.", webhook: false, payload: z.strictObject({ receipt: id, to: z.string() }) },
  "payment.recorded": { title: "payment recorded", description: "Staff recorded a payment made outside Tally.", webhook: true, payload: z.strictObject({ payment: id, invoice: id }) },
  "payment.refunded": {
    title: "payment refunded",
    description: "The gateway reported a refund; `refunded_outside_tally` is the part not refunded through Tally.",
    webhook: false,
    payload: z.strictObject({ payment: id, invoice: id, amount_refunded: z.number().int(), refunded_outside_tally: z.number().int() }),
  },
  "payment.early_fraud_warning": {
    title: "early fraud warning",
    description: "The card issuer reported a payment as likely fraud (a dispute often follows).",
    webhook: false,
    payload: z.strictObject({ payment: id, invoice: id, early_fraud_warning: z.string(), fraud_type: z.string(), actionable: z.boolean(), charge: z.string().nullable() }),
  },
  "payment_method.attached": { title: "card added", description: "A card was saved for the customer (`source: gateway` when saved at the gateway).", webhook: true, payload: paymentMethodChange },
  "payment_method.detached": { title: "card removed", description: "A card was removed (`source: gateway` when removed at the gateway).", webhook: true, payload: paymentMethodChange },
  "payment_method.updated": {
    title: "card updated",
    description: "The gateway reported new card details (a new expiry, a reissued number).",
    webhook: false,
    payload: z.strictObject({ payment_method: id, source: z.string() }),
  },
  "payment_method.setup_failed": {
    title: "card setup failed",
    description: "Saving a card failed at the gateway (declined, authentication failed).",
    webhook: false,
    payload: z.strictObject({ setup_intent: z.string(), code: z.string().nullable(), decline_code: z.string().nullable(), message: z.string().nullable() }),
  },
  "plan.created": { title: "plan created", description: "A plan was created.", webhook: false, payload: z.strictObject({ plan: id, product: id }) },
  "plan.updated": { title: "plan updated", description: "A plan was edited.", webhook: false, payload: z.strictObject({ plan: id }) },
  "price.created": { title: "price created", description: "A price (a new version of a plan's price) was created.", webhook: false, payload: z.strictObject({ price: id, plan: id, version: z.number().int() }) },
  "price.updated": {
    title: "price replaced",
    description: "A price was deactivated, replaced by a new version.",
    webhook: false,
    payload: z.strictObject({ price: id, plan: id, active: z.literal(false), replaced_by: id }),
  },
  "price.migration_completed": {
    title: "price migration completed",
    description: "A migration of subscriptions from one price version to another finished.",
    webhook: false,
    payload: z.strictObject({ from: id, to: id, run: z.number().int(), subscriptions_moved: z.number().int() }),
  },
  "budget.threshold_reached": {
    title: "API cost budget threshold reached",
    description:
      "This UTC month's API costs (one provider's, or every provider's when the budget's `provider` is null, converted into the budget's currency at each day's rate) reached one of the budget's `alert_thresholds` (percent of `amount`): written once per (budget, month, threshold), `object` is the budget; emails the billing admins.",
    webhook: true,
    payload: z.strictObject({
      object: budgetObject,
      threshold: z.number().int(),
      /** The month's spend so far, minor units of the budget's currency (rounded once). */
      spent: z.number().int(),
      period_start: instant,
      period_end: instant,
    }),
  },
  "api_cost.quota_warning": {
    title: "API cost quota warning",
    description: "A cost provider's units in the current quota window (UTC day or month) reached 80% or 100% of its `quota.limit`: written once per (provider, window, threshold); emails the billing admins.",
    webhook: true,
    payload: z.strictObject({
      provider: id,
      code: z.string(),
      threshold: z.union([z.literal(80), z.literal(100)]),
      limit: z.number(),
      /** Units used in the window, an exact decimal string. */
      used: z.string(),
      period: z.enum(["day", "month"]),
      period_start: instant,
      period_end: instant,
      livemode: z.boolean(),
    }),
  },
  "meter.created": { title: "meter created", description: "A meter, or a new version of a meter's definition, was created.", webhook: false, payload: z.strictObject({ meter: id, code: z.string(), version: z.number().int() }) },
  "usage.threshold_reached": {
    title: "usage threshold reached",
    description:
      "A metered feature's usage reached 80% or 100% of its plan's limit (kind `limit`), or a subscription's projected usage cost reached 80% or 100% of its `usage_spend_threshold` (kind `spend`), in the current period: written once per (customer, feature, threshold, period) or (subscription, spend threshold, threshold, period), and sends the customer an email.",
    webhook: true,
    payload: z.discriminatedUnion("kind", [
      z.strictObject({
        kind: z.literal("limit"),
        customer: id,
        subscription: id,
        feature: z.string(),
        meter: z.string(),
        threshold: z.union([z.literal(80), z.literal(100)]),
        limit: z.number(),
        used: z.number(),
        hard: z.boolean(),
        period_start: instant,
        period_end: instant,
      }),
      z.strictObject({
        kind: z.literal("spend"),
        customer: id,
        subscription: id,
        threshold: z.union([z.literal(80), z.literal(100)]),
        /** The period's projected usage cost so far and the configured threshold, in minor units of `currency`. */
        amount: z.number().int(),
        spend_threshold: z.number().int(),
        currency: z.string(),
        period_start: instant,
        period_end: instant,
      }),
    ]),
  },
  "product.created": { title: "product created", description: "A product was created.", webhook: false, payload: productOnly },
  "product.updated": { title: "product updated", description: "A product was edited.", webhook: false, payload: productOnly },
  "promotion_code.created": { title: "promotion code created", description: "A promotion code was created for a coupon.", webhook: false, payload: z.strictObject({ promotion_code: id, coupon: id }) },
  "promotion_code.updated": { title: "promotion code updated", description: "A promotion code was activated or deactivated.", webhook: false, payload: z.strictObject({ promotion_code: id, active: z.boolean() }) },
  "retention.outcome_recorded": {
    title: "cancellation flow decided",
    description: "A subscriber finished the cancellation flow: accepted an offer, canceled or abandoned it.",
    webhook: false,
    payload: z.strictObject({
      subscription: id,
      attempt: id,
      reason: z.enum(cancellationReasons),
      offer: offerTerms.nullable(),
      outcome: z.enum(retentionOutcomes),
      effective_at: instant.nullable(),
      coupon: id.optional(),
      months: z.number().int().optional(),
      credited: z.number().int().optional(),
      plan: id.optional(),
      price: id.optional(),
      at_period_end: z.boolean().optional(),
      offer_declined: z.boolean().optional(),
    }),
  },
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof eventCatalog;
/** The payload `enqueueEvent` takes for an event type (a union of types: any of their payloads). */
export type EventPayload<T extends EventType> = z.input<(typeof eventCatalog)[T]["payload"]>;

export const eventTypes = Object.keys(eventCatalog) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}

/** The events a webhook endpoint may subscribe to. */
export const webhookEventTypes = eventTypes.filter((type) => eventCatalog[type].webhook);

/** An event as a row is written: its type with that type's payload (the rows a plan builds for the set writer). */
export type CatalogEvent<T extends EventType = EventType> = { [K in T]: { type: K; payload: EventPayload<K> } }[T];
