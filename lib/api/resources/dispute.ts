import { z } from "zod";
import type { DisputeRow } from "@/db/queries/payments";
import { iso, isoOrNull, timestamp } from "./common";

export const disputeResource = z
  .object({
    id: z.string(),
    object: z.literal("dispute"),
    payment: z.string(),
    invoice: z.string(),
    customer: z.string(),
    amount: z.number().int().meta({ description: "Disputed amount in integer minor units." }),
    currency: z.string(),
    status: z.string().meta({
      description: "Stripe's dispute status: warning_needs_response, warning_under_review, warning_closed, needs_response, under_review, won, lost, prevented.",
    }),
    reason: z.string().meta({ description: "The bank's reason, e.g. fraudulent, product_not_received, duplicate." }),
    evidence_due_by: timestamp.nullable(),
    funds_withdrawn: z.boolean(),
    funds_reinstated: z.boolean(),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "Dispute" });

export function toDispute(row: DisputeRow): z.input<typeof disputeResource> {
  return {
    id: row.id,
    object: "dispute",
    payment: row.paymentId,
    invoice: row.invoiceId,
    customer: row.customerId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    reason: row.reason,
    evidence_due_by: isoOrNull(row.evidenceDueBy),
    funds_withdrawn: row.fundsWithdrawn,
    funds_reinstated: row.fundsReinstated,
    livemode: row.livemode,
    created: iso(row.createdAt),
  };
}
