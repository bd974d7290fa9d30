import { eq } from "drizzle-orm";
import { payments, refunds } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { assertMinorUnits, formatMoney } from "@/lib/money";
import type { ServiceContext } from "../context";
import { createCreditNote } from "../credit-notes/create-credit-note";
import { getSetting } from "../settings/settings";

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
): Promise<(typeof refunds.$inferSelect)[]> {
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.id, input.paymentId));
  if (!payment || (input.livemode !== undefined && payment.livemode !== input.livemode)) throw notFound("payment", "payment");
  if (payment.status !== "succeeded" || payment.gateway === "manual") {
    throw new AppError("conflict", { userMessage: "Only succeeded card payments can be refunded. Record money returned outside Tally with a credit note (outcome out_of_band)." });
  }
  const remaining = payment.amount - payment.amountRefunded;
  const amount = input.amount ?? remaining;
  assertMinorUnits(amount, payment.currency, "amount");
  if (amount <= 0 || amount > remaining) {
    throw new AppError("out_of_range", {
      param: "amount",
      userMessage: `amount must be between 1 and the ${formatMoney(remaining, payment.currency)} not yet refunded on this payment.`,
    });
  }
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
 * Support refunds up to a limit per refund (setting `refunds.support_limit`, by currency); larger
 * refunds are for a billing admin. Checked here, not only in the console, so no caller skips it.
 */
async function enforceSupportLimit(ctx: ServiceContext, amount: number, currency: string): Promise<void> {
  if (ctx.actor.type !== "user" || ctx.actor.role !== "support") return;
  const limits = await getSetting(ctx.db, "refunds.support_limit");
  const limit = limits[currency.toLowerCase()];
  if (limit === undefined) {
    throw new AppError("forbidden", { param: "amount", userMessage: `Support cannot refund ${currency.toUpperCase()} payments; escalate to a billing admin.` });
  }
  if (amount > limit) {
    throw new AppError("forbidden", {
      param: "amount",
      userMessage: `Support can refund up to ${formatMoney(limit, currency)} per refund; escalate to a billing admin to refund ${formatMoney(amount, currency)}.`,
    });
  }
}
