import { z } from "zod";
import type { UsageEventInput } from "@/lib/services/usage/ingest-usage-events";
import { MAX_USAGE_BATCH } from "@/lib/usage/event-rules";
import { meterAggregations } from "@/lib/usage/vocabulary";
import { dateTimeField, eventPropertiesField, idField, nameField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { meterResource } from "../resources/meter";
import { subscriptionUsageResource, usageBatchResult, usageEventResource, usageSeriesResource } from "../resources/usage-event";

const TAGS = ["Usage"];

const propertyName = z.string().min(1).max(100);
const meterCode = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, { message: 'must contain only letters, digits, "_", ".", ":" and "-"' })
  .meta({ example: "api_calls" });

export const createMeterOp = defineOperation({
  method: "POST",
  path: "/meters",
  operationId: "createMeter",
  summary: "Create a meter, or the next version of one",
  description:
    "A code that already exists gets a new version, which becomes the current one: new events are checked against it, and usage already measured under an older version keeps being measured by it. `value_property` goes with sum, max and last; `unique_property` with unique_count; count takes neither.",
  tags: TAGS,
  body: z.object({
    code: meterCode,
    name: nameField.min(1).optional().meta({ description: "Defaults to the code." }),
    aggregation: z.enum(meterAggregations),
    value_property: propertyName.optional(),
    unique_property: propertyName.optional(),
    filters: z
      .record(propertyName, z.array(z.union([z.string().max(200), z.number()])).min(1).max(100))
      .refine((f) => Object.keys(f).length <= 20, { params: { code: "out_of_range" }, message: "must have at most 20 properties" })
      .optional()
      .meta({ description: 'Only events whose property takes one of the values count: `{"region": ["au", "nz"]}`.' }),
  }),
  response: meterResource,
});

export const listMetersOp = defineOperation({
  method: "GET",
  path: "/meters",
  operationId: "listMeters",
  summary: "List meters (every version), newest first",
  tags: TAGS,
  query: listQuery.extend({ code: meterCode.optional(), active: z.enum(["true", "false"]).optional() }),
  response: listOf(meterResource),
});

export const retrieveMeterOp = defineOperation({
  method: "GET",
  path: "/meters/{id}",
  operationId: "retrieveMeter",
  summary: "Retrieve a meter version",
  tags: TAGS,
  params: z.object({ id: idField("mtr") }).strict(),
  response: meterResource,
});

export const usageEventBody = z.object({
  identifier: z.string().min(1).max(255).meta({ description: "Your unique id for the event: a repeat is a duplicate, never counted twice." }),
  meter: meterCode.meta({ description: "The meter's code." }),
  customer: idField("cus").optional(),
  customer_external_id: z.string().min(1).max(255).optional(),
  timestamp: dateTimeField.optional().meta({ description: "When the usage happened (default: now). At most 5 minutes ahead; before the open period only within the late window." }),
  properties: eventPropertiesField.default({}),
});

/** A parsed event body as the ingest service takes it. */
export function usageEventInput(body: z.output<typeof usageEventBody>): UsageEventInput {
  return {
    identifier: body.identifier,
    meter: body.meter,
    customer: body.customer,
    customerExternalId: body.customer_external_id,
    timestamp: body.timestamp,
    properties: body.properties,
  };
}

export const createUsageEventOp = defineOperation({
  method: "POST",
  path: "/usage_events",
  operationId: "createUsageEvent",
  summary: "Report a usage event",
  description: "Exactly one of `customer` and `customer_external_id`. 201 with the stored event; 200 with the event stored earlier when the identifier was seen before.",
  tags: TAGS,
  cachedKey: true,
  body: usageEventBody,
  response: usageEventResource,
  successStatus: 201,
  alternateSuccess: { status: 200, description: "A duplicate: the event stored earlier under this identifier." },
});

export const createUsageEventBatchOp = defineOperation({
  method: "POST",
  path: "/usage_events/batch",
  operationId: "createUsageEventBatch",
  summary: `Report up to ${MAX_USAGE_BATCH} usage events`,
  description: "Each item has the body of POST /usage_events. Events are judged one by one: a bad event is listed in `rejected` with its reason and never rejects its neighbours.",
  tags: TAGS,
  cachedKey: true,
  body: z.object({ events: z.array(z.unknown().meta({ description: "A usage event, as the body of POST /usage_events." })).min(1).max(MAX_USAGE_BATCH) }),
  response: usageBatchResult,
  successStatus: 202,
});

export const customerUsageOp = defineOperation({
  method: "GET",
  path: "/customers/{id}/usage",
  operationId: "customerUsage",
  summary: "A customer's usage of a meter per UTC day or month",
  description: "Buckets are UTC days or months over [from, to); the first starts at `from`. Every bucket is listed, with 0 when nothing was used.",
  tags: TAGS,
  params: z.object({ id: idField("cus") }).strict(),
  query: z.object({
    meter: z.string().min(1).max(255).meta({ description: "A meter version's id (mtr_…), or a code for its current version." }),
    from: dateTimeField,
    to: dateTimeField,
    interval: z.enum(["day", "month"]).default("day"),
  }),
  response: usageSeriesResource,
});

export const subscriptionUsageOp = defineOperation({
  method: "GET",
  path: "/subscriptions/{id}/usage",
  operationId: "subscriptionUsage",
  summary: "A subscription's metered usage this period, and what it will cost",
  description: "One entry per metered item: what its meter measured from the period's start (or from when the item came in) up to now, and the amount the renewal invoice will bill for it so far — the same line, priced and rounded once.",
  tags: TAGS,
  params: z.object({ id: idField("sub") }).strict(),
  response: subscriptionUsageResource,
});

export const usageOperations = [createMeterOp, listMetersOp, retrieveMeterOp, createUsageEventOp, createUsageEventBatchOp, customerUsageOp, subscriptionUsageOp];
