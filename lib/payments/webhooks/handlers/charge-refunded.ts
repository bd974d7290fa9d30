import { eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { flagForStaff } from "../flag-for-staff";
import { findPaymentForGateway } from "../lookup";
import { chargeObject, objectOf, refId } from "../objects";
import { applyChargeAnswer, readChargeAnswer, type ChargeAnswer } from "../sync/payment-intent";
import { defineHandler } from "../types";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

/**
 * `charge.refunded`: the charge's `amount_refunded` is the total refunded so far, so it is set,
 * never added, and never lowered (two partial refunds delivered in reverse end at the larger total).
 * Tally's own refunds reserve their amount on the payment before calling the gateway, so a total
 * above what Tally recorded was refunded outside Tally (the dashboard): flagged for staff, who
 * issue the matching credit note. Arriving before the charge's `payment_intent.succeeded`, the
 * handler first settles the payment from the gateway's answer.
 */
export const chargeRefunded = defineHandler<ChargeAnswer & { intentId: string | null }>({
  async load(db, event) {
    const charge = objectOf(event, chargeObject);
    const intentId = refId(charge.payment_intent);
    const payment = await findPaymentForGateway(db, { paymentIntentId: intentId, metadataPaymentId: charge.metadata.payment_id });
    if (!payment || !intentId) return { payment: payment ? { id: payment.id, invoiceId: payment.invoiceId } : null, answer: null, intentId };
    if (payment.status !== "pending" && payment.status !== "requires_action") return { payment: { id: payment.id, invoiceId: payment.invoiceId }, answer: null, intentId };
    return { ...(await readChargeAnswer(db, { id: intentId, metadataPaymentId: payment.id }, null)), intentId };
  },
  async apply(ctx, event, loaded) {
    const charge = objectOf(event, chargeObject);
    if (!loaded.payment) return { ignored: "no Tally payment for this charge" };
    if (loaded.answer) await applyChargeAnswer(ctx, loaded);
    const [payment] = await ctx.db.select().from(payments).where(eq(payments.id, loaded.payment.id)).for("update");
    if (!payment) return { ignored: "the payment no longer exists" };
    if (payment.status === "failed") return { ignored: "the payment is recorded as failed" };
    // A refund proves the charge succeeded; until Tally has recorded that, let Stripe redeliver.
    if (payment.status !== "succeeded") throw new Error(`charge ${charge.id} was refunded but payment ${payment.id} is ${payment.status}; retry once it has settled`);
    const total = Math.min(payment.amount, charge.amount_refunded);
    if (total <= payment.amountRefunded) return { ignored: "the refund is already recorded" };
    await ctx.db.update(payments).set({ amountRefunded: total }).where(eq(payments.id, payment.id));
    const outside = total - payment.amountRefunded;
    await recordAudit(ctx.db, ctx.actor, { action: "payment.refunded", entityType: "payment", entityId: payment.id, before: { amount_refunded: payment.amountRefunded }, after: { amount_refunded: total, charge: charge.id } }, ctx.now, ctx.requestId);
    await enqueueEvent(ctx.db, { type: "payment.refunded", customerId: payment.customerId, entityId: payment.id, payload: { payment: payment.id, invoice: payment.invoiceId, amount_refunded: total, refunded_outside_tally: outside } }, ctx.now);
    await flagForStaff(ctx.db, {
      key: `${payment.id}_${total}`,
      paymentId: payment.id,
      kind: "refund_outside_tally",
      detail: `Charge ${charge.id} shows ${fmt.money(total, payment.currency)} refunded, ${fmt.money(outside, payment.currency)} more than Tally recorded for payment ${payment.id} (invoice ${payment.invoiceId}): issue a credit note for the refund made at the gateway.`,
    });
  },
});
