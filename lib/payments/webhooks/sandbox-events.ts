import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { payments } from "@/db/schema";
import { findPaymentMethod } from "@/db/queries/customers";
import type { OutboxEvent } from "@/lib/events/outbox";
import { testCardByToken } from "@/lib/payments/sandbox/test-cards";
import { receiveStripeEvent } from "./receive";
import type { WebhookEvent } from "./types";

/** Stripe gives a dispute on a test card about a week to answer. */
const EVIDENCE_DAYS = 7;

/**
 * The embedded sandbox has no Stripe to send webhooks, yet its disputed test card
 * (pm_card_createDispute, 4000 0000 0000 0259) must behave like Stripe's: succeed, then be
 * disputed as fraudulent with the funds withdrawn. On `invoice.paid` (an outbox handler, after the
 * payment committed), a sandbox payment with that card gets the two events Stripe would send —
 * `charge.dispute.created` and `charge.dispute.funds_withdrawn` — through the same pipeline and
 * handlers as real webhooks (recorded in stripe_events, deduplicated by their derived ids). This
 * is the only coupling: one line in lib/services/notifications/handle-outbox-event.ts.
 */
export async function raiseSandboxDispute(db: Db, outboxEvent: OutboxEvent, now: Date = new Date()): Promise<void> {
  const paymentId = outboxEvent.payload.payment;
  if (typeof paymentId !== "string") return;
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  if (!payment || payment.gateway !== "sandbox" || payment.status !== "succeeded" || !payment.gatewayId || !payment.paymentMethodId) return;
  const method = await findPaymentMethod(db, payment.paymentMethodId);
  if (!method || testCardByToken(method.gatewayId.split(":")[0] ?? "")?.behavior.kind !== "disputed") return;

  const created = Math.floor(now.getTime() / 1000);
  const dispute = {
    id: `du_sbx_${payment.id}`,
    object: "dispute",
    amount: payment.amount,
    currency: payment.currency,
    status: "needs_response",
    reason: "fraudulent",
    charge: `ch_sbx_${payment.id}`,
    payment_intent: payment.gatewayId,
    evidence_details: { due_by: created + EVIDENCE_DAYS * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
    balance_transactions: [{ amount: -payment.amount, currency: payment.currency, type: "adjustment" }],
    is_charge_refundable: false,
    livemode: payment.livemode,
    created,
    metadata: {},
  };
  const event = (type: string, id: string): WebhookEvent => ({ id, type, created, livemode: payment.livemode, data: { object: dispute } });
  await receiveStripeEvent(db, event("charge.dispute.created", `evt_sbx_dispute_created_${payment.id}`), { now });
  await receiveStripeEvent(db, event("charge.dispute.funds_withdrawn", `evt_sbx_dispute_funds_withdrawn_${payment.id}`), { now });
}
