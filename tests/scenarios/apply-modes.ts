import { expect } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import type { ApplyMode } from "@/db/apply-writes";
import { idPrefixes } from "@/lib/ids";

/**
 * Both ways of applying planned writes (db/apply-writes.ts) must leave the same rows. A scenario
 * wrapped in inBothApplyModes runs twice on its test file's database — once applying every
 * planned write as set statements, once row by row (the scenario's context says which: ctxAt reads
 * `currentApplyMode()`) — and the rows each run wrote must be identical, table by table, once what
 * differs by nature between two runs is set aside:
 * - ids: made in the same order by both runs, each is replaced by its kind and rank in the run
 *   (ids sort by creation); numeric serial ids are dropped;
 * - invoice and credit note numbers: the series go on, so each is replaced by its rank in the run;
 * - values the scenario made unique per run with perRun (a promotion code);
 * - random gateway ids and hosted tokens, and `recorded_at` (when a row was written, real time).
 * The scenario's own assertions run in both modes.
 */
let mode: ApplyMode = "set";

export const currentApplyMode = (): ApplyMode => mode;

/** Values a scenario must make unique per run (a promotion code): compared as the same value. */
const perRunValues = new Set<string>();

/** `value` made unique to this run (for what must be unique across the database, like a promotion code). */
export function perRun(value: string): string {
  perRunValues.add(value.toLowerCase());
  return `${value}${mode === "row" ? "R" : "S"}`;
}

export function inBothApplyModes<A extends unknown[]>(body: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const written: Record<string, string[]>[] = [];
    for (const m of ["set", "row"] as const) {
      mode = m;
      try {
        const before = await tableRows();
        const started = Date.now() - 1000;
        await body(...args);
        written.push(normalize(newRows(before, await tableRows()), { from: started, to: Date.now() + 1000 }));
      } finally {
        mode = "set";
      }
    }
    const [set, row] = written;
    expect(Object.keys(set!).length).toBeGreaterThan(0);
    expect(row).toEqual(set);
  };
}

type Row = Record<string, unknown>;

/** Global bookkeeping both runs share (the number series' counter, job runs, per-minute ingest counts): not a scenario's rows. */
const SHARED = new Set(["__drizzle_migrations", "invoice_number_series", "job_runs", "rate_limits", "settings", "usage_ingest_counts"]);

