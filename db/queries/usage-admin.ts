import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { inTextArray, queryRows, type Executor } from "../client";
import { auditLog, meters, usageEvents, users } from "../schema";
import type { MeterRow, UsageEventRow } from "./usage";

/** What the console reads about meters and a customer's usage events. */

export interface MeterCodeSummary {
  /** The code's newest version: its current definition (active unless every version was retired). */
  current: MeterRow;
  versions: number;
}

/** One row per (mode, code): its newest version and how many versions it has, test mode first, by code. */
export async function listMeterCodes(tx: Executor): Promise<MeterCodeSummary[]> {
  const rows = await queryRows<{ id: string; versions: number }>(
    tx,
    sql`select distinct on (livemode, code) id, (count(*) over (partition by livemode, code))::int as versions
          from ${meters} order by livemode, code, version desc`,
  );
  if (rows.length === 0) return [];
  const byId = new Map(
    (
      await tx
        .select()
        .from(meters)
        .where(inTextArray(meters.id, rows.map((r) => r.id)))
    ).map((m) => [m.id, m]),
  );
  return rows.flatMap((r) => {
    const current = byId.get(r.id);
    return current ? [{ current, versions: r.versions }] : [];
  });
}

/** Every version of the code `meterId` belongs to (in its mode), newest first. */
export async function meterVersions(tx: Executor, meterId: string): Promise<MeterRow[]> {
  const [meter] = await tx.select().from(meters).where(eq(meters.id, meterId));
  if (!meter) return [];
  return tx
    .select()
    .from(meters)
    .where(and(eq(meters.livemode, meter.livemode), eq(meters.code, meter.code)))
    .orderBy(desc(meters.version));
}

export interface CustomerMeter {
  meter: MeterRow;
  /** The customer has at least one stored event of this code. */
  hasEvents: boolean;
}

/** The current version of every code in the customer's mode, and whether the customer ever reported usage of it. */
export async function customerMeters(tx: Executor, customerId: string, livemode: boolean): Promise<CustomerMeter[]> {
  const hasEvents = sql<boolean>`exists (select 1 from ${usageEvents} e where e.customer_id = ${customerId} and e.livemode = ${meters.livemode} and e.meter_code = ${meters.code})`;
  const rows = await tx
    .select({ meter: meters, hasEvents })
    .from(meters)
    .where(and(eq(meters.livemode, livemode), eq(meters.active, true)))
    .orderBy(asc(meters.code));
  return rows;
}

export interface UsageEventSearch {
  customerId: string;
  /** Text found in the identifier, the meter code or the properties (as JSON text), any case. */
  q?: string | null;
  meterCode?: string | null;
  lateOnly?: boolean;
  /** From usageEventsPage's nextCursor: the page after it, older. */
  after?: string | null;
  limit?: number;
}

export interface UsageEventPage {
  events: UsageEventRow[];
  nextCursor: string | null;
}

/** `%`, `_` and `\` typed into a search box are looked for as themselves. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A customer's usage events, newest first (by when they happened), searched and keyset-paginated on (timestamp, id). */
export async function searchUsageEvents(tx: Executor, search: UsageEventSearch): Promise<UsageEventPage> {
  const limit = Math.min(Math.max(search.limit ?? 25, 1), 100);
  const conditions: SQL[] = [sql`e.customer_id = ${search.customerId}`];
  const q = search.q?.trim();
  if (q) {
    const pattern = likePattern(q);
    conditions.push(sql`(e.identifier ilike ${pattern} or e.meter_code ilike ${pattern} or e.properties::text ilike ${pattern})`);
  }
  if (search.meterCode) conditions.push(sql`e.meter_code = ${search.meterCode}`);
  if (search.lateOnly) conditions.push(sql`e.late`);
  const cursor = search.after ? decodeUsageCursor(search.after) : null;
  if (cursor) conditions.push(sql`(e."timestamp", e.id) < (${cursor.at}::timestamptz, ${cursor.id})`);
  const rows = await queryRows<UsageEventRow>(
    tx,
    sql`select e.id, e.identifier, e.meter_code as "meterCode", e.customer_id as "customerId", e."timestamp", e.properties, e.late, e.livemode, e.created_at as "createdAt"
          from usage_events e
         where ${sql.join(conditions, sql` and `)}
         order by e."timestamp" desc, e.id desc
         limit ${limit + 1}`,
  );
  const events = rows.slice(0, limit).map((r) => ({ ...r, timestamp: new Date(r.timestamp), createdAt: new Date(r.createdAt) }));
  const last = rows.length > limit ? events[limit - 1] : undefined;
  return { events, nextCursor: last ? encodeUsageCursor({ at: last.timestamp.toISOString(), id: last.id }) : null };
}

export function encodeUsageCursor(cursor: { at: string; id: string }): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, "utf8").toString("base64url");
}

/** Null for anything this module did not make (a tampered URL starts from the newest). */
export function decodeUsageCursor(value: string): { at: string; id: string } | null {
  const text = Buffer.from(value, "base64url").toString("utf8");
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([A-Za-z0-9_]{1,100})$/.exec(text);
  return match ? { at: match[1]!, id: match[2]! } : null;
}

export interface UsageRebuild {
  at: Date;
  by: string | null;
  after: unknown;
}

/** The customer's latest rollup rebuild (its audit entry), if any. */
export async function lastUsageRebuild(tx: Executor, customerId: string): Promise<UsageRebuild | undefined> {
  const [row] = await tx
    .select({ at: auditLog.at, by: sql<string | null>`coalesce(${users.name}, ${users.email})`, after: auditLog.after })
    .from(auditLog)
    .leftJoin(users, and(eq(auditLog.actorType, "user"), eq(users.id, auditLog.actorId)))
    .where(and(eq(auditLog.entityType, "customer"), eq(auditLog.entityId, customerId), eq(auditLog.action, "customer.usage_reaggregated")))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row;
}
