import { z } from "zod";
import type { PaymentRow } from "@/db/queries/payments";
import { iso, isoOrNull, timestamp } from "./common";

export const paymentResource = z
  .object({
    id: z.string(),
    object: z.literal("payment"),
    invoice: z.string(),
    customer: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    status: z.enum(["pending", "requires_action", "succeeded", "failed"]),
    failure_code: z.string().nullable(),
    decline_code: z.string().nullable(),
    failure_message: z.string().nullable(),
    payment_method: z.string().nullable(),
    method: z.enum(["card", "bank_transfer", "cheque", "other"]),
    gateway: z.enum(["sandbox", "stripe", "manual"]),
    gateway_id: z.string().nullable(),
    idempotency_key: z.string(),
    attempt: z.number().int(),
    amount_refunded: z.number().int(),
    fee: z.number().int().nullable(),
    livemode: z.boolean(),
    settled_at: timestamp.nullable(),
    created: timestamp,
  })
  .meta({ id: "Payment" });

export function toPayment(row: PaymentRow): z.input<typeof paymentResource> {
  return {
    id: row.id,
    object: "payment",
    invoice: row.invoiceId,
    customer: row.customerId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    failure_code: row.failureCode,
    decline_code: row.declineCode,
    failure_message: row.failureMessage,
    payment_method: row.paymentMethodId,
    method: row.method,
    gateway: row.gateway,
    gateway_id: row.gatewayId,
    idempotency_key: row.idempotencyKey,
    attempt: row.attempt,
    amount_refunded: row.amountRefunded,
    fee: row.fee,
    livemode: row.livemode,
    settled_at: isoOrNull(row.settledAt),
    created: iso(row.createdAt),
  };
}
