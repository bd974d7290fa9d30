import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { arrayLiteral, type ArrayElement } from "../array-literal";
import { inTextArray, queryRows, type Db, type Executor } from "../client";
import { apiCostIdentifiers, apiCosts, costProviders, costRates, fxRates } from "../schema";
import { ingestAuditInsert, type IngestAudit } from "./ingest-audit";
import { ensureMonthPartitions, hourSpans } from "./month-partitions";

export type CostProviderRow = typeof costProviders.$inferSelect;
export type CostRateRow = typeof costRates.$inferSelect;
export type ApiCostRow = typeof apiCosts.$inferSelect;
export type FxRateRow = typeof fxRates.$inferSelect;

export async function findCostProvider(tx: Executor, id: string): Promise<CostProviderRow | undefined> {
  const [row] = await tx.select().from(costProviders).where(eq(costProviders.id, id));
  return row;
}

/** A provider's rates, oldest first (the whole history: rates are never edited). */
export async function costRatesOf(tx: Executor, providerIds: readonly string[]): Promise<CostRateRow[]> {
  if (providerIds.length === 0) return [];
  return tx
    .select()
    .from(costRates)
    .where(inTextArray(costRates.providerId, [...new Set(providerIds)]))
    .orderBy(asc(costRates.effectiveFrom), asc(costRates.id));
}

