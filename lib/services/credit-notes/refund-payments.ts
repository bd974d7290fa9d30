import { and, desc, eq, inArray, isNotNull, lt } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { creditNotes, payments, reconciliationItems, refunds } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { CreditNoteRow } from "@/db/queries/credit-notes";
import type { InvoiceRow } from "@/db/queries/invoices";
import { AppError } from "@/lib/errors";
import { gateway, refundIdempotencyKey } from "@/lib/payments";
import { isGatewayError } from "@/lib/payments/gateway-error";
import { errorField, log } from "@/lib/observability/logger";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

export interface PlannedRefund {
  refundId: string;
  paymentId: string;
  paymentGatewayId: string;
  amount: number;
  idempotencyKey: string;
}

/**
 * Reserve `amount` across the invoice's succeeded gateway payments, most recent first, never more
 * than a payment's amount less what was already refunded from it, and record the reservation on the
 * payments (amount_refunded) in the caller's transaction so a concurrent note cannot refund the same
 * money. Payments recorded out of band have no card to refund to.
 */
export async function planRefunds(
  tx: Executor,
  invoice: InvoiceRow,
  creditNoteId: string,
  amount: number,
  opts: { paymentId?: string; reason?: string | null; at?: Date } = {},
): Promise<PlannedRefund[]> {
  const rows = await tx
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.invoiceId, invoice.id),
        eq(payments.status, "succeeded"),
        inArray(payments.gateway, ["sandbox", "stripe"]),
        isNotNull(payments.gatewayId),
        opts.paymentId ? eq(payments.id, opts.paymentId) : undefined,
      ),
    )
    .orderBy(desc(payments.settledAt), desc(payments.attempt))
    .for("update");
  const refundable = rows.reduce((sum, p) => sum + Math.max(0, p.amount - p.amountRefunded), 0);
  if (refundable < amount) {
    throw new AppError("validation_failed", {
      param: "outcome",
      userMessage: `Only ${fmt.money(refundable, invoice.currency)} of this invoice was paid by card and is not yet refunded; credit the rest to the customer's balance (outcome credit) or record it as repaid outside Tally (outcome out_of_band).`,
    });
  }
  const planned: PlannedRefund[] = [];
  let left = amount;
  for (const payment of rows) {
    if (left === 0) break;
    const take = Math.min(left, payment.amount - payment.amountRefunded);
    if (take <= 0) continue;
    await tx.update(payments).set({ amountRefunded: payment.amountRefunded + take }).where(eq(payments.id, payment.id));
    const refundId = newId("refund");
    const idempotencyKey = refundIdempotencyKey(creditNoteId, payment.id);
    await tx.insert(refunds).values({
      id: refundId,
      paymentId: payment.id,
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      amount: take,
      currency: invoice.currency,
      status: "pending",
      reason: opts.reason ?? null,
      creditNoteId,
      idempotencyKey,
      livemode: invoice.livemode,
      createdAt: opts.at ?? new Date(),
    });
    planned.push({ refundId, paymentId: payment.id, paymentGatewayId: payment.gatewayId ?? "", amount: take, idempotencyKey });
    left -= take;
  }
  return planned;
}

/**
 * Send the reserved refunds to the gateway, after the note committed (the gateway is remote and
 * never inside our transaction). Each key is stable, so sending again replays instead of refunding
 * twice; the plan is in the note's audit entry and `credit_note.created` event. A refund the
 * gateway refuses is recorded `failed` with its reason and a reconciliation item for staff; one it
 * did not answer stays `pending` and is sent again, under the same key, by resendPendingRefunds.
 * Either way the note stands (a finalized document never changes) and the caller is answered.
 */
export async function sendRefunds(db: Db, note: CreditNoteRow, planned: readonly PlannedRefund[]): Promise<void> {
  for (const refund of planned) {
    let result: Awaited<ReturnType<ReturnType<typeof gateway>["refund"]>>;
    try {
      result = await gateway().refund({ paymentGatewayId: refund.paymentGatewayId, amount: refund.amount, idempotencyKey: refund.idempotencyKey });
    } catch (error) {
      if (!isGatewayError(error, "unavailable")) throw error;
      log.warn({ refund_id: refund.refundId, ...errorField(error) }, "a refund got no answer from the gateway; it stays pending and is sent again");
      continue;
    }
    if (result.status === "succeeded") {
      await db.update(refunds).set({ status: "succeeded", gatewayId: result.gatewayId }).where(eq(refunds.id, refund.refundId));
      continue;
    }
    await db.update(refunds).set({ status: "failed", gatewayId: result.gatewayId, failureMessage: result.message }).where(eq(refunds.id, refund.refundId));
    // The money was reserved on the payment but did not move: staff decide (retry or credit instead).
    await db.insert(reconciliationItems).values({
      id: newId("reconciliationItem"),
      paymentId: refund.paymentId,
      kind: "refund_failed",
      detail: `Credit note ${note.number}: the gateway refused refund ${refund.idempotencyKey} of ${refund.amount}: ${result.failureCode} ${result.message}`,
    });
  }
}

/** How long a refund waits for its first answer before the janitor sends it again. */
const RESEND_AFTER_MS = 2 * 60_000;

/**
 * Refunds left pending because the gateway did not answer: sent again under their own key (the
 * gateway replays the refund if it made it), and recorded as sendRefunds does. Run by the
 * gateway janitor (lib/services/payments/gateway-sync.ts).
 */
export async function resendPendingRefunds(db: Db, now: Date): Promise<{ sent: number; errors: string[] }> {
  const pending = await db
    .select({ refund: refunds, note: creditNotes, paymentGatewayId: payments.gatewayId, gateway: payments.gateway })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .innerJoin(creditNotes, eq(creditNotes.id, refunds.creditNoteId))
    .where(and(eq(refunds.status, "pending"), lt(refunds.createdAt, new Date(now.getTime() - RESEND_AFTER_MS))))
    .limit(100);
  const errors: string[] = [];
  let sent = 0;
  for (const row of pending) {
    if (row.gateway !== gateway().name || !row.paymentGatewayId) continue;
    try {
      await sendRefunds(db, row.note, [{ refundId: row.refund.id, paymentId: row.refund.paymentId, paymentGatewayId: row.paymentGatewayId, amount: row.refund.amount, idempotencyKey: row.refund.idempotencyKey }]);
      sent += 1;
    } catch (error) {
      errors.push(`${row.refund.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { sent, errors };
}
