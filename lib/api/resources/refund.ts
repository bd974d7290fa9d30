import { z } from "zod";
import type { RefundRow } from "@/db/queries/payments";
import { iso, timestamp } from "./common";

export const refundResource = z
  .object({
    id: z.string(),
    object: z.literal("refund"),
    payment: z.string(),
    invoice: z.string(),
    credit_note: z.string().nullable(),
    amount: z.number().int(),
    currency: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    reason: z.string().nullable(),
    gateway_id: z.string().nullable(),
    failure_message: z.string().nullable(),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "Refund" });

export function toRefund(row: RefundRow): z.input<typeof refundResource> {
  return {
    id: row.id,
    object: "refund",
    payment: row.paymentId,
    invoice: row.invoiceId,
    credit_note: row.creditNoteId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    reason: row.reason,
    gateway_id: row.gatewayId,
    failure_message: row.failureMessage,
    livemode: row.livemode,
    created: iso(row.createdAt),
  };
}
