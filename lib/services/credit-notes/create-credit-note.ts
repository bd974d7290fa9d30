import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { creditNoteLines, creditNotes, invoiceLines, invoices, payments } from "@/db/schema";
import { findCreditNote, listInvoiceCreditNotes, type CreditNoteRow, type CreditNoteWithLines } from "@/db/queries/credit-notes";
import { customerNow, lockCustomer } from "@/db/queries/customers";
import { lockInvoice, takeInvoiceNumber, type InvoiceRow } from "@/db/queries/invoices";
import { planCreditNote, type CreditNotePlan, type CreditNoteRequest } from "@/lib/billing/credit-notes/plan-credit-note";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { assertMinorUnits, sumMinor } from "@/lib/money";
import { recordBalanceTransaction } from "../balance/record-balance-transaction";
import type { ServiceContext } from "../context";
import { planRefunds, sendRefunds } from "./refund-payments";

export type CreditNoteReason = CreditNoteRow["reason"];
export type CreditNoteOutcome = "refund" | "credit" | "out_of_band";

export interface CreateCreditNoteInput {
  invoiceId: string;
  /** Gross amount to credit, tax included; or `lines`. */
  amount?: number;
  lines?: { invoiceLine: string; amount?: number; quantity?: number }[];
  reason: CreditNoteReason;
  /** What happens to the money once the invoice is paid: refund to the card, credit to the balance, or recorded as settled outside Tally. */
  outcome: CreditNoteOutcome;
  memo?: string | null;
  /** Refund from this payment only (a refund requested from a payment rather than an invoice). */
  paymentId?: string;
}

/**
 * Correct a finalized invoice without touching it (finalized invoices never change, except their
 * payment state). The note gets the next `CN-` number.
 * - On an invoice not yet paid (open or uncollectible) the note reduces what is owed, whatever the
 *   outcome asked (there is no money to return); its outcome is recorded as `reduce_amount_due`.
 *   Owing nothing more, the invoice is paid.
 * - On a paid invoice, `credit` adds the amount to the customer's credit balance, `refund` refunds it
 *   through the gateway against the invoice's card payments (most recent first), `out_of_band`
 *   records a repayment made outside Tally.
 * The refunds are sent after the note commits, each with an idempotency key derived from the note
 * and the payment (`cn_<note>_refund_<payment>`), so resending one can never refund twice.
 */
export async function createCreditNote(ctx: ServiceContext, input: CreateCreditNoteInput): Promise<CreditNoteWithLines> {
  const request = toRequest(input);
  const { note, refunds } = await ctx.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, input.invoiceId);
    if (!invoice) throw notFound("invoice", "invoice");
    assertAmounts(input, invoice.currency);
    const plan = await planFor(tx, invoice, request);
    if (plan.timing === "pre_payment") await refuseWhileCharging(tx, invoice.id);
    const outcome = plan.timing === "pre_payment" ? "reduce_amount_due" : input.outcome;
    const customer = await lockCustomer(tx, invoice.customerId);
    if (!customer) throw notFound("customer");
    const at = await customerNow(tx, customer, ctx.now);
    const id = newId("creditNote");
    const refunds = outcome === "refund" ? await planRefunds(tx, invoice, id, plan.amount, { paymentId: input.paymentId, reason: input.reason, at }) : [];

    const number = await takeInvoiceNumber(tx, "credit_note");
    const [row] = await tx
      .insert(creditNotes)
      .values({
        id,
        number,
        invoiceId: invoice.id,
        customerId: invoice.customerId,
        currency: invoice.currency,
        amount: plan.amount,
        tax: plan.tax,
        reason: input.reason,
        outcome,
        memo: input.memo ?? null,
        livemode: invoice.livemode,
        createdAt: at,
      })
      .returning();
    if (!row) throw new Error("credit note insert returned nothing");
    await tx.insert(creditNoteLines).values(
      plan.lines.map((l) => ({ id: newId("creditNoteLine"), creditNoteId: id, invoiceLineId: l.invoiceLineId, description: l.description, amount: l.amount, tax: l.tax })),
    );
    const updated = await applyToInvoice(tx, invoice, plan, at);
    if (outcome === "credit") {
      await recordBalanceTransaction(tx, customer, { amount: plan.amount, type: "credit_note", description: `Credit note ${number}`, invoiceId: invoice.id, creditNoteId: id }, at, ctx.applyMode);
    }
    const refundSummary = refunds.map((r) => ({ payment: r.paymentId, amount: r.amount, idempotency_key: r.idempotencyKey }));
    await recordAudit(
      tx,
      ctx.actor,
      { action: "credit_note.created", entityType: "credit_note", entityId: id, before: { invoice: { status: invoice.status, amountRemaining: invoice.amountRemaining, amountCredited: invoice.amountCredited } }, after: { ...row, lines: plan.lines, refunds: refundSummary, invoice: { status: updated.status, amountRemaining: updated.amountRemaining, amountCredited: updated.amountCredited } } },
      ctx.now,
      ctx.requestId,
    );
    await enqueueEvent(tx, { type: "credit_note.created", customerId: invoice.customerId, entityId: id, payload: { credit_note: id, invoice: invoice.id, outcome, refunds: refundSummary } }, at);
    if (updated.status === "paid" && invoice.status !== "paid") {
      await enqueueEvent(tx, { type: "invoice.paid", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id, credit_note: id } }, at);
    }
    return { note: row, refunds };
  });

  await sendRefunds(ctx.db, note, refunds);
  const full = await findCreditNote(ctx.db, note.id);
  if (!full) throw new Error("credit note vanished");
  return full;
}

