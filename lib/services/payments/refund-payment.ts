import { eq } from "drizzle-orm";
import { payments, refunds } from "@/db/schema";
import type { PaymentRow, RefundRow } from "@/db/queries/payments";
import { AppError, notFound } from "@/lib/errors";
import { assertMinorUnits } from "@/lib/money";
import { ESCALATE_REFUND_HINT, overRefundLimit, refundLimitFor } from "@/lib/auth/refund-limit";
import type { ServiceContext } from "../context";
import { createCreditNote } from "../credit-notes/create-credit-note";
import { getSetting } from "../settings/settings";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

export type RefundReason = "duplicate" | "fraudulent" | "requested_by_customer";

const creditNoteReason = { duplicate: "duplicate", fraudulent: "fraudulent", requested_by_customer: "other" } as const;

/**
 * Refund (part of) a card payment. A finalized invoice never changes, so the refund is issued as a
 * credit note with outcome `refund` against the payment's invoice, refunded from this payment only:
 * the invoice, the credit note and the refund always agree.
 */
export async function refundPayment(
  ctx: ServiceContext,
  input: { paymentId: string; amount?: number; reason?: RefundReason; livemode?: boolean },
): Promise<RefundRow[]> {
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.id, input.paymentId));
  if (!payment || (input.livemode !== undefined && payment.livemode !== input.livemode)) throw notFound("payment", "payment");
  const amount = checkRefundable(payment, input.amount);
  await enforceSupportLimit(ctx, amount, payment.currency);
  const note = await createCreditNote(ctx, {
    invoiceId: payment.invoiceId,
    amount,
    reason: creditNoteReason[input.reason ?? "requested_by_customer"],
    outcome: "refund",
    paymentId: payment.id,
    memo: `Refund of payment ${payment.id}`,
  });
  return ctx.db.select().from(refunds).where(eq(refunds.creditNoteId, note.id));
}

/**
 * A payment Tally can refund, and the amount to refund (all that is not yet refunded when none is
 * given): the checks a refund and a request to refund share.
 */
export function checkRefundable(payment: PaymentRow, requested: number | undefined): number {
  if (payment.status !== "succeeded" || payment.gateway === "manual") {
    throw new AppError("conflict", { userMessage: "Only succeeded card payments can be refunded. Record money returned outside Tally with a credit note (outcome out_of_band)." });
  }
  const remaining = payment.amount - payment.amountRefunded;
  const amount = requested ?? remaining;
  assertMinorUnits(amount, payment.currency, "amount");
  if (amount <= 0 || amount > remaining) {
    throw new AppError("out_of_range", {
      param: "amount",
      userMessage: `amount must be between 1 and the ${fmt.money(remaining, payment.currency)} not yet refunded on this payment.`,
    });
  }
  return amount;
}

/**
 * Support refunds up to a limit per refund (setting `refunds.support_limit`, by currency); larger
 * refunds are for a billing admin. Checked here, not only in the console, so no caller skips it;
 * the words are the ones the console's refund dialog shows before the click (lib/auth/refund-limit).
 */
async function enforceSupportLimit(ctx: ServiceContext, amount: number, currency: string): Promise<void> {
  if (ctx.actor.type !== "user") return;
  const limit = refundLimitFor(ctx.actor.role, await getSetting(ctx.db, "refunds.support_limit"), currency);
  const over = overRefundLimit(limit, amount, currency);
  if (over) throw new AppError("forbidden", { param: "amount", userMessage: `${over} ${ESCALATE_REFUND_HINT}` });
}
