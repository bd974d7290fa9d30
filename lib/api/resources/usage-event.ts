import { z } from "zod";
import type { UsageEventRow } from "@/db/queries/usage";
import { iso, timestamp } from "./common";

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
    rejected: z.array(
      z.object({
        index: z.number().int().meta({ description: "The event's position in `events`." }),
        code: z.string(),
        param: z.string().optional(),
        detail: z.string(),
      }),
    ),
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