function toRequest(input: CreateCreditNoteInput): CreditNoteRequest {
  if ((input.amount === undefined) === (input.lines === undefined)) {
    throw new AppError("validation_failed", { param: "amount", userMessage: "Give either amount (the gross amount to credit, tax included) or lines, not both." });
  }
  return input.amount !== undefined ? { amount: input.amount } : { lines: input.lines ?? [] };
}

/** A charge in flight is for the amount owed before this note: reducing it now could collect more than is owed. */
async function refuseWhileCharging(tx: Executor, invoiceId: string): Promise<void> {
  const [inFlight] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.invoiceId, invoiceId), eq(payments.status, "pending"))).limit(1);
  if (inFlight) throw new AppError("conflict", { userMessage: "A charge for this invoice is in progress; wait for its result before crediting it." });
}

/** Amounts are integer minor units of the invoice's currency ("JPY has no minor unit" beats a generic refusal). */
function assertAmounts(input: CreateCreditNoteInput, currency: string): void {
  if (input.amount !== undefined) assertMinorUnits(input.amount, currency, "amount");
  input.lines?.forEach((line, i) => {
    if (line.amount !== undefined) assertMinorUnits(line.amount, currency, `lines[${i}].amount`);
  });
}

/** The invoice as the planner sees it: its lines with what earlier notes credited on each. */
async function planFor(tx: Executor, invoice: InvoiceRow, request: CreditNoteRequest): Promise<CreditNotePlan> {
  const lines = await tx.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id)).orderBy(asc(invoiceLines.position));
  const earlier = (await listInvoiceCreditNotes(tx, invoice.id)).filter((n) => n.status === "issued");
  const creditedOn = (lineId: string) => earlier.flatMap((n) => n.lines.filter((l) => l.invoiceLineId === lineId));
  return planCreditNote(
    {
      status: invoice.status,
      currency: invoice.currency,
      amountPaid: invoice.amountPaid,
      amountRemaining: invoice.amountRemaining,
      creditedAfterPayment: sumMinor(earlier.filter((n) => n.outcome !== "reduce_amount_due").map((n) => n.amount)),
      lines: lines.map((l) => {
        const credited = creditedOn(l.id);
        return {
          id: l.id,
          description: l.description,
          amount: l.amount,
          quantity: l.quantity,
          discountAmount: l.discountAmount,
          taxAmounts: l.taxAmounts,
          credited: { amount: sumMinor(credited.map((c) => c.amount)), tax: sumMinor(credited.map((c) => c.tax)) },
        };
      }),
    },
    request,
  );
}

/** Only the payment-state columns move (finalized invoices are otherwise immutable). */
async function applyToInvoice(tx: Executor, invoice: InvoiceRow, plan: CreditNotePlan, at: Date): Promise<InvoiceRow> {
  const amountCredited = invoice.amountCredited + plan.amount;
  const changes =
    plan.timing === "pre_payment"
      ? (() => {
          const amountRemaining = invoice.amountRemaining - plan.amount;
          // Owing nothing more, the invoice is settled (Stripe marks it paid too).
          return amountRemaining === 0 ? { amountCredited, amountRemaining, status: "paid" as const, paidAt: at } : { amountCredited, amountRemaining };
        })()
      : { amountCredited };
  const [row] = await tx.update(invoices).set(changes).where(eq(invoices.id, invoice.id)).returning();
  if (!row) throw new Error("invoice vanished");
  return row;
}
