import type { TaxAmount } from "@/lib/billing/types";
import { billingReasons } from "@/lib/billing/invoices/statuses";
import { z } from "zod";
import type { InvoiceWithLines } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import { invoiceStatuses } from "@/lib/billing/invoices/statuses";
import { appUrl } from "@/lib/env";
import { iso, isoOrNull, metadataOut, timestamp } from "./common";

export const taxAmountResource = z.object({
  amount: z.number().int(),
  rate: z.string(),
  jurisdiction: z.string(),
  inclusive: z.boolean(),
  reverse_charge: z.boolean().meta({ description: "EU reverse charge: nothing charged; the buyer accounts for the VAT, and the invoice says so in words." }),
});

/** A line's tax entries as the API shows them (a line issued before reverse charges existed: false). */
export function toTaxAmounts(list: readonly TaxAmount[]): z.infer<typeof taxAmountResource>[] {
  return list.map((t) => ({ amount: t.amount, rate: t.rate, jurisdiction: t.jurisdiction, inclusive: t.inclusive, reverse_charge: t.reverseCharge ?? false }));
}

export const invoiceLineResource = z
  .object({
    id: z.string(),
    object: z.literal("line_item"),
    description: z.string(),
    amount: z.number().int(),
    quantity: z.number().int(),
    unit_amount: z.number().int().nullable(),
    period: z.object({ start: timestamp.nullable(), end: timestamp.nullable() }),
    proration: z.boolean(),
    price: z.string().nullable(),
    discount_amount: z.number().int(),
    tax_amounts: z.array(taxAmountResource),
  })
  .meta({ id: "InvoiceLine" });

export const invoiceResource = z
  .object({
    id: z.string(),
    object: z.literal("invoice"),
    number: z.string().nullable(),
    customer: z.string(),
    subscription: z.string().nullable(),
    status: z.enum(invoiceStatuses),
    billing_reason: z.enum(billingReasons),
    collection_method: z.enum(["charge_automatically", "send_invoice"]),
    currency: z.string(),
    lines: z.array(invoiceLineResource),
    subtotal: z.number().int(),
    discount_total: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    credit_applied: z.number().int(),
    debit_applied: z.number().int().meta({ description: "A debit on the customer's balance (earlier amounts below the minimum charge) this invoice collects: added to amount_due." }),
    amount_due: z.number().int(),
    amount_paid: z.number().int(),
    amount_remaining: z.number().int(),
    carried_to_balance: z
      .number()
      .int()
      .meta({ description: "An amount due below the currency's minimum charge, not charged: the invoice was paid by adding it to the customer's balance as a debit, which the next invoice collects." }),
    amount_credited: z.number().int().meta({ description: "Credited by credit notes, tax included." }),
    period_start: timestamp.nullable(),
    period_end: timestamp.nullable(),
    due_date: timestamp.nullable(),
    finalized_at: timestamp.nullable(),
    paid_at: timestamp.nullable(),
    hosted_invoice_url: z.string().nullable().meta({ description: "The hosted invoice page, where the invoice can be viewed and paid by anyone holding this unguessable link; null for a draft." }),
    pdf_url: z
      .string()
      .nullable()
      .meta({ description: "The invoice's PDF (tax invoice where the jurisdiction requires one), fetched with the hosted link's token and no session or API key; null for a draft." }),
    last_payment_error: z
      .object({ code: z.string().nullable(), decline_code: z.string().nullable(), message: z.string().nullable() })
      .nullable()
      .meta({ description: "The decline of the latest failed payment attempt, if any." }),
    livemode: z.boolean(),
    metadata: metadataOut,
    created: timestamp,
  })
  .meta({ id: "Invoice" });

export function toInvoice(row: InvoiceWithLines, latestPayment?: PaymentRow | null): z.input<typeof invoiceResource> {
  const failed = latestPayment && latestPayment.status === "failed" && row.status === "open" ? latestPayment : null;
  return {
    id: row.id,
    object: "invoice",
    number: row.number,
    customer: row.customerId,
    subscription: row.subscriptionId,
    status: row.status,
    billing_reason: row.billingReason,
    collection_method: row.collectionMethod,
    currency: row.currency,
    lines: row.lines.map((l) => ({
      id: l.id,
      object: "line_item",
      description: l.description,
      amount: l.amount,
      quantity: l.quantity,
      unit_amount: l.unitAmount,
      period: { start: isoOrNull(l.periodStart), end: isoOrNull(l.periodEnd) },
      proration: l.proration,
      price: l.priceId,
      discount_amount: l.discountAmount,
      tax_amounts: toTaxAmounts(l.taxAmounts),
    })),
    subtotal: row.subtotal,
    discount_total: row.discountTotal,
    tax: row.tax,
    total: row.total,
    credit_applied: row.creditApplied,
    debit_applied: row.debitApplied,
    amount_due: row.amountDue,
    amount_paid: row.amountPaid,
    amount_remaining: row.amountRemaining,
    carried_to_balance: row.carriedToBalance,
    amount_credited: row.amountCredited,
    period_start: isoOrNull(row.periodStart),
    period_end: isoOrNull(row.periodEnd),
    due_date: isoOrNull(row.dueDate),
    finalized_at: isoOrNull(row.finalizedAt),
    paid_at: isoOrNull(row.paidAt),
    hosted_invoice_url: row.status === "draft" ? null : `${appUrl()}/i/${row.hostedToken}`,
    pdf_url: row.status === "draft" ? null : `${appUrl()}/i/${row.hostedToken}/pdf`,
    last_payment_error: failed ? { code: failed.failureCode, decline_code: failed.declineCode, message: failed.failureMessage } : null,
    livemode: row.livemode,
    metadata: row.metadata,
    created: iso(row.createdAt),
  };
}
