/**
 * Every audit action Tally records, named once, with the type of entity it is recorded on and the
 * sentence the audit log and the customer timeline show for it. `{Invoice}` in a sentence is the
 * invoice named by number ("Invoice TLY-000003") when the entry concerns one. A few actions read
 * their entry's data for a fuller sentence (amounts, cards, what changed: lib/audit/describe.ts);
 * the sentence here is what they say without it. `recordAudit` accepts only these names, each with
 * its entity type; docs/events.md is generated from this list.
 */
export interface AuditActionDefinition {
  entityType: string;
  sentence: string;
}

export const auditActionCatalog = {
  "api_key.created": { entityType: "api_key", sentence: "API key created" },
  "api_key.revoked": { entityType: "api_key", sentence: "API key revoked" },
  "api_costs.recorded": { entityType: "api_costs", sentence: "API costs recorded" },
  "budget.created": { entityType: "budget", sentence: "API cost budget created" },
  "budget.updated": { entityType: "budget", sentence: "API cost budget updated" },
  "budget.deleted": { entityType: "budget", sentence: "API cost budget deleted" },
  "card_setup.blocked": { entityType: "customer", sentence: "Card setup blocked by the card-testing rules" },
  "coupon.created": { entityType: "coupon", sentence: "Coupon created" },
  "coupon.updated": { entityType: "coupon", sentence: "Coupon updated" },
  "coupon.deleted": { entityType: "coupon", sentence: "Coupon invalidated" },
  "cost_provider.created": { entityType: "cost_provider", sentence: "API cost provider created" },
  "cost_provider.updated": { entityType: "cost_provider", sentence: "API cost provider updated" },
  "cost_provider.rate_added": { entityType: "cost_provider", sentence: "API cost rate added" },
  "credit_note.created": { entityType: "credit_note", sentence: "Credit note issued" },
  "customer.created": { entityType: "customer", sentence: "Customer created" },
  "customer.updated": { entityType: "customer", sentence: "Profile updated" },
  "customer.credit_granted": { entityType: "customer", sentence: "Credit granted" },
  "customer.default_payment_method_changed": { entityType: "customer", sentence: "Default payment method changed" },
  "customer.note_added": { entityType: "customer", sentence: "Note added" },
  "customer.escalated": { entityType: "customer", sentence: "Escalated to a billing admin" },
  "customer.escalation_resolved": { entityType: "customer", sentence: "Escalation resolved" },
  "customer.data_exported": { entityType: "customer", sentence: "Customer data exported" },
  "customer.erased": { entityType: "customer", sentence: "Customer's personal data erased" },
  "customer.usage_reaggregated": { entityType: "customer", sentence: "Usage rollups rebuilt from the raw events" },
  "customer.gateway_erased": { entityType: "customer", sentence: "Customer's personal data erased at the gateway" },
  "customer.dunning.reminder": { entityType: "customer", sentence: "Dunning: reminder" },
  "customer.dunning.warning": { entityType: "customer", sentence: "Dunning: warning" },
  "customer.dunning.blocked": { entityType: "customer", sentence: "Dunning: blocked" },
  "customer.dunning.restored": { entityType: "customer", sentence: "Dunning: restored" },
  "customers.exported": { entityType: "customer_list", sentence: "Customer list exported" },
  "dispute.created": { entityType: "dispute", sentence: "Dispute opened" },
  "dispute.updated": { entityType: "dispute", sentence: "Dispute updated" },
  "invoice.created": { entityType: "invoice", sentence: "{Invoice} created" },
  "invoice.finalized": { entityType: "invoice", sentence: "{Invoice} finalized" },
  "invoice.paid": { entityType: "invoice", sentence: "{Invoice} paid" },
  "invoice.voided": { entityType: "invoice", sentence: "{Invoice} voided: no longer owed" },
  "invoice.marked_uncollectible": { entityType: "invoice", sentence: "{Invoice} marked uncollectible" },
  "invoice.disputed": { entityType: "invoice", sentence: "{Invoice} disputed" },
  "invoice.resent": { entityType: "invoice", sentence: "{Invoice} emailed again" },
  "invoice.carried_to_balance": { entityType: "invoice", sentence: "{Invoice} below the minimum charge: carried to the balance" },
  "journal.exported": { entityType: "journal", sentence: "Revenue journal exported" },
  "meter.created": { entityType: "meter", sentence: "Meter created" },
  "meter.updated": { entityType: "meter", sentence: "Meter replaced by a new version" },
  "number_series.prefix_changed": { entityType: "number_series", sentence: "Number series prefix changed" },
  "payment.recorded_manually": { entityType: "invoice", sentence: "Payment recorded manually" },
  "payment.failed": { entityType: "payment", sentence: "Payment failed" },
  "payment.requires_action": { entityType: "payment", sentence: "Payment needs the customer to authenticate" },
  "payment.refunded": { entityType: "payment", sentence: "Refund confirmed by the gateway" },
  "payment.early_fraud_warning": { entityType: "payment", sentence: "Early fraud warning from the card issuer" },
  "payment.not_submitted": { entityType: "payment", sentence: "Payment not submitted" },
  "payment.reopened": { entityType: "payment", sentence: "Payment reopened" },
  "payment.succeeded_after_settlement": { entityType: "payment", sentence: "Payment succeeded after settlement" },
  "payment.succeeded_unapplied": { entityType: "payment", sentence: "Payment succeeded unapplied" },
  "payment_method.attached": { entityType: "payment_method", sentence: "Card added" },
  "payment_method.detached": { entityType: "payment_method", sentence: "Card removed" },
  "payment_method.card_updated": { entityType: "payment_method", sentence: "Payment method card updated" },
  "payment_method.gateway_detached": { entityType: "payment_method", sentence: "Payment method gateway detached" },
  "payment_method.setup_failed": { entityType: "customer", sentence: "Payment method setup failed" },
  "permission.denied": { entityType: "permission", sentence: "Refused: the role may not do this" },
  "plan.created": { entityType: "plan", sentence: "Plan created" },
  "plan.updated": { entityType: "plan", sentence: "Plan updated" },
  "portal_session.created": { entityType: "customer", sentence: "Portal sign-in link created" },
  "portal_session.redeemed": { entityType: "customer", sentence: "Signed in to the portal with a link" },
  "price.created": { entityType: "price", sentence: "Price created" },
  "price.updated": { entityType: "price", sentence: "Price updated" },
  "price_migration.started": { entityType: "price_migration_run", sentence: "Price migration started" },
  "price_migration.completed": { entityType: "price_migration_run", sentence: "Price migration completed" },
  "product.created": { entityType: "product", sentence: "Product created" },
  "product.updated": { entityType: "product", sentence: "Product updated" },
  "promotion_code.created": { entityType: "promotion_code", sentence: "Promotion code created" },
  "promotion_code.updated": { entityType: "promotion_code", sentence: "Promotion code updated" },
  "retention.cancel_started": { entityType: "subscription", sentence: "Cancellation flow started" },
  "retention.accepted_discount": { entityType: "subscription", sentence: "Cancellation flow: discount accepted" },
  "retention.paused": { entityType: "subscription", sentence: "Cancellation flow: paused instead" },
  "retention.switched_plan": { entityType: "subscription", sentence: "Cancellation flow: switched to a cheaper plan" },
  "retention.contacted_support": { entityType: "subscription", sentence: "Cancellation flow: contacted support" },
  "retention.canceled": { entityType: "subscription", sentence: "Cancellation flow: canceled" },
  "retention.abandoned": { entityType: "subscription", sentence: "Cancellation flow: abandoned" },
  "retention_offer.updated": { entityType: "retention_offer", sentence: "Retention offer updated" },
  "setting.updated": { entityType: "setting", sentence: "Setting changed" },
  "subscription.created": { entityType: "subscription", sentence: "Subscription created" },
  "subscription.changed": { entityType: "subscription", sentence: "Plan or quantity changed now" },
  "subscription.change_scheduled": { entityType: "subscription", sentence: "Plan change scheduled for the end of the period" },
  "subscription.scheduled_change_canceled": { entityType: "subscription", sentence: "Scheduled plan change canceled" },
  "subscription.price_migration_scheduled": { entityType: "subscription", sentence: "Price migration scheduled" },
  "subscription.cancel_scheduled": { entityType: "subscription", sentence: "Cancellation scheduled for the end of the period" },
  "subscription.canceled_now": { entityType: "subscription", sentence: "Subscription canceled now" },
  "subscription.reactivated": { entityType: "subscription", sentence: "Scheduled cancellation undone" },
  "subscription.paused": { entityType: "subscription", sentence: "Subscription paused" },
  "subscription.discount_applied": { entityType: "subscription", sentence: "Coupon applied" },
  "subscription.discount_removed": { entityType: "subscription", sentence: "Coupon removed" },
  "subscription.usage_spend_threshold_set": { entityType: "subscription", sentence: "Usage spend threshold changed" },
  // A due date reached (lib/billing/subscriptions/lifecycle.ts DueKind).
  "subscription.renewal": { entityType: "subscription", sentence: "Subscription renewed" },
  "subscription.trial_end": { entityType: "subscription", sentence: "Trial ended" },
  "subscription.cancel_at_period_end": { entityType: "subscription", sentence: "Subscription ended at the end of the period" },
  "subscription.pause_resume": { entityType: "subscription", sentence: "Subscription resumed as scheduled" },
  "subscription.pause_auto_cancel": { entityType: "subscription", sentence: "Paused subscription canceled automatically" },
  "subscription.incomplete_expiry": { entityType: "subscription", sentence: "Unpaid first invoice: subscription expired" },
  // A status change (lib/services/subscriptions/change-status.ts), by the new status.
  "subscription.incomplete": { entityType: "subscription", sentence: "Subscription incomplete" },
  "subscription.incomplete_expired": { entityType: "subscription", sentence: "Subscription incomplete expired" },
  "subscription.trialing": { entityType: "subscription", sentence: "Subscription trialing" },
  "subscription.active": { entityType: "subscription", sentence: "Subscription active" },
  "subscription.past_due": { entityType: "subscription", sentence: "Subscription past due" },
  "subscription.canceled": { entityType: "subscription", sentence: "Subscription canceled" },
  "subscription.unpaid": { entityType: "subscription", sentence: "Subscription unpaid" },
  "fx_rate.recorded": { entityType: "fx_rate", sentence: "Exchange rate recorded" },
  "test_clock.created": { entityType: "test_clock", sentence: "Test clock created" },
  "test_clock.advanced": { entityType: "test_clock", sentence: "Test clock advanced" },
  "usage_events.ingested": { entityType: "usage_events", sentence: "Usage events recorded" },
  "user.created": { entityType: "user", sentence: "User created" },
  "user.role_changed": { entityType: "user", sentence: "Role changed" },
  "user.deactivated": { entityType: "user", sentence: "Staff member deactivated: signed out and can no longer sign in" },
  "user.reactivated": { entityType: "user", sentence: "Staff member reactivated" },
  "user.signed_out": { entityType: "user", sentence: "User signed out" },
  "user.erased": { entityType: "user", sentence: "Login erased with the customer's personal data" },
  "webhook_endpoint.created": { entityType: "webhook_endpoint", sentence: "Webhook endpoint created" },
  "webhook_endpoint.enabled": { entityType: "webhook_endpoint", sentence: "Webhook endpoint enabled" },
  "webhook_endpoint.disabled": { entityType: "webhook_endpoint", sentence: "Webhook endpoint disabled" },
  "webhook_endpoint.secret_rolled": { entityType: "webhook_endpoint", sentence: "Webhook endpoint secret replaced" },
  "webhook_endpoint.deleted": { entityType: "webhook_endpoint", sentence: "Webhook endpoint deleted" },
} as const satisfies Record<string, AuditActionDefinition>;

export type AuditAction = keyof typeof auditActionCatalog;
export type AuditEntityType<A extends AuditAction = AuditAction> = (typeof auditActionCatalog)[A]["entityType"];

export const auditActions = Object.keys(auditActionCatalog) as AuditAction[];

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(auditActionCatalog, action);
}

/** An action with its entity type (the audit rows a plan builds for the set writer). */
export type CatalogAuditAction<A extends AuditAction = AuditAction> = { [K in A]: { action: K; entityType: AuditEntityType<K> } }[A];
