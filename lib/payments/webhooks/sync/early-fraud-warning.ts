import { eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { findPaymentForGateway } from "../lookup";
import { earlyFraudWarningObject, objectOf, refId } from "../objects";
import { defineHandler, type WebhookHandler } from "../types";

/**
 * `radar.early_fraud_warning.*`: the card issuer reported the charge as likely fraud (a dispute
 * often follows). The payment shows it — risk level `highest`, outcome
 * `early_fraud_warning:<fraud_type>` — with an audit entry per event, and staff are told once
 * (`payment.early_fraud_warning`), whichever of created/updated arrives first. Refunding an
 * actionable warning before it becomes a dispute is the staff's call, not automatic.
 */
export function earlyFraudWarningHandler(): WebhookHandler {
  return defineHandler({
    async apply(ctx, event) {
      const warning = objectOf(event, earlyFraudWarningObject);
      const payment = await findPaymentForGateway(ctx.db, { paymentIntentId: refId(warning.payment_intent) }, { lock: true });
      if (!payment) return { ignored: "no Tally payment for the charge" };
      const flagged = { riskLevel: "highest", outcome: `early_fraud_warning:${warning.fraud_type}` };
      const details = { early_fraud_warning: warning.id, fraud_type: warning.fraud_type, actionable: warning.actionable, charge: refId(warning.charge) };
      await recordAudit(ctx.db, ctx.actor, { action: "payment.early_fraud_warning", entityType: "payment", entityId: payment.id, before: { risk_level: payment.riskLevel, outcome: payment.outcome }, after: { risk_level: flagged.riskLevel, outcome: flagged.outcome, ...details } }, ctx.now, ctx.requestId);
      if (payment.riskLevel === flagged.riskLevel && payment.outcome === flagged.outcome) return;
      await ctx.db.update(payments).set(flagged).where(eq(payments.id, payment.id));
      await enqueueEvent(ctx.db, { type: "payment.early_fraud_warning", customerId: payment.customerId, entityId: payment.id, payload: { payment: payment.id, invoice: payment.invoiceId, ...details } }, ctx.now);
    },
  });
}
