import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { arrayLiteral, type ArrayElement } from "../array-literal";
import { inTextArray, queryPrepared, queryRows, type Db, type Executor } from "../client";
import { meters, usageEvents } from "../schema";
import { ingestAuditInsert, type IngestAudit } from "./ingest-audit";
import { ensureMonthPartitions, hourSpans, type Span } from "./month-partitions";
import { USAGE_VALUE_PATTERN } from "@/lib/usage/event-rules";
import type { UsageInterval } from "@/lib/usage/buckets";
import type { UsageProperties } from "@/lib/usage/vocabulary";

export type MeterRow = typeof meters.$inferSelect;
export type UsageEventRow = typeof usageEvents.$inferSelect;

export async function findMeter(tx: Executor, id: string): Promise<MeterRow | undefined> {
  const [row] = await tx.select().from(meters).where(eq(meters.id, id));
  return row;
}

/** The current version of each code (the one events are checked against). */
export async function activeMetersByCode(tx: Executor, livemode: boolean, codes: readonly string[]): Promise<Map<string, MeterRow>> {
  if (codes.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(meters)
    .where(and(eq(meters.livemode, livemode), eq(meters.active, true), inTextArray(meters.code, [...new Set(codes)])));
  return new Map(rows.map((r) => [r.code, r]));
}

export async function latestMeterVersion(tx: Executor, livemode: boolean, code: string): Promise<MeterRow | undefined> {
  const [row] = await tx
    .select()
    .from(meters)
    .where(and(eq(meters.livemode, livemode), eq(meters.code, code)))
    .orderBy(desc(meters.version))
    .limit(1);
  return row;
}

/**
 * A meter code's versions change only under its exclusive lock, and events of a code are written
 * under a shared one: a new version's rollups are built from every committed event of its code, and
 * no event can commit between that build and the version becoming visible without its rollups.
 * Transaction-scoped advisory locks; shared ones never wait for each other.
 */
export async function lockMeterCodes(tx: Executor, livemode: boolean, codes: readonly string[], mode: "shared" | "exclusive"): Promise<void> {
  const keys = meterLockKeys(livemode, codes);
  if (keys.length === 0) return;
  const fn = mode === "shared" ? sql`pg_advisory_xact_lock_shared` : sql`pg_advisory_xact_lock`;
  await tx.execute(sql`select ${fn}(hashtext(k)) from unnest(${arrayLiteral(keys)}::text[]) with ordinality as t(k, n) order by n`);
}

const meterLockKeys = (livemode: boolean, codes: readonly string[]) => [...new Set(codes)].sort().map((code) => `usage:${livemode ? "live" : "test"}:${code}`);

// Partitions ---------------------------------------------------------------------------------------

/**
 * Make sure a partition exists for each UTC month of `timestamps` (drizzle/0030: one per month on
 * PostgreSQL, nothing to do on PGlite's plain table). Runs in its own short transaction before the
 * insert, and asks the database once per month per process.
 */
export async function ensureUsagePartitions(db: Db, timestamps: readonly Date[]): Promise<void> {
  await ensureMonthPartitions(db, "usage_events", timestamps, (start) => sql`select usage_events_ensure_partitions(${start.toISOString()}::timestamptz, ${start.toISOString()}::timestamptz + interval '1 second')`);
}

// How a meter reads an event ------------------------------------------------------------------------
// One home for the rule, in SQL, used by the rollups written at ingest and by every aggregate: `m` is
// the meters row and `e` the event; READ adds `v.value` (the number a sum/max/last meter reads, or
// null) and `v.key` (what a unique_count meter counts, or null), each computed once per row.

const READ = sql`cross join lateral (select
    case when (e.properties ->> m.value_property) ~ ${USAGE_VALUE_PATTERN} then (e.properties ->> m.value_property)::numeric end as value,
    e.properties ->> m.unique_property as key) v`;
/** The event passes every filter of the meter (each filtered property present with an allowed value) and has what the meter reads. */
const COUNTS = sql.raw(`(m.filters = '{}'::jsonb or not exists (
    select 1 from jsonb_each(m.filters) f
     where not coalesce((e.properties ->> f.key) in (select jsonb_array_elements_text(f.value)), false)))
  and case m.aggregation when 'count' then true when 'unique_count' then v.key is not null else v.value is not null end`);
const HOUR = sql.raw(`date_trunc('hour', e."timestamp", 'UTC')`);

/**
 * Add `source`'s events (a relation aliased `e`, with usage_events' columns) to the hourly rollups of
 * every meter version they count for (`versions`, the meters table unless given, as `m`;
 * `meterScope` narrows them).
 */
function rollupInserts(source: SQL, meterScope: SQL, versions: SQL = sql.raw("meters")): { rollups: SQL; values: SQL } {
  const counted = sql`from ${source} join ${versions} m on m.livemode = e.livemode and m.code = e.meter_code and ${meterScope} ${READ} where ${COUNTS}`;
  return {
    rollups: sql`insert into usage_rollups (meter_id, customer_id, hour, event_count, value_sum, value_max, last_timestamp, last_identifier, last_value)
      select m.id, e.customer_id, ${HOUR}, count(*), sum(v.value), max(v.value), max(e."timestamp"),
             (array_agg(e.identifier order by e."timestamp" desc, e.identifier desc) filter (where m.aggregation = 'last'))[1],
             (array_agg(v.value order by e."timestamp" desc, e.identifier desc) filter (where m.aggregation = 'last'))[1]
        ${counted}
       group by 1, 2, 3 order by 1, 2, 3
      on conflict (meter_id, customer_id, hour) do update set
        event_count = usage_rollups.event_count + excluded.event_count,
        value_sum = case when usage_rollups.value_sum is null then excluded.value_sum when excluded.value_sum is null then usage_rollups.value_sum else usage_rollups.value_sum + excluded.value_sum end,
        value_max = greatest(usage_rollups.value_max, excluded.value_max),
        last_timestamp = case when (excluded.last_timestamp, excluded.last_identifier) > (usage_rollups.last_timestamp, usage_rollups.last_identifier) then excluded.last_timestamp else usage_rollups.last_timestamp end,
        last_identifier = case when (excluded.last_timestamp, excluded.last_identifier) > (usage_rollups.last_timestamp, usage_rollups.last_identifier) then excluded.last_identifier else usage_rollups.last_identifier end,
        last_value = case when (excluded.last_timestamp, excluded.last_identifier) > (usage_rollups.last_timestamp, usage_rollups.last_identifier) then excluded.last_value else usage_rollups.last_value end`,
    values: sql`insert into usage_rollup_values (meter_id, customer_id, hour, value)
      select distinct m.id, e.customer_id, ${HOUR}, v.key ${counted} and m.aggregation = 'unique_count'
       order by 1, 2, 3, 4
      on conflict do nothing`,
  };
}

// Ingest -------------------------------------------------------------------------------------------

export interface NewUsageEvent {
  id: string;
  identifier: string;
  meterCode: string;
  customerId: string;
  timestamp: Date;
  properties: UsageProperties;
  late: boolean;
  livemode: boolean;
}

/** What one ingest call adds to its minute's ingest health counts (besides what its statement decides). */
export interface IngestTally {
  /** The request's time; counted in its UTC minute. */
  at: Date;
  livemode: boolean;
  /** Duplicates decided before the statement (a retry of a stored event that would now be refused). */
  duplicates: number;
  /** Rejections, by code. */
  rejected: Readonly<Record<string, number>>;
}

const INGEST_SLOTS = 8;

/** Upsert into the minute's counts (drizzle/0033); the slot is the connection's, so concurrent writers rarely share a row. */
function countsUpsert(tally: IngestTally, accepted: SQL, duplicates: SQL, when: SQL = sql`true`): SQL {
  const minute = new Date(Math.floor(tally.at.getTime() / 60_000) * 60_000);
  return sql`insert into usage_ingest_counts (livemode, minute, slot, accepted, duplicates, rejected)
    select ${tally.livemode}::boolean, ${instant(minute)}, pg_backend_pid() % ${INGEST_SLOTS}, ${accepted}, ${duplicates}, ${JSON.stringify(tally.rejected)}::jsonb
     where ${when}
    on conflict (livemode, minute, slot) do update set
      accepted = usage_ingest_counts.accepted + excluded.accepted,
      duplicates = usage_ingest_counts.duplicates + excluded.duplicates,
      rejected = case when excluded.rejected = '{}'::jsonb then usage_ingest_counts.rejected else usage_ingest_add_counts(usage_ingest_counts.rejected, excluded.rejected) end`;
}

/** Count an ingest call that stored nothing (every event refused or known), in its own statement. */
export async function recordIngestCounts(db: Executor, tally: IngestTally): Promise<void> {
  if (tally.duplicates === 0 && Object.keys(tally.rejected).length === 0) return;
  await db.execute(countsUpsert(tally, sql`0`, sql`${tally.duplicates}::int`));
}

/**
 * Store the events whose identifier is new, with their rollups and the minute's ingest counts, in
 * one statement and so one transaction of its own (no BEGIN/COMMIT round trips): the identifier key
 * decides (insert … on conflict do nothing), a repeat within the batch counts once (the first
 * wins). The statement first takes the codes' shared locks (lockMeterCodes), then reads their meter
 * versions through usage_meter_versions (drizzle/0033), whose fresh snapshot sees a version
 * committed while it waited: a new version's rollups are built either with these events or by
 * this statement. Identifier keys are inserted in one fixed order and rollup rows upserted in key
 * order, so concurrent batches wait on each other's rows rather than deadlock.
 * The rows go in as one array per column (cheaper for PostgreSQL to read than a JSON recordset).
 * When any event was stored, the same statement appends `audit` with the counts as its `after`.
 * With `facts` (events judged from remembered facts), the statement first checks them (factsGuard)
 * and writes nothing at all when any has changed.
 * Returns the identifiers that were already stored (the duplicates; every other one was stored
 * now), or null when the facts guard refused the call.
 */
/** Calls of at most this many events store through a prepared statement (insertUsageEvents). */
const SMALL_INGEST = 16;

export async function insertUsageEvents(
  db: Executor,
  events: readonly NewUsageEvent[],
  createdAt: Date,
  tally: IngestTally,
  audit: IngestAudit,
  options: { lateChecks?: ReadonlyMap<string, Date>; facts?: { settingKey: string; texts: IngestFactTexts } } = {},
): Promise<StoredUsage | null> {
  if (events.length === 0) return { seenBefore: new Set(), duplicates: new Map() };
  const lateChecks = options.lateChecks ?? new Map<string, Date>();
  const facts = options.facts;
  const firsts = new Map<string, NewUsageEvent>();
  for (const e of events) {
    const key = `${e.livemode ? "l" : "t"}${e.identifier}`;
    if (!firsts.has(key)) firsts.set(key, e);
  }
  const rows = [...firsts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  const column = (read: (e: NewUsageEvent) => ArrayElement) => arrayLiteral(rows.map(read));
  // Every version of the code gets the event: an older version may still measure an open period.
  const { rollups, values } = rollupInserts(sql.raw("stored e"), sql.raw("true"), sql.raw("versions"));
  const codes = [...new Set(rows.map((e) => e.meterCode))];
  // A small call (single events, alone or group-committed) runs as a prepared statement: its text
  // is parsed once per connection, and a generic plan suits arrays of a few rows; a batch's stays
  // unnamed (planned for its own length, bench/RESULTS.md I2).
  const small = rows.length <= SMALL_INGEST;
  const name = `tally_usage_store${lateChecks.size > 0 ? "_late" : ""}${facts ? "_guarded" : ""}`;
  const run = <T>(query: SQL) => (small ? queryPrepared<T>(db, name, query) : queryRows<T>(db, query));
  const guard = facts ? sql`guard as (${factsGuard(tally.livemode, facts.settingKey, facts.texts)}),` : sql``;
  const proceed = facts ? sql`(select ok from guard)` : sql`true`;
  const [result] = await run<{ ok: boolean; known: string[]; rows?: Parameters<typeof storedEventRow>[0][] | null }>(
    sql`with ${guard} locked as (
          select count(*) as n from (select pg_advisory_xact_lock_shared(hashtext(k)) from unnest(${arrayLiteral(meterLockKeys(tally.livemode, codes))}::text[]) with ordinality as t(k, n) order by n) l
        ),
        versions as materialized (select * from usage_meter_versions(${tally.livemode}::boolean, ${arrayLiteral(codes)}::text[], (select n from locked))),
        input as (
          select * from unnest(${column((e) => e.id)}::text[], ${column((e) => e.identifier)}::text[], ${column((e) => e.meterCode)}::text[],
                               ${column((e) => e.customerId)}::text[], ${column((e) => e.timestamp.toISOString())}::timestamptz[],
                               ${column((e) => JSON.stringify(e.properties))}::jsonb[], ${column((e) => e.late)}::boolean[], ${column((e) => e.livemode)}::boolean[])
                   as x(id, identifier, meter_code, customer_id, ts, properties, late, livemode)
           where ${proceed}
        ),
        fresh as (
          insert into usage_event_identifiers (livemode, identifier, event_id, "timestamp")
          select livemode, identifier, id, ts from input
          on conflict do nothing
          returning event_id
        ),
        stored as (
          insert into usage_events (id, identifier, meter_code, customer_id, "timestamp", properties, late, livemode, created_at)
          select i.id, i.identifier, i.meter_code, i.customer_id, i.ts, i.properties, i.late, i.livemode, ${createdAt.toISOString()}::timestamptz
            from input i join fresh f on f.event_id = i.id
          returning identifier, meter_code, customer_id, "timestamp", properties, livemode
        ),
        rollups as (${rollups}),
        unique_values as (${values}),
        counted as (${countsUpsert(tally, sql`(select count(*) from fresh)`, sql`${events.length + tally.duplicates}::int - (select count(*) from fresh)`, proceed)}),
        audited as (${ingestAuditInsert(audit, events.length)}
        )${lateCheckNotes(lateChecks, createdAt, proceed)}
        select ${proceed} as ok, array(select i.identifier from input i where not exists (select 1 from fresh f where f.event_id = i.id)) as known${small ? duplicateRows : sql``}`,
  );
  if (!result?.ok) return null;
  return { seenBefore: new Set(result.known), duplicates: new Map((result.rows ?? []).map((r) => [r.identifier, storedEventRow(r)])) };
}

/**
 * The store's answer: the identifiers stored before (duplicates; every other one was stored now),
 * and, for small calls, the duplicates' stored events as the statement could read them (what a
 * retried single event answers with; one stored by a transaction that committed while the
 * statement ran is not among them, and is read apart).
 */
export interface StoredUsage {
  seenBefore: Set<string>;
  duplicates: Map<string, UsageEventRow>;
}

/** A stored event's columns as a UsageEventRow's keys (`e`: usage_events). */
const EVENT_ROW = `e.id, e.identifier, e.meter_code as "meterCode", e.customer_id as "customerId", e."timestamp", e.properties, e.late, e.livemode, e.created_at as "createdAt"`;
/**
 * The stored event of each identifier key `k`: one index probe per key, pruned to its month's
 * partition at run time. A plain join was planned generically as a hash join over every
 * partition's rows (1.4 ms per duplicate at 12,000 events, growing with the month; bench/RESULTS.md I9).
 */
const EVENT_OF_KEY = `cross join lateral (select * from usage_events e where e."timestamp" = k."timestamp" and e.id = k.event_id limit 1) e`;
/** The storing statement's duplicates as stored (StoredUsage.duplicates). */
const duplicateRows = sql.raw(`,
        (select json_agg(r) from (select ${EVENT_ROW} from usage_event_identifiers k ${EVENT_OF_KEY}
                                   join input i on i.livemode = k.livemode and i.identifier = k.identifier
                                  where not exists (select 1 from fresh f where f.event_id = i.id)) r) as rows`);

function storedEventRow(r: Omit<UsageEventRow, "timestamp" | "createdAt"> & { timestamp: string | Date; createdAt: string | Date }): UsageEventRow {
  return { ...r, timestamp: new Date(r.timestamp), createdAt: new Date(r.createdAt) };
}

/**
 * The statement's note of customers whose events may have missed an invoice (usage_late_checks,
 * drizzle/0034), each from its earliest such event — an earlier note keeps its earlier `since`;
 * billLateUsage clears them. In customer order, so concurrent calls wait rather than deadlock. Empty
 * (no CTE at all) when no event needs it, which is the common case.
 */
function lateCheckNotes(checks: ReadonlyMap<string, Date>, notedAt: Date, when: SQL): SQL {
  if (checks.size === 0) return sql``;
  const sorted = [...checks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sql`,
        noted as (
          insert into usage_late_checks (customer_id, since, noted_at)
          select c, s, ${instant(notedAt)} from unnest(${arrayLiteral(sorted.map(([c]) => c))}::text[], ${arrayLiteral(sorted.map(([, at]) => at.toISOString()))}::timestamptz[]) as n(c, s)
           where ${when}
          on conflict (customer_id) do update set since = least(usage_late_checks.since, excluded.since), noted_at = excluded.noted_at
        )`;
}

/** The stored events for these identifiers (what a duplicate answers with). */
export async function usageEventsByIdentifier(tx: Executor, livemode: boolean, identifiers: readonly string[]): Promise<Map<string, UsageEventRow>> {
  if (identifiers.length === 0) return new Map();
  const rows = await queryPrepared<UsageEventRow>(
    tx,
    "tally_usage_events_by_identifier",
    sql`select ${sql.raw(EVENT_ROW)} from usage_event_identifiers k ${sql.raw(EVENT_OF_KEY)}
         where k.livemode = ${livemode} and ${inTextArray(sql`k.identifier`, identifiers)}`,
  );
  return new Map(rows.map((r) => [r.identifier, storedEventRow(r)]));
}

/** Build a new meter version's rollups from every stored event of its code (the caller holds the code's exclusive lock). */
export async function buildMeterRollups(tx: Executor, meterId: string): Promise<void> {
  const source = sql`(select * from usage_events where (livemode, meter_code) = (select livemode, code from meters where id = ${meterId})) e`;
  const { rollups, values } = rollupInserts(source, sql`m.id = ${meterId}`);
  await tx.execute(rollups);
  await tx.execute(values);
}

export interface UsageCustomer {
  id: string;
  externalId: string | null;
  livemode: boolean;
  /** The customer's test clock time, when they live on one. */
  clockTime: Date | null;
  /**
   * The earliest start of a current period among the customer's live subscriptions: events from
   * then on are billed with an open period; earlier ones were already invoiced. Null without one.
   */
  openPeriodStart: Date | null;
  /** The earliest end of a current period among them: once it has passed, its renewal may be under way. */
  openPeriodEnd: Date | null;
}

export interface IngestLookups {
  customers: UsageCustomer[];
  /** The current version of each code named. */
  meters: Map<string, MeterRow>;
  /** The stored value of the late-window setting (undefined: not set). */
  lateWindowSetting: unknown;
}

/**
 * The facts judging an event reads, each as the database writes it as text: a customer's (its row,
 * clock and open period), a meter code's (its active versions) and the late-window setting's. The
 * lookup answers with these texts and the facts guard compares them, so a judgment made from
 * remembered facts is stored only while the database still says exactly the same.
 */
export interface IngestFactTexts {
  /** Customer id → its facts. */
  customers: ReadonlyMap<string, string>;
  /** Meter code → its active versions. */
  meters: ReadonlyMap<string, string>;
  /** The setting's stored value (null: not set). */
  setting: string | null;
}

// One home for each fact's text: the lookup reads it, the guard (factsGuard) compares it.
const CUSTOMER_FACTS = sql.raw(`json_build_object('id', c.id, 'externalId', c.external_id, 'livemode', c.livemode, 'clockTime', k.frozen_time,
                'openPeriodStart', o.start, 'openPeriodEnd', o.end_)::text`);
/** The customers row with its clock and, read once for both ends, its live subscriptions' open periods. */
const CUSTOMER_SOURCE = sql.raw(`customers c left join test_clocks k on k.id = c.test_clock_id
         cross join lateral (select min(s.current_period_start) as start, min(s.current_period_end) as end_ from subscriptions s
                              where s.customer_id = c.id and s.status not in ('canceled', 'incomplete_expired')) o`);
const meterFacts = (livemode: boolean, code: SQL) =>
  sql`select json_agg(json_build_object('id', m.id, 'code', m.code, 'version', m.version, 'active', m.active, 'name', m.name, 'aggregation', m.aggregation,
                'valueProperty', m.value_property, 'uniqueProperty', m.unique_property, 'filters', m.filters, 'livemode', m.livemode, 'createdAt', m.created_at)
                order by m.version)::text
         from meters m where m.livemode = ${livemode} and m.active and m.code = ${code}`;
const settingFacts = (key: string) => sql`select value::text from settings where key = ${key}`;

/**
 * What judging a call's events needs, in one round trip: the customers named by id or by external
 * id (with the time they live in and their open period), the current meter version of each code,
 * and the stored late-window setting — with the texts they were read from (`texts`).
 */
export async function ingestLookups(
  tx: Executor,
  input: { livemode: boolean; ids: readonly string[]; externalIds: readonly string[]; codes: readonly string[]; settingKey: string },
): Promise<IngestLookups & { texts: IngestFactTexts }> {
  const ids = [...new Set(input.ids)];
  const externalIds = [...new Set(input.externalIds)];
  const codes = [...new Set(input.codes)];
  // One customer and one code (a single event, the common call) compare scalars: PostgreSQL keeps a
  // generic plan for that text, where the arrays' version is planned again on every call (I4).
  const one = ids.length + externalIds.length === 1 && codes.length === 1;
  const named = one ? (ids.length === 1 ? sql`c.id = ${ids[0]}::text` : sql`c.external_id = ${externalIds[0]}::text`) : null;
  const customerMatch = named ?? sql`${inTextArray(sql`c.id`, ids)} or ${inTextArray(sql`c.external_id`, externalIds)}`;
  const codeSource = one ? sql`(select ${codes[0]}::text as code) x` : sql`unnest(${arrayLiteral(codes)}::text[]) as x(code)`;
  const [row] = await queryPrepared<{ customers: string[]; meters: (string | null)[]; setting: string | null }>(
    tx,
    !one ? "tally_ingest_lookups" : ids.length === 1 ? "tally_ingest_lookup_id" : "tally_ingest_lookup_external_id",
    sql`select
      array(select ${CUSTOMER_FACTS} from ${CUSTOMER_SOURCE} where ${customerMatch}) as customers,
      array(select (${meterFacts(input.livemode, sql`x.code`)}) from ${codeSource}) as meters,
      (${settingFacts(input.settingKey)}) as setting`,
  );
  const date = (v: string | null) => (v === null ? null : new Date(v));
  const customers: UsageCustomer[] = [];
  const customerTexts = new Map<string, string>();
  for (const text of row?.customers ?? []) {
    const c = JSON.parse(text) as Omit<UsageCustomer, "clockTime" | "openPeriodStart" | "openPeriodEnd"> & { clockTime: string | null; openPeriodStart: string | null; openPeriodEnd: string | null };
    customers.push({ ...c, clockTime: date(c.clockTime), openPeriodStart: date(c.openPeriodStart), openPeriodEnd: date(c.openPeriodEnd) });
    customerTexts.set(c.id, text);
  }
  const meterRows = new Map<string, MeterRow>();
  const meterTexts = new Map<string, string>();
  for (const text of row?.meters ?? []) {
    if (text === null) continue;
    const versions = JSON.parse(text) as (Omit<MeterRow, "createdAt"> & { createdAt: string })[];
    const current = versions.at(-1);
    if (!current) continue;
    meterRows.set(current.code, { ...current, createdAt: new Date(current.createdAt) });
    meterTexts.set(current.code, text);
  }
  const setting = row?.setting ?? null;
  return {
    customers,
    meters: meterRows,
    lateWindowSetting: setting === null ? undefined : (JSON.parse(setting) as unknown),
    texts: { customers: customerTexts, meters: meterTexts, setting },
  };
}

/**
 * The storing statement's facts guard: true while every remembered fact still reads as `facts`
 * says (the same customers, meter versions and setting), so a judgment made from them stands.
 */
function factsGuard(livemode: boolean, settingKey: string, facts: IngestFactTexts): SQL {
  const { customers, meters } = facts;
  return sql`select
      not exists (select 1 from unnest(${arrayLiteral([...customers.keys()])}::text[], ${arrayLiteral([...customers.values()])}::text[]) as x(id, facts)
                   where (select ${CUSTOMER_FACTS} from ${CUSTOMER_SOURCE} where c.id = x.id) is distinct from x.facts)
      and not exists (select 1 from unnest(${arrayLiteral([...meters.keys()])}::text[], ${arrayLiteral([...meters.values()])}::text[]) as x(code, facts)
                   where (${meterFacts(livemode, sql`x.code`)}) is distinct from x.facts)
      and (${settingFacts(settingKey)}) is not distinct from ${facts.setting}::text as ok`;
}

// Aggregates ---------------------------------------------------------------------------------------


export interface UsageRange {
  meterId: string;
  customerId: string;
  from: Date;
  to: Date;
}

export interface UsageBucket {
  start: Date;
  /** A decimal string, without trailing zeros. */
  value: string;
}

/**
 * A meter's usage for a customer over [from, to), per UTC day or month bucket or as one total
 * (`interval` null), from the hourly rollups for the whole hours inside the range and from the raw
 * events for the partial hours at either end, so any range is exact. Buckets without usage are absent.
 */
export async function usageFromRollups(tx: Executor, range: UsageRange, interval: UsageInterval | null): Promise<UsageBucket[]> {
  const { whole, raw } = hourSpans(range.from, range.to);
  return aggregate(tx, range, interval, whole, raw);
}

/** The same aggregate from the raw events alone: the reference the rollups are checked and measured against. */
export async function usageFromEvents(tx: Executor, range: UsageRange, interval: UsageInterval | null): Promise<UsageBucket[]> {
  return aggregate(tx, range, interval, null, [{ from: range.from, to: range.to }]);
}

const instant = (d: Date) => sql`${d.toISOString()}::timestamptz`;

async function aggregate(tx: Executor, range: UsageRange, interval: UsageInterval | null, whole: Span | null, raw: Span[]): Promise<UsageBucket[]> {
  const bucket = (column: SQL) => (interval === null ? instant(range.from) : sql`greatest(date_trunc(${interval}, ${column}, 'UTC'), ${instant(range.from)})`);
  const rawWhere = raw.length === 0 ? sql`false` : sql.join(raw.map((s) => sql`(e."timestamp" >= ${instant(s.from)} and e."timestamp" < ${instant(s.to)})`), sql` or `);
  const rawEvents = sql`from m join usage_events e on e.livemode = m.livemode and e.meter_code = m.code and e.customer_id = ${range.customerId} and (${rawWhere}) ${READ} where ${COUNTS}`;
  const rollupWhere = whole ? sql`r.meter_id = m.id and r.customer_id = ${range.customerId} and r.hour >= ${instant(whole.from)} and r.hour < ${instant(whole.to)}` : sql`false`;
  const rows = await queryRows<{ start: string | Date; value: string }>(
    tx,
    sql`with m as (select * from meters where id = ${range.meterId}),
        pieces as (
          select ${bucket(sql`r.hour`)} as bucket, r.event_count as cnt, r.value_sum as s, r.value_max as mx, r.last_timestamp as lts, r.last_identifier as lid, r.last_value as lval
            from m, usage_rollups r where ${rollupWhere}
          union all
          select ${bucket(sql`e."timestamp"`)}, 1, v.value, v.value, e."timestamp", e.identifier, v.value
            ${rawEvents}
        ),
        uniques as (
          select ${bucket(sql`v.hour`)} as bucket, v.value from m, usage_rollup_values v
           where m.aggregation = 'unique_count' and ${whole ? sql`v.meter_id = m.id and v.customer_id = ${range.customerId} and v.hour >= ${instant(whole.from)} and v.hour < ${instant(whole.to)}` : sql`false`}
          union
          select ${bucket(sql`e."timestamp"`)}, v.key ${rawEvents} and m.aggregation = 'unique_count'
        )
        select bucket as start, trim_scale(case (select aggregation from m)
                 when 'sum' then sum(s)
                 when 'count' then sum(cnt)
                 when 'max' then max(mx)
                 when 'last' then (array_agg(lval order by lts desc, lid desc))[1]
               end)::text as value
          from pieces where (select aggregation from m) <> 'unique_count' group by bucket
        union all
        select bucket, count(*)::text from uniques group by bucket
        order by 1`,
  );
  return rows.map((r) => ({ start: new Date(r.start), value: r.value }));
}

// Repair ---------------------------------------------------------------------------------------------

/**
 * Replace one customer's rollups, for every meter version of `livemode`, with rollups built from
 * that customer's stored events (the same SQL as ingest). The caller holds the exclusive lock of
 * every code of `livemode`, so no event of the customer commits in between.
 */
export async function rebuildCustomerRollups(tx: Executor, livemode: boolean, customerId: string): Promise<void> {
  const scope = sql`meter_id in (select id from meters where livemode = ${livemode}) and customer_id = ${customerId}`;
  await tx.execute(sql`delete from usage_rollups where ${scope}`);
  await tx.execute(sql`delete from usage_rollup_values where ${scope}`);
  const source = sql`(select * from usage_events where livemode = ${livemode} and customer_id = ${customerId}) e`;
  const { rollups, values } = rollupInserts(source, sql.raw("true"));
  await tx.execute(rollups);
  await tx.execute(values);
}

/** Each of a customer's rollup rows as a key and a fingerprint of its contents (for comparing before and after a rebuild). */
export async function customerRollupFingerprints(tx: Executor, livemode: boolean, customerId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ k: string; f: string }>(
    tx,
    sql`select 'r:' || r.meter_id || ':' || to_char(r.hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as k,
               concat_ws('|', r.event_count, trim_scale(r.value_sum), trim_scale(r.value_max), to_char(r.last_timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), r.last_identifier, trim_scale(r.last_value)) as f
          from usage_rollups r join meters m on m.id = r.meter_id
         where m.livemode = ${livemode} and r.customer_id = ${customerId}
        union all
        select 'v:' || v.meter_id || ':' || to_char(v.hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24') || ':' || v.value, ''
          from usage_rollup_values v join meters m on m.id = v.meter_id
         where m.livemode = ${livemode} and v.customer_id = ${customerId}`,
  );
  return new Map(rows.map((r) => [r.k, r.f]));
}

// Ingest health ------------------------------------------------------------------------------------

export interface IngestMinute {
  minute: Date;
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** Ingest counts per minute over [from, to) (both modes, slots added up; minutes without any absent) and the rejections by code. */
export async function ingestCounts(db: Executor, from: Date, to: Date): Promise<{ minutes: IngestMinute[]; rejections: { code: string; count: number }[] }> {
  const range = sql`minute >= ${instant(from)} and minute < ${instant(to)}`;
  const [minutes, rejections] = await Promise.all([
    queryRows<{ minute: string | Date; accepted: number; duplicates: number; rejected: number }>(
      db,
      sql`select minute, sum(accepted)::int as accepted, sum(duplicates)::int as duplicates,
                 coalesce(sum((select sum(value::bigint) from jsonb_each_text(rejected))), 0)::int as rejected
            from usage_ingest_counts where ${range} group by minute order by minute`,
    ),
    queryRows<{ code: string; count: number }>(
      db,
      sql`select r.key as code, sum(r.value::bigint)::int as count
            from usage_ingest_counts c, jsonb_each_text(c.rejected) r where ${range}
           group by r.key order by count desc, code`,
    ),
  ]);
  return { minutes: minutes.map((m) => ({ ...m, minute: new Date(m.minute) })), rejections };
}
