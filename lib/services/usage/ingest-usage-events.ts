import {
  ensureUsagePartitions,
  ingestLookups,
  insertUsageEvents,
  recordIngestCounts,
  usageEventsByIdentifier,
  type IngestFactTexts,
  type IngestLookups,
  type IngestTally,
  type NewUsageEvent,
  type StoredUsage,
  type UsageCustomer,
  type UsageEventRow,
} from "@/db/queries/usage";
import { auditRow } from "@/lib/audit/record";
import { newId } from "@/lib/ids";
import { eventTiming, eventValueProblem, settleDuplicates, type EventProblem } from "@/lib/usage/event-rules";
import type { UsageProperties } from "@/lib/usage/vocabulary";
import type { Executor } from "@/db/client";
import type { ServiceContext } from "../context";
import { settingValue } from "../settings/settings";
import { usageRecorded } from "./usage-thresholds";
import { forgetFacts, recallFacts, rememberFacts } from "./ingest-facts";

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

/** A duplicate carries its stored event when the storing statement read it (single events answer with it). */
export type IngestOutcome = { status: "accepted"; event: NewUsageEvent } | { status: "duplicate"; identifier: string; stored?: UsageEventRow } | { status: "rejected"; problem: EventProblem };

/**
 * Record usage events, each on its own merits: a bad event is refused with its reason and never
 * takes its neighbours with it; an identifier seen before is a duplicate (also across retries and
 * restarts: the database's identifier key decides). Accepted events, their rollups, the minute's
 * ingest health counts and one audit entry are written in one transaction. `malformed` are the codes
 * of events the caller refused before they got here (counted with the rest). Returns one outcome
 * per input, in order.
 */
export async function ingestUsageEvents(ctx: ServiceContext, inputs: readonly UsageEventInput[], options: { malformed?: readonly string[] } = {}): Promise<IngestOutcome[]> {
  const recalled = await judgeFromMemory(ctx, inputs, options.malformed);
  if (recalled) {
    try {
      return usageStored(ctx, recalled, await storeJudgedUsage(ctx, ctx.db, recalled));
    } catch (error) {
      if (!(error instanceof FactsChanged)) throw error;
      forgetFacts(ctx.db, recalled.livemode);
    }
  }
  const judged = await judgeUsageEvents(ctx, inputs, options.malformed);
  return usageStored(ctx, judged, await storeJudgedUsage(ctx, ctx.db, judged));
}

/** The storing statement's facts guard found a remembered fact changed: nothing was stored. */
class FactsChanged extends Error {
  constructor() {
    super("usage facts changed since they were remembered");
  }
}

/**
 * Events judged from remembered facts (ingest-facts.ts), without a lookup round trip, when every
 * customer and meter code they name is remembered and every event is accepted; otherwise null (the
 * caller judges from a fresh lookup, which also decides any refusal). The judgment carries the
 * facts' texts, which the storing statement checks before it writes.
 */
async function judgeFromMemory(ctx: ServiceContext, inputs: readonly UsageEventInput[], malformed: readonly string[] = []): Promise<JudgedUsage | null> {
  const livemode = livemodeOf(ctx);
  const facts = inputs.length > 0 ? recallFacts(ctx.db, livemode, inputs) : null;
  if (!facts) return null;
  const judged = judgeOutcomes(ctx, inputs, livemode, facts);
  if (judged.outcomes.some((o) => o.status === "rejected")) return null;
  return { ...(await judgment(ctx, inputs, livemode, judged, new Map(), malformed)), facts: facts.texts };
}

/** What ingest decided before storing: one outcome per input, the events to store and the counts to add. */
export interface JudgedUsage {
  livemode: boolean;
  identifiers: string[];
  outcomes: IngestOutcome[];
  candidates: NewUsageEvent[];
  /** Stored events whose retry was refused (they stay duplicates). */
  known: ReadonlySet<string>;
  tally: IngestTally;
  lateChecks: ReadonlyMap<string, Date>;
  /** Set when judged from remembered facts: the texts the storing statement checks first. */
  facts?: IngestFactTexts;
}

/**
 * Judge usage events (one lookup statement) and make the month partitions the accepted ones need.
 * Nothing is stored: storeJudgedUsage does, on the connection or transaction its caller chooses.
 */
export async function judgeUsageEvents(ctx: ServiceContext, inputs: readonly UsageEventInput[], malformed: readonly string[] = []): Promise<JudgedUsage> {
  const livemode = livemodeOf(ctx);
  const identifiers = identifiersOf(inputs);
  if (inputs.length === 0) return { livemode, identifiers, outcomes: [], candidates: [], known: new Set(), tally: ingestTally(ctx.now, livemode, [], malformed), lateChecks: new Map() };
  const lookups = await ingestLookups(ctx.db, {
    livemode,
    ids: inputs.flatMap((e) => (e.customer === undefined ? [] : [e.customer])),
    externalIds: inputs.flatMap((e) => (e.customerExternalId === undefined ? [] : [e.customerExternalId])),
    codes: inputs.map((e) => e.meter),
    settingKey: LATE_WINDOW_SETTING,
  });
  rememberFacts(ctx.db, livemode, lookups);
  const judged = judgeOutcomes(ctx, inputs, livemode, lookups);
  // A retry of an event accepted earlier is a duplicate even when it would now be refused (its
  // timestamp has since left the late window, say).
  const refusedIdentifiers = inputs.filter((_, i) => judged.outcomes[i]?.status === "rejected").map((e) => e.identifier);
  const known = refusedIdentifiers.length > 0 ? await usageEventsByIdentifier(ctx.db, livemode, refusedIdentifiers) : new Map<string, UsageEventRow>();
  return judgment(ctx, inputs, livemode, judged, known, malformed);
}

