import { z } from "zod";
import type { CreditNoteWithLines } from "@/db/queries/credit-notes";
import { iso, timestamp } from "./common";

export const creditNoteReasons = ["duplicate", "fraudulent", "order_change", "product_unsatisfactory", "other"] as const;
export const creditNoteOutcomes = ["refund", "credit", "out_of_band", "reduce_amount_due"] as const;

export const creditNoteLineResource = z
  .object({
    id: z.string(),
    object: z.literal("credit_note_line_item"),
    invoice_line: z.string().nullable(),
    description: z.string(),
    amount: z.number().int().meta({ description: "Gross amount credited on the invoice line, tax included, in minor units." }),
    tax: z.number().int().meta({ description: "The tax inside amount." }),
  })
  .meta({ id: "CreditNoteLine" });

export const creditNoteResource = z
  .object({
    id: z.string(),
    object: z.literal("credit_note"),
    number: z.string(),
    invoice: z.string(),
    customer: z.string(),
    currency: z.string(),
    amount: z.number().int().meta({ description: "Total credited, tax included, in minor units." }),
    tax: z.number().int(),
    reason: z.enum(creditNoteReasons),
    outcome: z.enum(creditNoteOutcomes).meta({
      description: "refund (to the card), credit (to the customer's balance) or out_of_band; a note on an invoice not yet paid reduces the amount due instead (reduce_amount_due).",
    }),
    memo: z.string().nullable(),
    status: z.enum(["issued", "void"]),
    lines: z.array(creditNoteLineResource),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "CreditNote" });

export function toCreditNote(row: CreditNoteWithLines): z.input<typeof creditNoteResource> {
  return {
    id: row.id,
    object: "credit_note",
    number: row.number,
    invoice: row.invoiceId,
    customer: row.customerId,
    currency: row.currency,
    amount: row.amount,
    tax: row.tax,
    reason: row.reason,
    outcome: row.outcome,
    memo: row.memo,
    status: row.status,
    lines: row.lines.map((l) => ({ id: l.id, object: "credit_note_line_item", invoice_line: l.invoiceLineId, description: l.description, amount: l.amount, tax: l.tax })),
    livemode: row.livemode,
    created: iso(row.createdAt),
  };
}
