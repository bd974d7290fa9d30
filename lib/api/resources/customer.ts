import { z } from "zod";
import type { CustomerRow } from "@/db/queries/customers";
import { iso, isoOrNull, metadataOut, timestamp } from "./common";

export const addressSchema = z
  .object({
    line1: z.string().max(200).nullish(),
    line2: z.string().max(200).nullish(),
    city: z.string().max(100).nullish(),
    state: z.string().max(100).nullish(),
    postal_code: z.string().max(20).nullish(),
    country: z.string().length(2).toUpperCase().nullish().meta({ description: "ISO 3166-1 alpha-2" }),
  })
  .strict();

export const customerResource = z
  .object({
    id: z.string(),
    object: z.literal("customer"),
    email: z.string(),
    name: z.string().nullable(),
    currency: z.string(),
    timezone: z.string(),
    preferred_locales: z.array(z.string()),
    address: addressSchema,
    tax_ids: z.array(z.object({ type: z.string(), value: z.string(), verified: z.boolean() })),
    tax_exempt: z.enum(["none", "exempt", "reverse"]),
    credit_balance: z.number().int(),
    status: z.enum(["active", "warning", "blocked"]),
    default_payment_method: z.string().nullable(),
    external_id: z.string().nullable(),
    test_clock: z.string().nullable(),
    livemode: z.boolean(),
    metadata: metadataOut,
    created: timestamp,
  })
  .meta({ id: "Customer" });

export function toCustomer(row: CustomerRow): z.input<typeof customerResource> {
  return {
    id: row.id,
    object: "customer",
    email: row.email,
    name: row.name,
    currency: row.currency,
    timezone: row.timezone,
    preferred_locales: row.preferredLocales,
    address: row.address,
    tax_ids: row.taxIds,
    tax_exempt: row.taxExempt,
    credit_balance: row.creditBalance,
    status: row.status,
    default_payment_method: row.defaultPaymentMethodId,
    external_id: row.externalId,
    test_clock: row.testClockId,
    livemode: row.livemode,
    metadata: row.metadata,
    created: iso(row.createdAt),
  };
}

export { isoOrNull };
