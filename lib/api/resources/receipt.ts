import { z } from "zod";
import type { ReceiptRow } from "@/db/queries/receipts";
import { iso, timestamp } from "./common";

export const receiptResource = z
  .object({
    id: z.string(),
    object: z.literal("receipt"),
    number: z.string().meta({ description: "Sequential in its own series, e.g. RCT-000123.", example: "RCT-000123" }),
    customer: z.string(),
    invoice: z.string().meta({ description: "The invoice the payment paid." }),
    payment: z.string().meta({ description: "The payment received; one receipt per payment." }),
    amount: z.number().int().meta({ description: "Amount received in integer minor units." }),
    currency: z.string(),
    payment_method_details: z
      .object({
        type: z.enum(["card", "bank_transfer", "cheque", "other"]),
        card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
        description: z.string().meta({ description: 'As the receipt prints it: "Visa ending 4242", "Bank transfer (ref 7731)".' }),
      })
      .strict(),
    paid_at: timestamp,
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "Receipt", description: "Issued for every successful payment and emailed to the customer with its PDF." });

export function toReceipt(row: ReceiptRow): z.input<typeof receiptResource> {
  return {
    id: row.id,
    object: "receipt",
    number: row.number,
    customer: row.customerId,
    invoice: row.invoiceId,
    payment: row.paymentId,
    amount: row.amount,
    currency: row.currency,
    payment_method_details: {
      type: row.method,
      card: row.cardBrand && row.cardLast4 ? { brand: row.cardBrand, last4: row.cardLast4 } : null,
      description: row.methodLabel,
    },
    paid_at: iso(row.paidAt),
    livemode: row.livemode,
    created: iso(row.createdAt),
  };
}
