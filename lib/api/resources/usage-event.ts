import { z } from "zod";
import type { UsageEventRow } from "@/db/queries/usage";
import { batchRejections, iso, timestamp } from "./common";

export const usagePropertiesOut = z.record(z.string(), z.union([z.string(), z.number()]));

export const usageEventResource = z
  .object({
    id: z.string(),
    object: z.literal("usage_event"),
    identifier: z.string(),
    meter: z.string().meta({ description: "The meter's code." }),
    customer: z.string(),
    timestamp,
    properties: usagePropertiesOut,
    late: z.boolean().meta({ description: "The event fell in a period already invoiced: it is billed on a supplemental invoice." }),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "UsageEvent" });

export function toUsageEvent(row: UsageEventRow): z.input<typeof usageEventResource> {
  return {
    id: row.id,
    object: "usage_event",
    identifier: row.identifier,
    meter: row.meterCode,
    customer: row.customerId,
    timestamp: iso(row.timestamp),
    properties: row.properties,
    late: row.late,
    livemode: row.livemode,
    created: iso(row.createdAt),
  };
}

export const usageBatchResult = z
  .object({
    object: z.literal("usage_event_batch"),
    accepted: z.number().int().meta({ description: "Events stored now." }),
    duplicates: z.number().int().meta({ description: "Events whose identifier was seen before (or earlier in this batch): ignored." }),
    rejected: batchRejections("events"),
  })
  .meta({ id: "UsageEventBatchResult" });

export const usageSeriesResource = z
  .object({
    object: z.literal("usage_series"),
    meter: z.string(),
    customer: z.string(),
    interval: z.enum(["day", "month"]),
    data: z.array(z.object({ start: timestamp, value: z.string().meta({ description: "The meter's aggregate over the bucket, a decimal string." }) })),
  })
  .meta({ id: "UsageSeries" });

export const subscriptionUsageResource = z
  .object({
    object: z.literal("subscription_usage"),
    subscription: z.string(),
    currency: z.string(),
    period_start: timestamp,
    period_end: timestamp,
    meters: z.array(
      z.object({
        meter: z.string().meta({ description: "The meter version the item's price bills (mtr_…)." }),
        price: z.string(),
        from: timestamp.meta({ description: "Where the item measures in this period (its start, or when the item came in)." }),
        to: timestamp.meta({ description: "Measured up to here: now, or the period's end." }),
        value: z.string().meta({ description: "What the meter measured, a decimal string." }),
        quantity: z.number().int().meta({ description: "The whole units billed: the value rounded up." }),
        amount: z.number().int().meta({ description: "What the next invoice will charge for it so far, in minor units (one rounding per line; before discount)." }),
      }),
    ),
  })
  .meta({ id: "SubscriptionUsage" });