/** The judgment of `inputs` from their outcomes and the refused ones found stored (`known`), with the month partitions its events need made. */
async function judgment(
  ctx: ServiceContext,
  inputs: readonly UsageEventInput[],
  livemode: boolean,
  { outcomes, lateChecks }: { outcomes: IngestOutcome[]; lateChecks: Map<string, Date> },
  known: ReadonlyMap<string, unknown>,
  malformed: readonly string[],
): Promise<JudgedUsage> {
  const candidates = outcomes.flatMap((o) => (o.status === "accepted" ? [o.event] : []));
  await ensureUsagePartitions(
    ctx.db,
    candidates.map((e) => e.timestamp),
  );
  const tally = ingestTally(
    ctx.now,
    livemode,
    outcomes.map((o, i) => (o.status !== "rejected" ? null : known.has(inputs[i]?.identifier ?? "") ? "duplicate" : o.problem.code)),
    malformed,
  );
  return { livemode, identifiers: identifiersOf(inputs), outcomes, candidates, known: new Set(known.keys()), tally, lateChecks };
}

const LATE_WINDOW_SETTING = "usage.late_window_days";
const livemodeOf = (ctx: ServiceContext) => (ctx.actor.type === "api_key" ? ctx.actor.livemode : false);

/** Each event's outcome from the facts it names (no database work), and the customers whose events may miss an invoice. */
function judgeOutcomes(ctx: ServiceContext, inputs: readonly UsageEventInput[], livemode: boolean, lookups: IngestLookups): { outcomes: IngestOutcome[]; lateChecks: Map<string, Date> } {
  const { customers, meters, lateWindowSetting } = lookups;
  const lateWindowDays = settingValue(LATE_WINDOW_SETTING, lateWindowSetting);
  const byId = new Map<string, UsageCustomer>();
  const byExternalId = new Map<string, UsageCustomer>();
  for (const c of customers) {
    if (c.livemode !== livemode) continue;
    byId.set(c.id, c);
    if (c.externalId !== null) byExternalId.set(c.externalId, c);
  }

  // Customers with an event that may miss its invoice, from the earliest such event (billLateUsage).
  const lateChecks = new Map<string, Date>();
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
    if (mayMissInvoice(event, customer, now)) {
      const since = lateChecks.get(customer.id);
      if (!since || timestamp < since) lateChecks.set(customer.id, timestamp);
    }
    return { status: "accepted", event };
  });
  return { outcomes, lateChecks };
}

/**
 * Store judged events, their rollups, the ingest counts and the audit entry with one statement on
 * `db` — its own transaction, or part of the caller's (rebilled API costs). Returns the identifiers
 * that were stored before (duplicates), with the stored events it read. A judgment from remembered facts (`judged.facts`) is
 * stored only if they all still hold; otherwise nothing is written and FactsChanged is thrown.
 */
export async function storeJudgedUsage(ctx: ServiceContext, db: Executor, judged: JudgedUsage): Promise<StoredUsage> {
  if (judged.candidates.length === 0) {
    await recordIngestCounts(db, judged.tally);
    return { seenBefore: new Set(), duplicates: new Map() };
  }
  const audit = auditRow(ctx.actor, { action: "usage_events.ingested", entityType: "usage_events", entityId: ctx.requestId ?? "usage_events", after: null }, ctx.now, ctx.requestId);
  const stored = await insertUsageEvents(
    db,
    judged.candidates,
    ctx.now,
    judged.tally,
    { row: audit, rejected: judged.outcomes.length - judged.candidates.length },
    { lateChecks: judged.lateChecks, facts: judged.facts && { settingKey: LATE_WINDOW_SETTING, texts: judged.facts } },
  );
  if (!stored) throw new FactsChanged();
  return stored;
}

/** Once stored (and committed): the customers' cached entitlements go and their limits are checked after the response; one outcome per input. */
export function usageStored(ctx: ServiceContext, judged: JudgedUsage, stored: StoredUsage): IngestOutcome[] {
  const { seenBefore, duplicates } = stored;
  usageRecorded(ctx, judged.candidates.flatMap((e) => (seenBefore.has(e.identifier) ? [] : [e.customerId])));
  return settleDuplicates(judged.identifiers, judged.outcomes, seenBefore, judged.known).map((o) => {
    const row = o.status === "duplicate" ? duplicates.get(o.identifier) : undefined;
    return row ? { ...o, stored: row } : o;
  });
}

