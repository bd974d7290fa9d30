import { z } from "zod";
import type { PaymentMethodRow } from "@/db/queries/customers";
import { iso, timestamp } from "./common";

export const paymentMethodResource = z
  .object({
    id: z.string(),
    object: z.literal("payment_method"),
    customer: z.string(),
    type: z.literal("card"),
    card: z.object({ brand: z.string(), last4: z.string(), exp_month: z.number().int(), exp_year: z.number().int(), fingerprint: z.string() }),
    gateway: z.enum(["sandbox", "stripe"]),
    gateway_id: z.string(),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "PaymentMethod" });

export function toPaymentMethod(row: PaymentMethodRow, livemode: boolean): z.input<typeof paymentMethodResource> {
  return {
    id: row.id,
    object: "payment_method",
    customer: row.customerId,
    type: "card",
    card: { brand: row.brand, last4: row.last4, exp_month: row.expMonth, exp_year: row.expYear, fingerprint: row.fingerprint },
    gateway: row.gateway,
    gateway_id: row.gatewayId,
    livemode,
    created: iso(row.createdAt),
  };
}
