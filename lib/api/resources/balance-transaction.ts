import { z } from "zod";
import type { BalanceTransactionRow } from "@/db/queries/customers";
import { iso, timestamp } from "./common";

export const balanceTransactionTypes = ["credit_grant", "applied_to_invoice", "proration_credit", "credit_note", "invoice_excess", "invoice_too_small", "adjustment"] as const;

export const balanceTransactionResource = z
  .object({
    id: z.string(),
    object: z.literal("customer_balance_transaction"),
    customer: z.string(),
    amount: z.number().int().meta({ description: "Minor units; positive is credit in the customer's favour, negative is credit spent or a debit (invoice_too_small: an amount due below the minimum charge, collected by the next invoice)." }),
    currency: z.string(),
    type: z.enum(balanceTransactionTypes),
    description: z.string(),
    invoice: z.string().nullable(),
    credit_note: z.string().nullable(),
    ending_balance: z.number().int().meta({ description: "The customer's balance after this entry (negative: owed, added to the next invoice)." }),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "CustomerBalanceTransaction" });

export function toBalanceTransaction(row: BalanceTransactionRow, livemode: boolean): z.input<typeof balanceTransactionResource> {
  return {
    id: row.id,
    object: "customer_balance_transaction",
    customer: row.customerId,
    amount: row.amount,
    currency: row.currency,
    type: row.type,
    description: row.description,
    invoice: row.invoiceId,
    credit_note: row.creditNoteId,
    ending_balance: row.endingBalance,
    livemode,
    created: iso(row.createdAt),
  };
}
