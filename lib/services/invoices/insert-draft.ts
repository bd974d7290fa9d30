import type { Executor } from "@/db/client";
import { invoiceLines, invoices } from "@/db/schema";
import type { BillingReason } from "@/lib/billing/invoices/statuses";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { InvoiceDraft } from "@/lib/billing/types";
import { newId, randomToken } from "@/lib/ids";

export interface InsertDraftInput {
  customerId: string;
  subscriptionId: string | null;
  billingReason: BillingReason;
  collectionMethod: "charge_automatically" | "send_invoice";
  /** send_invoice terms, kept on the draft until finalization sets the due date. */
  daysUntilDue?: number | null;
  period: { start: Date; end: Date } | null;
  draft: InvoiceDraft;
  livemode: boolean;
  at: Date;
  couponId?: string | null;
}

type InvoiceInsert = typeof invoices.$inferInsert;
type InvoiceLineInsert = typeof invoiceLines.$inferInsert;

/** The draft invoice row for the engine's draft, exactly as computed (shared with the batched billing run). */
export function draftInvoiceValues(input: InsertDraftInput, id: string, hostedToken: string): InvoiceInsert & { id: string } {
  const { draft } = input;
  return {
    id,
    customerId: input.customerId,
    subscriptionId: input.subscriptionId,
    status: "draft",
    billingReason: input.billingReason,
    currency: draft.currency,
    periodStart: input.period?.start ?? null,
    periodEnd: input.period?.end ?? null,
    subtotal: draft.subtotal,
    discountTotal: draft.discountTotal,
    tax: draft.tax,
    total: draft.total,
    creditApplied: draft.creditApplied,
    debitApplied: draft.debitApplied,
    amountDue: draft.amountDue,
    amountRemaining: draft.amountDue,
    collectionMethod: input.collectionMethod,
    daysUntilDue: input.daysUntilDue ?? null,
    hostedToken,
    couponId: input.couponId ?? null,
    excessCredited: draft.excessCredit,
    livemode: input.livemode,
    createdAt: input.at,
    // Set at finalization. Named here so the finalized copy (lib/services/renewals/renew-batch.ts)
    // replaces properties instead of adding them after a spread (bench/RESULTS.md, P1).
    number: null,
    finalizedAt: null,
    paidAt: null,
    dueDate: null,
    nextPaymentAttemptAt: null,
  };
}

/** The draft's lines as rows of the invoice, in order. */
export function draftLineValues(draft: InvoiceDraft, invoiceId: string, newLineId: () => string = () => newId("invoiceLine")): InvoiceLineInsert[] {
  return draft.lines.map((line, position) => ({
    id: newLineId(),
    invoiceId,
    position,
    description: line.description,
    amount: line.amount,
    quantity: line.quantity,
    unitAmount: line.unitAmount,
    periodStart: line.periodStart,
    periodEnd: line.periodEnd,
    proration: line.proration,
    priceId: line.priceId,
    discountAmount: line.discountAmount,
    taxAmounts: line.taxAmounts,
  }));
}

/** Persist the engine's draft as a draft invoice with its lines, exactly as computed. */
export async function insertInvoiceDraft(tx: Executor, input: InsertDraftInput): Promise<InvoiceRow> {
  const id = newId("invoice");
  const [row] = await tx.insert(invoices).values(draftInvoiceValues(input, id, randomToken(32))).returning();
  if (!row) throw new Error("invoice insert returned nothing");
  if (input.draft.lines.length > 0) await tx.insert(invoiceLines).values(draftLineValues(input.draft, id));
  return row;
}
