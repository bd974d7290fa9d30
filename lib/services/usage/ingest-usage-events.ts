import {
  activeMetersByCode,
  ensureUsagePartitions,
  insertUsageEvents,
  lockMeterCodes,
  usageCustomers,
  usageEventsByIdentifier,
  type NewUsageEvent,
  type UsageCustomer,
  type UsageEventRow,
} from "@/db/queries/usage";
import { recordAudit } from "@/lib/audit/record";
import { newId } from "@/lib/ids";
import { eventTiming, eventValueProblem, type EventProblem } from "@/lib/usage/event-rules";
import type { UsageProperties } from "@/lib/usage/vocabulary";
import type { ServiceContext } from "../context";
import { getSetting } from "../settings/settings";
import { usageRecorded } from "./usage-thresholds";

export interface UsageEventInput {
  identifier: string;
  /** The meter's code. */
  meter: string;
  /** Exactly one of the customer's id and external id. */
  customer?: string;
  customerExternalId?: string;
  /** When the usage happened; the customer's now when absent. */
  timestamp?: Date;
  properties: UsageProperties;
}

export type IngestOutcome = { status: "accepted"; event: NewUsageEvent } | { status: "duplicate"; identifier: string } | { status: "rejected"; problem: EventProblem };

/**
 * Record usage events, each on its own merits: a bad event is refused with its reason and never
 * takes its neighbours with it; an identifier seen before is a duplicate (also across retries and
 * restarts: the database's identifier key decides). Accepted events, their rollups and one audit
 * entry are written in one transaction. Returns one outcome per input, in order.
 */
export async function ingestUsageEvents(ctx: ServiceContext, inputs: readonly UsageEventInput[]): Promise<IngestOutcome[]> {
  if (inputs.length === 0) return [];
  const livemode = ctx.actor.type === "api_key" ? ctx.actor.livemode : false;
  const [customers, meters, lateWindowDays] = await Promise.all([
    usageCustomers(
      ctx.db,
      inputs.flatMap((e) => (e.customer === undefined ? [] : [e.customer])),
      inputs.flatMap((e) => (e.customerExternalId === undefined ? [] : [e.customerExternalId])),
    ),
    activeMetersByCode(
      ctx.db,
      livemode,
      inputs.map((e) => e.meter),
    ),
    getSetting(ctx.db, "usage.late_window_days"),
  ]);
  const byId = new Map<string, UsageCustomer>();
  const byExternalId = new Map<string, UsageCustomer>();
  for (const c of customers) {
    if (c.livemode !== livemode) continue;
    byId.set(c.id, c);
    if (c.externalId !== null) byExternalId.set(c.externalId, c);
  }

  const outcomes: IngestOutcome[] = inputs.map((input) => {
    if ((input.customer === undefined) === (input.customerExternalId === undefined)) {
      return { status: "rejected", problem: { code: "validation_failed", param: "customer", detail: "Exactly one of customer and customer_external_id is required." } };
    }
    const customer = input.customer !== undefined ? byId.get(input.customer) : byExternalId.get(input.customerExternalId ?? "");
    if (!customer) {
      const param = input.customer !== undefined ? "customer" : "customer_external_id";
      return { status: "rejected", problem: { code: "not_found", param, detail: "No such customer." } };
    }
    const meter = meters.get(input.meter);
    if (!meter) return { status: "rejected", problem: { code: "meter_unknown", param: "meter", detail: `No meter has the code ${JSON.stringify(input.meter)}.` } };
    const valueProblem = eventValueProblem(meter, input.properties);
    if (valueProblem) return { status: "rejected", problem: valueProblem };
    const now = customer.clockTime ?? ctx.now;
    const timestamp = input.timestamp ?? now;
    const timing = eventTiming({ timestamp, now, lateWindowDays, openPeriodStart: customer.openPeriodStart });
    if (typeof timing === "object") return { status: "rejected", problem: timing.refused };
    const event: NewUsageEvent = { id: newId("usageEvent"), identifier: input.identifier, meterCode: meter.code, customerId: customer.id, timestamp, properties: input.properties, late: timing === "late", livemode };
    return { status: "accepted", event };
  });

  // A retry of an event accepted earlier is a duplicate even when it would now be refused (its
  // timestamp has since left the late window, say).
  const refusedIdentifiers = inputs.filter((_, i) => outcomes[i]?.status === "rejected").map((e) => e.identifier);
  const known = refusedIdentifiers.length > 0 ? await usageEventsByIdentifier(ctx.db, livemode, refusedIdentifiers) : new Map<string, UsageEventRow>();
  const candidates = outcomes.flatMap((o) => (o.status === "accepted" ? [o.event] : []));
  await ensureUsagePartitions(
    ctx.db,
    candidates.map((e) => e.timestamp),
  );
  if (candidates.length === 0) return finalOutcomes(inputs, outcomes, new Set(), known);
  const seenBefore = await ctx.db.transaction(async (tx) => {
    await lockMeterCodes(
      tx,
      livemode,
      candidates.map((e) => e.meterCode),
      "shared",
    );
    const alreadyStored = await insertUsageEvents(tx, candidates, ctx.now);
    const accepted = new Set(candidates.map((e) => e.identifier)).size - alreadyStored.size;
    if (accepted > 0) {
      const after = { accepted, duplicates: candidates.length - accepted, rejected: outcomes.length - candidates.length };
      await recordAudit(tx, ctx.actor, { action: "usage_events.ingested", entityType: "usage_events", entityId: ctx.requestId ?? "usage_events", after }, ctx.now, ctx.requestId);
    }
    return alreadyStored;
  });
  // Committed: the customers' cached entitlements go, and their limits are checked after the response.
  usageRecorded(ctx, candidates.flatMap((e) => (seenBefore.has(e.identifier) ? [] : [e.customerId])));

  return finalOutcomes(inputs, outcomes, seenBefore, known);
}

/** Rejections of identifiers stored before are duplicates; within one call the first accepted event of an identifier is the one stored. */
function finalOutcomes(inputs: readonly UsageEventInput[], outcomes: IngestOutcome[], seenBefore: Set<string>, known: Map<string, UsageEventRow>): IngestOutcome[] {
  const first = new Set<string>();
  return outcomes.map((o, i): IngestOutcome => {
    const identifier = inputs[i]?.identifier ?? "";
    if (o.status === "rejected") return known.has(identifier) ? { status: "duplicate", identifier } : o;
    if (o.status === "accepted" && !seenBefore.has(identifier) && !first.has(identifier)) {
      first.add(identifier);
      return o;
    }
    return { status: "duplicate", identifier };
  });
}

/** One event: the stored event, and whether it was stored now (false: a duplicate of an earlier one). */
export async function recordUsageEvent(ctx: ServiceContext, input: UsageEventInput): Promise<{ event: UsageEventRow; created: boolean } | { problem: EventProblem }> {
  const [outcome] = await ingestUsageEvents(ctx, [input]);
  if (!outcome) throw new Error("ingest returned no outcome");
  if (outcome.status === "rejected") return { problem: outcome.problem };
  if (outcome.status === "accepted") return { event: { ...outcome.event, createdAt: ctx.now }, created: true };
  const livemode = ctx.actor.type === "api_key" ? ctx.actor.livemode : false;
  const event = (await usageEventsByIdentifier(ctx.db, livemode, [outcome.identifier])).get(outcome.identifier);
  if (!event) throw new Error(`duplicate usage event ${outcome.identifier} not found`);
  return { event, created: false };
}
