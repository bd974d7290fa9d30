import { retentionOutcomes } from "@/lib/billing/retention/vocabulary";
import type { AuditAction } from "@/lib/events/catalog/audit-actions";
import type { EventType } from "@/lib/events/catalog/events";

/** The audit actions announced as customer.subscription.updated besides a status change. */
const subscriptionUpdates: AuditAction[] = [
  "subscription.changed",
  "subscription.change_scheduled",
  "subscription.cancel_scheduled",
  "subscription.reactivated",
  "subscription.scheduled_change_canceled",
  "subscription.price_migration_scheduled",
  // A scheduled plan change applied at a renewal, trial end or resume (lib/services/subscriptions/apply-step.ts).
  "subscription.renewal",
  "subscription.trial_end",
  "subscription.pause_resume",
];

/**
 * A change is recorded twice: an audit entry (who did what, before/after) and an outbox event (what
 * Tally announced). Both are written in one transaction, so they share `recorded_at`; the customer
 * timeline shows them as one entry. Most pairs share a name (invoice.paid and invoice.paid); these
 * are the ones that do not, as [event type, audit action]. A status change announced as
 * customer.subscription.updated with a `to` status pairs with the audit action `subscription.<to>`.
 */
export const eventAuditPairs: readonly (readonly [eventType: EventType, auditAction: AuditAction])[] = [
  ["customer.subscription.created", "subscription.created"],
  ["customer.subscription.deleted", "subscription.canceled_now"],
  ["customer.subscription.paused", "subscription.paused"],
  ["customer.subscription.resumed", "subscription.pause_resume"],
  ...subscriptionUpdates.map((action) => ["customer.subscription.updated", action] as const),
  ["customer.discount.created", "subscription.discount_applied"],
  ["customer.discount.deleted", "subscription.discount_removed"],
  ["customer.updated", "customer.default_payment_method_changed"],
  ["customer.balance_transaction.created", "customer.credit_granted"],
  ["customer.deleted", "customer.erased"],
  // An invoice paid by a manual payment, a credit note, or a carry to the balance.
  ["invoice.paid", "payment.recorded_manually"],
  ["invoice.paid", "credit_note.created"],
  ["invoice.paid", "invoice.carried_to_balance"],
  ["payment.recorded", "payment.recorded_manually"],
  ["receipt.created", "receipt.issued"],
  ["invoice.payment_failed", "payment.failed"],
  ["invoice.payment_action_required", "payment.requires_action"],
  ["payment_method.updated", "payment_method.card_updated"],
  ...retentionOutcomes.map((outcome) => ["retention.outcome_recorded", `retention.${outcome}` as const] as const),
];