/** Providers of a mode by code. */
export async function costProvidersByCode(tx: Executor, livemode: boolean, codes: readonly string[]): Promise<Map<string, CostProviderRow>> {
  if (codes.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(costProviders)
    .where(and(eq(costProviders.livemode, livemode), inTextArray(costProviders.code, [...new Set(codes)])));
  return new Map(rows.map((r) => [r.code, r]));
}

// Storage -------------------------------------------------------------------------------------------

/** Make the month partitions of api_costs that `timestamps` fall in (drizzle/0035; a no-op on PGlite). */
export async function ensureApiCostPartitions(db: Db, timestamps: readonly Date[]): Promise<void> {
  await ensureMonthPartitions(db, "api_costs", timestamps, (start) => sql`select ensure_month_partitions('api_costs', ${start.toISOString()}::timestamptz, ${start.toISOString()}::timestamptz + interval '1 second')`);
}

export interface NewApiCost {
  id: string;
  identifier: string;
  providerCode: string;
  operation: string;
  region: string | null;
  /** A non-negative decimal string. */
  units: string;
  /** Exact minor units as a decimal string; null: units × the rate's unit_cost_decimal, computed by the statement. */
  cost: string | null;
  currency: string;
  customerId: string | null;
  timestamp: Date;
  properties: Record<string, string | number>;
  late: boolean;
  livemode: boolean;
  rateId: string | null;
}

/** The columns a source relation of costs to insert has (aliased `x`): see apiCostInsert. */
export const API_COST_SOURCE_COLUMNS =
  "n int, id text, identifier text, provider_code text, operation text, region text, units numeric, cost numeric, currency text, customer_id text, ts timestamptz, properties jsonb, late boolean, livemode boolean, rate_id text";

/**
 * The statement that stores costs, set-based: `source` is a relation `x` with API_COST_SOURCE_COLUMNS
 * whose (livemode, identifier) pairs are distinct (insertApiCosts keeps the first of a repeat; a
 * select may give any rows), in the order their identifier keys are to be taken. The identifier
 * key decides (insert … on conflict do nothing), then the new costs (cost = units × the rate's exact
 * unit cost when not given: exact numeric, never rounded), then their hourly rollups, upserted in
 * key order so concurrent batches wait rather than deadlock; with `audit`, the call's audit entry
 * (ingestAuditInsert). Answers the identifiers that were stored before (the duplicates).
 */
export function apiCostInsert(source: SQL, createdAt: Date, audit?: { audit: IngestAudit; candidates: number }): SQL {
  return sql`with input as (select * from ${source}),
        fresh as (
          insert into api_cost_identifiers (livemode, identifier, cost_id, "timestamp")
          select livemode, identifier, id, ts from input
          on conflict do nothing
          returning cost_id
        ),
        stored as (
          insert into api_costs (id, identifier, provider_code, operation, region, units, cost, currency, customer_id, "timestamp", properties, late, livemode, rate_id, created_at)
          select i.id, i.identifier, i.provider_code, i.operation, i.region, i.units, coalesce(i.cost, i.units * r.unit_cost_decimal), i.currency, i.customer_id, i.ts,
                 coalesce(i.properties, '{}'::jsonb), i.late, i.livemode, i.rate_id, ${createdAt.toISOString()}::timestamptz
            from input i join fresh f on f.cost_id = i.id
            left join cost_rates r on r.id = i.rate_id
          returning livemode, provider_code, operation, region, customer_id, currency, "timestamp", units, cost
        ),
        rollups as (
          insert into api_cost_rollups (livemode, provider_code, operation, region, customer_id, currency, hour, event_count, units, cost)
          select livemode, provider_code, operation, coalesce(region, ''), coalesce(customer_id, ''), currency, date_trunc('hour', "timestamp", 'UTC'), count(*), sum(units), sum(cost)
            from stored
           group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
          on conflict (livemode, provider_code, operation, region, customer_id, currency, hour) do update set
            event_count = api_cost_rollups.event_count + excluded.event_count,
            units = api_cost_rollups.units + excluded.units,
            cost = api_cost_rollups.cost + excluded.cost
        )${audit ? sql`,
        audited as (${ingestAuditInsert(audit.audit, audit.candidates)})` : sql``}
        select i.identifier from input i where not exists (select 1 from fresh f where f.cost_id = i.id)`;
}

/**
 * Store costs whose identifier is new, with their rollups and the call's audit entry, in one
 * statement (apiCostInsert) — its own transaction, or part of the caller's. A repeat within the
 * call counts once (the first wins); the rows go in as one array per column, in identifier order
 * (cheaper for PostgreSQL to read than a JSON record set: bench/RESULTS.md I2, I5). Returns the
 * duplicates' identifiers.
 */
export async function insertApiCosts(db: Executor, costs: readonly NewApiCost[], createdAt: Date, audit: IngestAudit): Promise<Set<string>> {
  if (costs.length === 0) return new Set();
  const firsts = new Map<string, NewApiCost>();
  for (const c of costs) {
    const key = `${c.livemode ? "l" : "t"}${c.identifier}`;
    if (!firsts.has(key)) firsts.set(key, c);
  }
  const rows = [...firsts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
  const column = (read: (c: NewApiCost, n: number) => ArrayElement) => arrayLiteral(rows.map(read));
  const source = sql`unnest(${column((_, n) => n)}::int[], ${column((c) => c.id)}::text[], ${column((c) => c.identifier)}::text[], ${column((c) => c.providerCode)}::text[],
                            ${column((c) => c.operation)}::text[], ${column((c) => c.region)}::text[], ${column((c) => c.units)}::numeric[], ${column((c) => c.cost)}::numeric[],
                            ${column((c) => c.currency)}::text[], ${column((c) => c.customerId)}::text[], ${column((c) => c.timestamp.toISOString())}::timestamptz[],
                            ${column((c) => JSON.stringify(c.properties))}::jsonb[], ${column((c) => c.late)}::boolean[], ${column((c) => c.livemode)}::boolean[], ${column((c) => c.rateId)}::text[])
                     as x(${sql.raw(API_COST_SOURCE_COLUMNS.replace(/ [a-z]+(?=,|$)/g, ""))})`;
  const found = await queryRows<{ identifier: string }>(db, apiCostInsert(source, createdAt, { audit, candidates: costs.length }));
  return new Set(found.map((r) => r.identifier));
}

/** The stored costs for these identifiers (what a duplicate answers with). */
export async function apiCostsByIdentifier(tx: Executor, livemode: boolean, identifiers: readonly string[]): Promise<Map<string, ApiCostRow>> {
  if (identifiers.length === 0) return new Map();
  // One index probe per key, pruned to its month's partition at run time: a lateral lookup by the
  // partition key. A plain join may be planned as a hash join over every partition's rows.
  const cost = tx
    .select()
    .from(apiCosts)
    .where(and(eq(apiCosts.timestamp, apiCostIdentifiers.timestamp), eq(apiCosts.id, apiCostIdentifiers.costId)))
    .limit(1)
    .as("cost");
  const rows = await tx
    .select()
    .from(apiCostIdentifiers)
    .innerJoinLateral(cost, sql`true`)
    .where(and(eq(apiCostIdentifiers.livemode, livemode), inTextArray(apiCostIdentifiers.identifier, identifiers)));
  return new Map(rows.map((r) => [r.cost.identifier, r.cost]));
}

// Reports --------------------------------------------------------------------------------------------

export const costGroupings = ["provider", "region", "operation", "customer", "day"] as const;
export type CostGrouping = (typeof costGroupings)[number];

export interface CostPiece {
  /** The group's key; null for costs without a region or customer. */
  key: string | null;
  currency: string;
  /** The UTC day (YYYY-MM-DD), for converting at that day's rate. */
  day: string;
  count: number;
  /** Exact decimal strings. */
  units: string;
  cost: string;
}

const instant = (d: Date) => sql`${d.toISOString()}::timestamptz`;

function groupKey(groupBy: CostGrouping, day: SQL): SQL {
  switch (groupBy) {
    case "provider":
      return sql`provider_code`;
    case "region":
      return sql`nullif(region, '')`;
    case "operation":
      return sql`operation`;
    case "customer":
      return sql`nullif(customer_id, '')`;
    case "day":
      return sql`to_char(${day}, 'YYYY-MM-DD')`;
  }
}

export interface CostRange {
  livemode: boolean;
  from: Date;
  to: Date;
  groupBy: CostGrouping;
  provider?: string;
  customerId?: string;
}

/**
 * Costs over [from, to) per group, currency and UTC day, exact: the hourly rollups for the whole
 * hours inside the range and the raw costs for the partial hours at either end (`fromRollups`
 * false: the raw costs alone, the reference the rollups are checked against).
 */
export async function costPieces(tx: Executor, range: CostRange, fromRollups = true): Promise<CostPiece[]> {
  const { whole, raw } = fromRollups ? hourSpans(range.from, range.to) : { whole: null, raw: [{ from: range.from, to: range.to }] };
  const rollupDay = sql`date_trunc('day', hour, 'UTC')`;
  const rawDay = sql`date_trunc('day', "timestamp", 'UTC')`;
  const filters = (customer: SQL) =>
    sql`livemode = ${range.livemode}${range.provider === undefined ? sql`` : sql` and provider_code = ${range.provider}`}${range.customerId === undefined ? sql`` : sql` and ${customer} = ${range.customerId}`}`;
  const rawWhere = raw.length === 0 ? sql`false` : sql.join(raw.map((s) => sql`("timestamp" >= ${instant(s.from)} and "timestamp" < ${instant(s.to)})`), sql` or `);
  const rows = await queryRows<{ key: string | null; currency: string; day: string; count: string; units: string; cost: string }>(
    tx,
    sql`with pieces as (
          select ${groupKey(range.groupBy, rollupDay)} as key, currency, ${rollupDay} as day, event_count as cnt, units, cost
            from api_cost_rollups
           where ${whole ? sql`${filters(sql`customer_id`)} and hour >= ${instant(whole.from)} and hour < ${instant(whole.to)}` : sql`false`}
          union all
          select ${groupKey(range.groupBy, rawDay)}, currency, ${rawDay}, 1, units, cost
            from api_costs
           where ${filters(sql`customer_id`)} and (${rawWhere})
        )
        select key, currency, to_char(day at time zone 'UTC', 'YYYY-MM-DD') as day, sum(cnt)::text as count, trim_scale(sum(units))::text as units, trim_scale(sum(cost))::text as cost
          from pieces group by key, currency, day order by key, currency, day`,
  );
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

// FX ----------------------------------------------------------------------------------------------

/**
 * For each day, the latest rate on or before it quoted for the pair either way round (base→quote
 * preferred on the same date). Days without one are absent.
 */
export async function fxRatesOn(tx: Executor, from: string, to: string, days: readonly string[]): Promise<Map<string, FxRateRow>> {
  if (days.length === 0) return new Map();
  const rows = await queryRows<FxRateRow & { day: string }>(
    tx,
    sql`select to_char(d.day, 'YYYY-MM-DD') as day, r.base, r.quote, r.rate::text as rate, to_char(r.date, 'YYYY-MM-DD') as date, r.created_at as "createdAt"
          from unnest(${sql.param([...new Set(days)])}::date[]) as d(day)
          cross join lateral (
            select * from fx_rates
             where ((base = ${from} and quote = ${to}) or (base = ${to} and quote = ${from})) and date <= d.day
             order by date desc, (base = ${from}) desc limit 1
          ) r`,
  );
  return new Map(rows.map((r) => [r.day, r]));
}
