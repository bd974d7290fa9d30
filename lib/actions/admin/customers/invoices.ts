"use server";

import { z } from "zod";
import { findInvoice } from "@/db/queries/invoices";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { createCreditNote } from "@/lib/services/credit-notes/create-credit-note";
import { payInvoice } from "@/lib/services/invoices/pay-invoice";
import { resendInvoice } from "@/lib/services/invoices/resend-invoice";
import { markInvoiceUncollectible, voidInvoice } from "@/lib/services/invoices/void-invoice";
import { recordManualPayment } from "@/lib/services/payments/record-manual-payment";
import { customerField, idField, parseAmount, refreshCustomer } from "./helpers";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const invoiceSchema = z.object({ customerId: customerField, invoiceId: idField });

/** The invoice, if it is this customer's. */
async function ownInvoice(db: Parameters<typeof findInvoice>[0], invoiceId: string, customerId: string) {
  const invoice = await findInvoice(db, invoiceId);
  if (!invoice || invoice.customerId !== customerId) throw new AppError("not_found", { param: "invoiceId", userMessage: "No such invoice for this customer." });
  return invoice;
}

export const voidInvoiceAction = validatedAction("invoices.void", invoiceSchema, async (input, _user, ctx) => {
  await ownInvoice(ctx.db, input.invoiceId, input.customerId);
  const invoice = await voidInvoice(ctx, input.invoiceId);
  refreshCustomer(input.customerId);
  return { ok: true, message: `Invoice ${invoice.number ?? invoice.id} voided.` };
});

export const markUncollectibleAction = validatedAction("invoices.void", invoiceSchema, async (input, _user, ctx) => {
  await ownInvoice(ctx.db, input.invoiceId, input.customerId);
  const invoice = await markInvoiceUncollectible(ctx, input.invoiceId);
  refreshCustomer(input.customerId);
  return { ok: true, message: `Invoice ${invoice.number ?? invoice.id} marked uncollectible.` };
});

export const resendInvoiceAction = validatedAction("invoices.send", invoiceSchema, async (input, _user, ctx) => {
  await ownInvoice(ctx.db, input.invoiceId, input.customerId);
  const { invoice, to } = await resendInvoice(ctx, input.invoiceId);
  refreshCustomer(input.customerId);
  return { ok: true, message: `Invoice ${invoice.number ?? invoice.id} emailed to ${to}.` };
});

export const retryPaymentAction = validatedAction("payments.retry", invoiceSchema, async (input, _user, ctx) => {
  await ownInvoice(ctx.db, input.invoiceId, input.customerId);
  try {
    const { invoice } = await payInvoice(ctx, input.invoiceId);
    return { ok: true, message: invoice.status === "paid" ? `Payment succeeded: invoice ${invoice.number ?? invoice.id} is paid.` : `Invoice ${invoice.number ?? invoice.id} is ${invoice.status}.` };
  } finally {
    // A declined charge is on record too: the page shows it either way.
    refreshCustomer(input.customerId);
  }
});

export const creditNoteAction = validatedAction(
  "credit_notes.create",
  invoiceSchema.extend({
    amount: z.string().min(1, "Enter an amount."),
    outcome: z.enum(["refund", "credit", "out_of_band"]),
    reason: z.enum(["duplicate", "fraudulent", "order_change", "product_unsatisfactory", "other"]),
    memo: z.string().max(500).optional(),
  }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    const invoice = await ownInvoice(ctx.db, input.invoiceId, input.customerId);
    const amount = parseAmount(input.amount, invoice.currency);
    const note = await createCreditNote(ctx, { invoiceId: invoice.id, amount, outcome: input.outcome, reason: input.reason, memo: input.memo?.trim() || null });
    refreshCustomer(input.customerId);
    return { ok: true, message: `Credit note ${note.number} issued for ${fmt.money(note.amount, note.currency)}.` };
  },
);

export const manualPaymentAction = validatedAction(
  "payments.record_manual",
  invoiceSchema.extend({
    amount: z.string().min(1, "Enter an amount."),
    method: z.enum(["bank_transfer", "cheque", "other"]),
    reference: z.string().max(200).optional(),
  }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    const invoice = await ownInvoice(ctx.db, input.invoiceId, input.customerId);
    const amount = parseAmount(input.amount, invoice.currency);
    const { invoice: updated, payment } = await recordManualPayment(ctx, { invoiceId: invoice.id, amount, method: input.method, reference: input.reference?.trim() || null });
    refreshCustomer(input.customerId);
    const left = updated.amountRemaining > 0 ? `; ${fmt.money(updated.amountRemaining, updated.currency)} still owed` : "; the invoice is paid";
    return { ok: true, message: `Recorded ${fmt.money(payment.amount, payment.currency)}${left}.` };
  },
);
