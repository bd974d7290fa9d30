import { z } from "zod";
import type { MeterRow } from "@/db/queries/usage";
import { meterAggregations } from "@/lib/usage/vocabulary";
import { iso, timestamp } from "./common";

export const meterResource = z
  .object({
    id: z.string(),
    object: z.literal("meter"),
    code: z.string().meta({ description: "What usage events name the meter by; the same across its versions." }),
    version: z.number().int().meta({ description: "1 for the first definition of a code; creating the code again makes the next version." }),
    active: z.boolean().meta({ description: "Whether this is the code's current version (the one new events are checked against)." }),
    name: z.string(),
    aggregation: z.enum(meterAggregations),
    value_property: z.string().nullable().meta({ description: "The event property summed, maxed or taken last (sum, max, last)." }),
    unique_property: z.string().nullable().meta({ description: "The event property whose distinct values are counted (unique_count)." }),
    filters: z.record(z.string(), z.array(z.string())).meta({ description: "Only events whose property has one of the listed values count, per property." }),
    livemode: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "Meter" });

export function toMeter(row: MeterRow): z.input<typeof meterResource> {
  return {
    id: row.id,
    object: "meter",
    code: row.code,
    version: row.version,
    active: row.active,
    name: row.name,
    aggregation: row.aggregation,
    value_property: row.valueProperty,
    unique_property: row.uniqueProperty,
    filters: row.filters,
    livemode: row.livemode,
    created: iso(row.createdAt),
  };
}