async function tableRows(): Promise<Map<string, Row[]>> {
  const db = await getDb();
  const tables = await queryRows<{ tablename: string }>(db, sql`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  const out = new Map<string, Row[]>();
  for (const { tablename } of tables) {
    if (SHARED.has(tablename)) continue;
    out.set(tablename, await queryRows<Row>(db, sql.raw(`select * from "${tablename}"`)));
  }
  return out;
}

const json = (r: Row) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/** The rows of `after` that are not in `before` (new, or changed since). */
function newRows(before: Map<string, Row[]>, after: Map<string, Row[]>): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const [table, rows] of after) {
    const old = new Set((before.get(table) ?? []).map(json));
    const fresh = rows.filter((r) => !old.has(json(r)));
    if (fresh.length) out.set(table, fresh);
  }
  return out;
}

/** A Tally id (lib/ids.ts): a kind's prefix, 12 base-36 characters of creation time and sequence, 12 random ones — also inside other strings (idempotency keys, gateway ids). */
const TALLY_ID = new RegExp(`(?<![0-9A-Za-z])(${Object.values(idPrefixes).join("|")})_([0-9a-z]{12})([0-9A-Za-z]{12})(?![0-9A-Za-z])`, "g");
/** The sandbox gateway's random parts: charge, refund and setup ids, client secrets, a card's `<token>:<random>` id. */
const SANDBOX_RANDOM = [/\b([a-z]+)_sbx_[0-9A-Za-z]{18}\b/g, /_secret_[0-9A-Za-z]{12,18}\b/g, /^(pm_[A-Za-z_]+):[0-9A-Za-z]{12}$/g];

/** Columns derived from random parts: the sandbox's hash of a charge request (it names the card's random gateway id). */
const DROPPED = new Set(["recorded_at", "hosted_token", "request_hash"]);

/**
 * An event's `seq` is a database-wide write counter, so its value depends on everything written
 * before; what it means is the order of one customer's events that share a time. Compared as that:
 * the event's place among its customer's events of the same `created_at`.
 */
function writeOrderRanks(list: readonly Row[]): Map<Row, number> {
  const groups = new Map<string, Row[]>();
  for (const r of list) {
    const key = `${String(r.customer_id)}|${String(r.created_at instanceof Date ? r.created_at.toISOString() : r.created_at)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const ranks = new Map<Row, number>();
  for (const group of groups.values()) [...group].sort((a, b) => Number(a.seq) - Number(b.seq)).forEach((r, i) => ranks.set(r, i + 1));
  return ranks;
}

function normalize(rows: Map<string, Row[]>, realTime: { from: number; to: number }): Record<string, string[]> {
  // Ids by creation order, numbers by their order in the series.
  const ids = new Set<string>();
  const numbers = new Set<string>();
  for (const [table, list] of rows) {
    for (const r of list) {
      // Case-folded: an id inside an email address is stored lowercased.
      for (const m of json(r).matchAll(TALLY_ID)) ids.add(m[0].toLowerCase());
      if ((table === "invoices" || table === "credit_notes") && typeof r.number === "string") numbers.add(r.number);
    }
  }
  const rank = new Map<string, string>();
  const byKind = new Map<string, number>();
  const created = (id: string) => id.slice(id.indexOf("_") + 1, id.indexOf("_") + 13);
  for (const id of [...ids].sort((a, b) => (created(a) < created(b) ? -1 : created(a) > created(b) ? 1 : a < b ? -1 : 1))) {
    const kind = id.slice(0, id.indexOf("_"));
    const n = (byKind.get(kind) ?? 0) + 1;
    byKind.set(kind, n);
    rank.set(id, `${kind}#${n}`);
  }
  const numberRank = new Map([...numbers].sort().map((n, k) => [n, `number#${k + 1}`]));
  const clean = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    // A column defaulting to the database's now(): when the row was written, not scenario time.
    if (typeof v === "string" && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(v)) {
      const t = Date.parse(v.replace(" ", "T").replace(/\+00$/, "Z"));
      if (t >= realTime.from && t <= realTime.to) return "(written at run time)";
    }
    if (typeof v === "string") {
      let s = v.replace(TALLY_ID, (id) => rank.get(id.toLowerCase()) ?? id);
      for (const random of SANDBOX_RANDOM) s = s.replace(random, (m, kind?: string) => (typeof kind === "string" && !m.startsWith("_") ? `${kind}…` : "…"));
      for (const [n, r] of numberRank) s = s.split(n).join(r);
      for (const value of perRunValues) s = s.replace(new RegExp(`(${value})[SR]\\b`, "gi"), "$1·");
      return s;
    }
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]));
    return v;
  };
  const out: Record<string, string[]> = {};
  for (const [table, list] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const seqRank = table === "outbox_events" ? writeOrderRanks(list) : null;
    out[table] = list
      .map((r) => {
        if (seqRank) r = { ...r, seq: seqRank.get(r) };
        const kept = Object.fromEntries(Object.entries(r).filter(([k, v]) => !DROPPED.has(k) && !(k === "id" && (typeof v === "number" || typeof v === "bigint" || /^\d+$/.test(String(v))))));
        // Plans made by tests/scenarios/support.ts makePlan: a code with a random suffix (codes are unique).
        if (table === "plans" && typeof kept.code === "string") kept.code = kept.code.replace(/-[0-9A-Za-z]{6}$/, "-…");
        return json(clean(kept) as Row);
      })
      .sort();
  }
  return out;
}
