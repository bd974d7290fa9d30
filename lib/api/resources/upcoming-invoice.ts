import { z } from "zod";
import type { LineInput } from "@/lib/billing/types";
import { taxAmountResource, toTaxAmounts } from "./invoice";
import type { UpcomingInvoice } from "@/lib/services/subscriptions/preview";

/** A line an invoice will have: of a change's preview and of the upcoming invoice. */
export const previewLine = z.object({
  description: z.string(),
  amount: z.number().int(),
  quantity: z.number().int(),
  proration: z.boolean(),
  price: z.string().nullable(),
  period: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
});

type PreviewLineInput = Pick<LineInput, "description" | "amount" | "quantity" | "proration" | "priceId" | "periodStart" | "periodEnd">;

export function toPreviewLine(l: PreviewLineInput): z.input<typeof previewLine> {
  return {
    description: l.description,
    amount: l.amount,
    quantity: l.quantity,
    proration: l.proration,
    price: l.priceId,
    period: { start: l.periodStart?.toISOString() ?? null, end: l.periodEnd?.toISOString() ?? null },
  };
}

export const upcomingInvoiceResource = z
  .object({
    object: z.literal("upcoming_invoice"),
    subscription: z.string(),
    billing_reason: z.string(),
    date: z.string(),
    period: z.object({ start: z.string(), end: z.string() }),
    currency: z.string(),
    lines: z.array(previewLine.extend({ discount_amount: z.number().int(), tax_amounts: z.array(taxAmountResource) })),
    subtotal: z.number().int(),
    discount_total: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    credit_applied: z.number().int(),
    amount_due: z.number().int(),
  })
  .meta({ id: "UpcomingInvoice" });

export function toUpcomingInvoice(subscriptionId: string, upcoming: UpcomingInvoice): z.input<typeof upcomingInvoiceResource> {
  const inv = upcoming.invoice;
  return {
    object: "upcoming_invoice",
    subscription: subscriptionId,
    billing_reason: upcoming.billingReason,
    date: upcoming.date.toISOString(),
    period: { start: upcoming.period.start.toISOString(), end: upcoming.period.end.toISOString() },
    currency: inv.currency,
    lines: inv.lines.map((l) => ({ ...toPreviewLine(l), discount_amount: l.discountAmount, tax_amounts: toTaxAmounts(l.taxAmounts) })),
    subtotal: inv.subtotal,
    discount_total: inv.discountTotal,
    tax: inv.tax,
    total: inv.total,
    credit_applied: inv.creditApplied,
    amount_due: inv.amountDue,
  };
}