/**
 * An event its period's invoice may not have counted: a late one (its period is invoiced), or one
 * from a period that has ended but whose renewal may not have committed yet (it may have measured
 * the period without it). billLateUsage re-measures both kinds and bills only what is missing.
 */
function mayMissInvoice(event: NewUsageEvent, customer: UsageCustomer, now: Date): boolean {
  if (event.late) return true;
  const end = customer.openPeriodEnd;
  return end !== null && end <= now && event.timestamp < end;
}

/** The counts an ingest call adds besides what its statement decides: refusals by code, and refused retries of stored events (duplicates). */
function ingestTally(at: Date, livemode: boolean, refusals: readonly (string | null)[], malformed: readonly string[] = []): IngestTally {
  const rejected: Record<string, number> = {};
  let duplicates = 0;
  for (const code of [...refusals, ...malformed]) {
    if (code === "duplicate") duplicates += 1;
    else if (code !== null) rejected[code] = (rejected[code] ?? 0) + 1;
  }
  return { at, livemode, duplicates, rejected };
}

/**
 * One event: the stored event, and whether it was stored now (false: a duplicate of an earlier one).
 * Single events of one API key arriving while its ingests in flight are all busy are ingested
 * together when one ends (ingestTogether): one lookup and one storing statement for the group.
 */
export async function recordUsageEvent(ctx: ServiceContext, input: UsageEventInput): Promise<{ event: UsageEventRow; created: boolean } | { problem: EventProblem }> {
  const { outcome, now } = await ingestTogether(ctx, input);
  if (outcome.status === "rejected") return { problem: outcome.problem };
  if (outcome.status === "accepted") return { event: { ...outcome.event, createdAt: now }, created: true };
  if (outcome.stored) return { event: outcome.stored, created: false };
  const event = (await usageEventsByIdentifier(ctx.db, livemodeOf(ctx), [outcome.identifier])).get(outcome.identifier);
  if (!event) throw new Error(`duplicate usage event ${outcome.identifier} not found`);
  return { event, created: false };
}

interface Waiting {
  ctx: ServiceContext;
  input: UsageEventInput;
  resolve: (result: { outcome: IngestOutcome; now: Date }) => void;
  reject: (error: unknown) => void;
}

/**
 * Ingests of one key that may run at once; events arriving while all are busy wait and go in
 * together. One is fastest on the measured machine: at 500 events/s, 2 or 3 in flight raised the
 * p99 from 8.6–9.7 ms to 12.4–12.8 ms (more statements, more context switches; bench/RESULTS.md I4).
 */
export const INGESTS_IN_FLIGHT = 1;

interface KeyQueue {
  inFlight: number;
  waiting: Waiting[];
}

/** Per database handle: each key's ingests in flight and the single events waiting for one to end. */
const queues = new WeakMap<object, Map<string, KeyQueue>>();

/**
 * Group commit for single events: an event of a key (database, actor, mode) with fewer than
 * INGESTS_IN_FLIGHT ingests running is ingested at once; events that arrive while all are busy wait
 * for the first to end and then go in as one call, under the first waiting event's context (its
 * time and request id; the audit entry counts the group). Each event keeps its own outcome, its
 * identifier decides duplicates as always, and an error fails every event of its group (each
 * client retries). A quiet key answers in one ingest's time; a busy one in at most two, with fewer
 * statements than events.
 */
function ingestTogether(ctx: ServiceContext, input: UsageEventInput): Promise<{ outcome: IngestOutcome; now: Date }> {
  let byKey = queues.get(ctx.db);
  if (!byKey) queues.set(ctx.db, (byKey = new Map()));
  const keys = byKey;
  const key = `${ctx.actor.type}:${ctx.actor.id}:${ctx.actor.type === "api_key" ? ctx.actor.livemode : false}`;
  return new Promise((resolve, reject) => {
    let queue = keys.get(key);
    if (!queue) keys.set(key, (queue = { inFlight: 0, waiting: [] }));
    queue.waiting.push({ ctx, input, resolve, reject });
    if (queue.inFlight < INGESTS_IN_FLIGHT) void drainKey(keys, key, queue);
  });
}

/** Ingests the key's waiting events as one group, then whatever arrived meanwhile, until none waits. */
async function drainKey(keys: Map<string, KeyQueue>, key: string, queue: KeyQueue): Promise<void> {
  queue.inFlight += 1;
  try {
    while (queue.waiting.length > 0) {
      const group = queue.waiting;
      queue.waiting = [];
      const first = group[0]!.ctx;
      try {
        const outcomes = await ingestUsageEvents(
          first,
          group.map((w) => w.input),
        );
        group.forEach((w, i) => w.resolve({ outcome: outcomes[i]!, now: first.now }));
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
  } finally {
    queue.inFlight -= 1;
    if (queue.inFlight === 0 && queue.waiting.length === 0) keys.delete(key);
  }
}

const identifiersOf = (inputs: readonly UsageEventInput[]) => inputs.map((i) => i.identifier);
