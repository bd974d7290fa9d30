import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, pendingInvoiceItems } from "@/db/schema";
import type { BillingReason } from "@/lib/billing/invoices/statuses";
import type { CustomerRow } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { buildInvoice } from "@/lib/billing/invoices/build-invoice";
import type { DiscountTerms, InvoiceDraft, LineInput } from "@/lib/billing/types";
import { australianGst } from "@/lib/tax/au-gst";
import { applyCreditAndFinalize } from "./apply-credit-and-finalize";
import { insertInvoiceDraft } from "./insert-draft";

export interface IssueInvoiceInput {
  customer: CustomerRow;
  subscription: { id: string; collectionMethod: "charge_automatically" | "send_invoice"; daysUntilDue: number | null } | null;
  billingReason: BillingReason;
  period: { start: Date; end: Date } | null;
  lines: LineInput[];
  discount: DiscountTerms | null;
  /** Pending invoice items of this subscription that the lines include: marked as invoiced. */
  consumesPendingItems: boolean;
  at: Date;
  /** Leave the invoice as a draft (one-off invoices finalized later). */
  draft?: boolean;
  /** Collection terms of an invoice without a subscription (one-off invoices); a subscription's own terms win. */
  collection?: { method: "charge_automatically" | "send_invoice"; daysUntilDue: number | null };
}

/** The tax calculator for an invoice; the tax work adds other jurisdictions behind the same port. */
export const taxCalculator = australianGst;

/** Preview without persisting: exactly what `issueInvoice` would compute now. */
export function previewInvoice(customer: CustomerRow, currency: string, lines: LineInput[], discount: DiscountTerms | null, at: Date): InvoiceDraft {
  return buildInvoice({ customer, currency, lines, discount, taxCalculator, asOf: at });
}

/**
 * Build, persist and (unless a draft) finalize an invoice in the caller's transaction: the
 * customer's credit balance pays what it can, a negative total's excess goes back to the balance,
 * consumed pending items point at the invoice, and the number is taken at finalization.
 */
export async function issueInvoice(tx: Executor, actor: Actor, input: IssueInvoiceInput): Promise<InvoiceRow> {
  const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customer.id)).for("update");
  if (!customer) throw new Error("customer vanished");
  const currency = customer.currency;
  const draft = previewInvoice(customer, currency, input.lines, input.discount, input.at);
  const inserted = await insertInvoiceDraft(tx, {
    customerId: customer.id,
    subscriptionId: input.subscription?.id ?? null,
    billingReason: input.billingReason,
    collectionMethod: input.subscription?.collectionMethod ?? input.collection?.method ?? "send_invoice",
    daysUntilDue: input.subscription ? input.subscription.daysUntilDue : (input.collection?.daysUntilDue ?? null),
    period: input.period,
    draft,
    livemode: customer.livemode,
    at: input.at,
    couponId: input.discount?.couponId ?? null,
  });
  if (input.consumesPendingItems && input.subscription) {
    await tx
      .update(pendingInvoiceItems)
      .set({ invoiceId: inserted.id })
      .where(and(eq(pendingInvoiceItems.subscriptionId, input.subscription.id), isNull(pendingInvoiceItems.invoiceId)));
  }
  if (input.draft) return inserted;
  return applyCreditAndFinalize(tx, actor, inserted, customer, input.at, inserted.daysUntilDue);
}

