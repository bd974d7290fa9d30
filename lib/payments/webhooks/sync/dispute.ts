import { recordGatewayDispute } from "@/lib/services/disputes/record-gateway-dispute";
import { flagForStaff } from "../flag-for-staff";
import { findPaymentForGateway } from "../lookup";
import { disputeObject, objectOf, refId } from "../objects";
import { defineHandler, type WebhookHandler } from "../types";

/**
 * `charge.dispute.*`: every event carries the whole dispute, so all five upsert it by its gateway
 * id and merge by event time (lib/services/disputes). The event type adds what the object may not
 * show yet: `funds_withdrawn` / `funds_reinstated` set their flag.
 */
export function disputeHandler(kind: "created" | "updated" | "closed" | "funds_withdrawn" | "funds_reinstated"): WebhookHandler {
  return defineHandler({
    async apply(ctx, event) {
      const dispute = objectOf(event, disputeObject);
      const intentId = refId(dispute.payment_intent);
      const payment = intentId ? await findPaymentForGateway(ctx.db, { paymentIntentId: intentId }, { lock: true }) : undefined;
      if (!payment) {
        await flagForStaff(ctx.db, {
          key: dispute.id,
          paymentId: null,
          kind: "dispute_unmatched",
          detail: `Dispute ${dispute.id} (${dispute.reason}, ${dispute.status}) on charge ${refId(dispute.charge) ?? "?"} matches no Tally payment.`,
        });
        return { ignored: "no Tally payment for the disputed charge: flagged for staff" };
      }
      const movements = (dispute.balance_transactions ?? []).flatMap((t) => (typeof t === "string" ? [] : [t.amount]));
      const asOf = new Date(event.created * 1000);
      await recordGatewayDispute(ctx, payment, {
        gatewayId: dispute.id,
        amount: dispute.amount,
        currency: dispute.currency,
        status: dispute.status,
        reason: dispute.reason,
        evidenceDueBy: dispute.evidence_details?.due_by ? new Date(dispute.evidence_details.due_by * 1000) : null,
        fundsWithdrawn: kind === "funds_withdrawn" || movements.some((a) => a < 0),
        fundsReinstated: kind === "funds_reinstated" || movements.some((a) => a > 0),
        livemode: event.livemode,
        openedAt: dispute.created ? new Date(dispute.created * 1000) : asOf,
        asOf,
      });
    },
  });
}
