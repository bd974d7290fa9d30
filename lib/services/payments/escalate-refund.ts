import { eq } from "drizzle-orm";
import { customerNotes, invoices, payments } from "@/db/schema";
import { listOpenRefundRequests, type CustomerNoteRow } from "@/db/queries/notes";
import { recordAudit } from "@/lib/audit/record";
import { notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { staffAuthor } from "../notes/add-note";
import { checkRefundable, type RefundReason } from "./refund-payment";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

export interface EscalateRefundInput {
  paymentId: string;
  /** In the payment's currency, minor units; all that is not yet refunded when omitted. */
  amount?: number;
  reason?: RefundReason;
  /** When given, the payment must belong to this customer. */
  customerId?: string;
}

export interface EscalateRefundResult {
  escalation: CustomerNoteRow;
  /** False when the payment already had an open request: that one is returned and nothing is added. */
  created: boolean;
}

const reasonWords: Record<RefundReason, string> = {
  requested_by_customer: "requested by the customer",
  duplicate: "duplicate charge",
  fraudulent: "fraudulent",
};

/**
 * Ask a billing admin to make a refund the requester may not make (above support's limit). The
 * request is an escalation on the customer naming the payment and the amount, so it shows wherever
 * escalations show (the customer's header, overview, notes and payments tab, the work queue) and is
 * closed the way every escalation is, by a resolution.
 *
 * One open request per payment: asking again while one is open returns it unchanged. The payment
 * row is locked first, so two clicks at once cannot both find none and add two.
 */
export async function escalateRefund(ctx: ServiceContext, input: EscalateRefundInput): Promise<EscalateRefundResult> {
  const author = staffAuthor(ctx);
  return ctx.db.transaction(async (tx) => {
    const [payment] = await tx.select().from(payments).where(eq(payments.id, input.paymentId)).for("update");
    if (!payment || (input.customerId !== undefined && payment.customerId !== input.customerId)) throw notFound("payment", "payment");
    const [open] = await listOpenRefundRequests(tx, { paymentId: payment.id });
    if (open) return { escalation: open.note, created: false };
    const amount = checkRefundable(payment, input.amount);
    const [invoice] = await tx.select({ number: invoices.number }).from(invoices).where(eq(invoices.id, payment.invoiceId));
    const m = (n: number) => fmt.money(n, payment.currency);
    const already = payment.amountRefunded > 0 ? `, ${m(payment.amountRefunded)} already refunded` : "";
    const body = `Refund request: please refund ${m(amount)} of the ${m(payment.amount)} payment on ${invoice?.number ?? payment.invoiceId}${already}. Reason: ${reasonWords[input.reason ?? "requested_by_customer"]}.`;
    const [escalation] = await tx
      .insert(customerNotes)
      .values({ id: newId("customerNote"), customerId: payment.customerId, author, body, kind: "escalation", paymentId: payment.id, refundAmount: amount, createdAt: ctx.now })
      .returning();
    if (!escalation) throw new Error("note insert returned nothing");
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "customer.escalated",
        entityType: "customer",
        entityId: payment.customerId,
        after: { note: escalation.id, kind: "escalation", body, payment: payment.id, amount, currency: payment.currency },
      },
      ctx.now,
      ctx.requestId,
    );
    return { escalation, created: true };
  });
}
