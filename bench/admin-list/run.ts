/**
 * Customer-list benchmark (admin console acceptance; SPEC: "admin customer list p95 under 50 ms at
 * 100k customers"): p50/p95 of the console's list query — listCustomers from
 * db/queries/customer-list.ts, the function the /admin/customers page and its CSV export call,
 * through drizzle and the app's connection pool — next to the same page fetched by hand-written
 * keyset SQL over node-postgres in the same run, interleaved sample by sample so both see the same
 * machine load, and the ratio of the two p95s.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:admin-list
 *   options: --count 100000 --iterations 200 --explain (print each scenario's plan, EXPLAIN ANALYZE)
 *
 * Scenarios: the first page (newest first, by name); paging 200 pages in by following cursors (each
 * page a sample) and then the page 200 deep, a cursor from the middle of the list, and a previous
 * page; search for a common and a rare name, an email fragment, an exact id and external id;
 * filters on subscription status, plan, dunning state, country (common and rare), currency, and
 * combinations, with other sorts. Target: every p95 under 50 ms.
 *
 * The bench uses its own database (tally_bench_admin_list), dropped and recreated each run. The
 * machine is shared: the load average is printed with the figures.
 */
import { execSync } from "node:child_process";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { recreateDatabase } from "@/db/databases";
import type { CustomerListRequest } from "@/db/queries/customer-list";
import { seedCustomers } from "./seed";

const { values: opts } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    iterations: { type: "string", default: "200" },
    explain: { type: "boolean", default: false },
  },
});
const COUNT = Number(opts.count);
const ITERATIONS = Number(opts.iterations);
const DEEP_PAGES = 200;
const TARGET_MS = 50;
const BENCH_DB = "tally_bench_admin_list";
const NOW = new Date("2026-10-20T00:00:00Z");

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.log("bench:admin-list needs PostgreSQL: set DATABASE_URL=postgres://… (the list and its raw baseline share that server). Nothing was run.");
  process.exit(1);
}

/** The same page as hand-written SQL: the minimal keyset query over the same indexes. */
interface Raw {
  where: string[];
  params: unknown[];
  order: { expr: string; cast: string; dir: "asc" | "desc" };
  cursor?: { v: string; id: string; d: "next" | "prev" };
  limit: number;
}

interface Scenario {
  name: string;
  request: CustomerListRequest;
  raw: Raw;
}

const SORT_EXPR = {
  created: { expr: "created_at", cast: "timestamptz", text: `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` },
  name: { expr: "lower(coalesce(name, email))", cast: "text", text: "lower(coalesce(name, email))" },
  email: { expr: "email", cast: "text", text: "email" },
  balance: { expr: "credit_balance", cast: "bigint", text: "credit_balance::text" },
} as const;

function rawSql(raw: Raw): { text: string; values: unknown[] } {
  const values = [...raw.params];
  const where = [...raw.where];
  const backward = raw.cursor?.d === "prev";
  const ascending = (raw.order.dir === "asc") !== backward;
  if (raw.cursor) {
    values.push(raw.cursor.v, raw.cursor.id);
    where.push(`(${raw.order.expr}, id) ${ascending ? ">" : "<"} ($${values.length - 1}::${raw.order.cast}, $${values.length})`);
  }
  const dir = ascending ? "asc" : "desc";
  const sortText = Object.values(SORT_EXPR).find((s) => s.expr === raw.order.expr)?.text ?? raw.order.expr;
  return {
    text:
      `select id, name, email, external_id, currency, credit_balance, address ->> 'country' as country, status, current_subscription_status, ` +
      `current_plan_id, created_at, ${sortText} as sort_value from customers${where.length ? ` where ${where.join(" and ")}` : ""} ` +
      `order by ${raw.order.expr} ${dir}, id ${dir} limit ${raw.limit + 1}`,
    values,
  };
}

function decode(cursor: string | null): { v: string; id: string; d: "next" | "prev" } {
  if (!cursor) throw new Error("expected a cursor");
  return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { v: string; id: string; d: "next" | "prev" };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function load(): string {
  try {
    return execSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `load average: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`;
  }
}

async function main(): Promise<void> {
  const { url, version } = await recreateDatabase(baseUrl!, BENCH_DB);
  process.env.DATABASE_URL = url;
  process.env.DATABASE_POOL_SIZE = "4";
  const { getDb, closeDb } = await import("@/db/client");
  const { customerListQuery, listCustomers } = await import("@/db/queries/customer-list");
  const db = await getDb();
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();

  try {
    console.log(`seeding ${COUNT} customers in ${BENCH_DB} …`);
    const t0 = performance.now();
    await seedCustomers(raw, COUNT, NOW);
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const dist = await raw.query<{ current_subscription_status: string | null; n: string }>(
      "select current_subscription_status, count(*) n from customers group by 1 order by 2 desc",
    );
    console.log(`current subscription status: ${dist.rows.map((r) => `${r.current_subscription_status ?? "none"} ${r.n}`).join(", ")}`);

    const limit = 25;
    const base = (over: Partial<CustomerListRequest> = {}): CustomerListRequest => ({ sort: "created", dir: "desc", limit, ...over });
    const order = (sort: keyof typeof SORT_EXPR, dir: "asc" | "desc") => ({ expr: SORT_EXPR[sort].expr, cast: SORT_EXPR[sort].cast, dir });
    const created = order("created", "desc");
    const samples = new Map<string, { app: number[]; raw: number[] }>();
    const record = (name: string, app: number, rawMs: number) => {
      const s = samples.get(name) ?? { app: [], raw: [] };
      s.app.push(app);
      s.raw.push(rawMs);
      samples.set(name, s);
    };

    // Paging 200 pages in, each page a sample; both sides follow their own cursors.
    const walk = async (name: string, sort: keyof typeof SORT_EXPR, dir: "asc" | "desc"): Promise<string> => {
      let cursor: string | null = null;
      let rawCursor: { v: string; id: string } | undefined;
      for (let page = 0; page < DEEP_PAGES; page++) {
        const a = performance.now();
        const result: Awaited<ReturnType<typeof listCustomers>> = await listCustomers(db, base({ sort, dir, cursor }));
        const b = performance.now();
        const q = rawSql({ where: [], params: [], order: order(sort, dir), cursor: rawCursor ? { ...rawCursor, d: "next" } : undefined, limit });
        const { rows } = await raw.query<{ id: string; sort_value: string }>(q.text, q.values);
        const c = performance.now();
        const last = rows[limit - 1];
        if (!last || !result.nextCursor) throw new Error(`${name}: page ${page + 1} came back short`);
        if (last.id !== result.rows[limit - 1]?.id) throw new Error(`${name}: page ${page + 1} differs between the list and the raw SQL`);
        rawCursor = { v: last.sort_value, id: last.id };
        cursor = result.nextCursor;
        record(name, b - a, c - b);
      }
      return cursor!;
    };
    const deepCreated = await walk("paging 1→200, newest first (each page)", "created", "desc");
    const deepName = await walk("paging 1→200, by name (each page)", "name", "asc");

    const middle = await raw.query<{ id: string; v: string }>(
      `select id, ${SORT_EXPR.created.text} as v from customers order by created_at desc, id desc offset ${Math.floor(COUNT / 2)} limit 1`,
    );
    const mid = middle.rows[0]!;
    const midCursor = Buffer.from(JSON.stringify({ s: "created:desc", d: "next", v: mid.v, id: mid.id }), "utf8").toString("base64url");
    const midPrev = Buffer.from(JSON.stringify({ s: "created:desc", d: "prev", v: mid.v, id: mid.id }), "utf8").toString("base64url");
    const someone = await raw.query<{ id: string; external_id: string }>("select id, external_id from customers where external_id is not null order by id offset 777 limit 1");
    const known = someone.rows[0]!;
    const like = (term: string) => `%${term.replace(/[\\%_]/g, "\\$&")}%`;
    const search = (term: string, n: number) => ({
      where: [`((coalesce(name, '') || ' ' || email) ilike $${n} or id = $${n + 1} or external_id = $${n + 1})`],
      params: [like(term), term],
    });
    const s = (term: string) => search(term, 1);

    const scenarios: Scenario[] = [
      { name: "first page, newest first", request: base(), raw: { where: [], params: [], order: created, limit } },
      { name: "first page, by name", request: base({ sort: "name", dir: "asc" }), raw: { where: [], params: [], order: order("name", "asc"), limit } },
      { name: "first page, 100 rows", request: base({ limit: 100 }), raw: { where: [], params: [], order: created, limit: 100 } },
      { name: "page 200 deep, newest first", request: base({ cursor: deepCreated }), raw: { where: [], params: [], order: created, cursor: decode(deepCreated), limit } },
      { name: "page 200 deep, by name", request: base({ sort: "name", dir: "asc", cursor: deepName }), raw: { where: [], params: [], order: order("name", "asc"), cursor: decode(deepName), limit } },
      { name: "cursor from the middle (50%)", request: base({ cursor: midCursor }), raw: { where: [], params: [], order: created, cursor: decode(midCursor), limit } },
      { name: "previous page from the middle", request: base({ cursor: midPrev }), raw: { where: [], params: [], order: created, cursor: decode(midPrev), limit } },
      { name: "search common name (smith)", request: base({ q: "smith" }), raw: { ...s("smith"), order: created, limit } },
      { name: "search common domain (gmail)", request: base({ q: "gmail" }), raw: { ...s("gmail"), order: created, limit } },
      { name: "search rare name (zabriskie)", request: base({ q: "zabriskie" }), raw: { ...s("zabriskie"), order: created, limit } },
      { name: "search email fragment (n.lee4@)", request: base({ q: "n.lee4" }), raw: { ...s("n.lee4"), order: created, limit } },
      { name: "search rare domain (vandelay)", request: base({ q: "vandelay" }), raw: { ...s("vandelay"), order: created, limit } },
      { name: "search no match (qqqxz)", request: base({ q: "qqqxz" }), raw: { ...s("qqqxz"), order: created, limit } },
      { name: "search exact id", request: base({ q: known.id }), raw: { ...s(known.id), order: created, limit } },
      { name: "search exact external id", request: base({ q: known.external_id }), raw: { ...s(known.external_id), order: created, limit } },
      { name: "search smith, by name", request: base({ q: "smith", sort: "name", dir: "asc" }), raw: { ...s("smith"), order: order("name", "asc"), limit } },
      { name: "status past_due", request: base({ status: "past_due" }), raw: { where: ["current_subscription_status = $1"], params: ["past_due"], order: created, limit } },
      { name: "status active, by email", request: base({ status: "active", sort: "email", dir: "asc" }), raw: { where: ["current_subscription_status = $1"], params: ["active"], order: order("email", "asc"), limit } },
      { name: "no subscription", request: base({ status: "none" }), raw: { where: ["current_subscription_status is null"], params: [], order: created, limit } },
      { name: "plan enterprise", request: base({ plan: "plan_bench_enterprise" }), raw: { where: ["current_plan_id = $1"], params: ["plan_bench_enterprise"], order: created, limit } },
      { name: "dunning blocked", request: base({ dunning: "blocked" }), raw: { where: ["status = $1"], params: ["blocked"], order: created, limit } },
      { name: "country US", request: base({ country: "US" }), raw: { where: ["address ->> 'country' = $1"], params: ["US"], order: created, limit } },
      { name: "country LU (rare)", request: base({ country: "LU" }), raw: { where: ["address ->> 'country' = $1"], params: ["LU"], order: created, limit } },
      { name: "currency eur, by balance", request: base({ currency: "eur", sort: "balance", dir: "desc" }), raw: { where: ["currency = $1"], params: ["eur"], order: order("balance", "desc"), limit } },
      {
        name: "past_due + DE + pro",
        request: base({ status: "past_due", country: "DE", plan: "plan_bench_pro" }),
        raw: { where: ["current_subscription_status = $1", "address ->> 'country' = $2", "current_plan_id = $3"], params: ["past_due", "DE", "plan_bench_pro"], order: created, limit },
      },
      {
        name: "blocked + unpaid, by name",
        request: base({ dunning: "blocked", status: "unpaid", sort: "name", dir: "asc" }),
        raw: { where: ["status = $1", "current_subscription_status = $2"], params: ["blocked", "unpaid"], order: order("name", "asc"), limit },
      },
      {
        name: "search gmail + country NZ",
        request: base({ q: "gmail", country: "NZ" }),
        raw: { where: [...search("gmail", 1).where, "address ->> 'country' = $3"], params: [...search("gmail", 1).params, "NZ"], order: created, limit },
      },
    ];

    // Both sides must return the same page, or the comparison means nothing.
    for (const sc of scenarios) {
      const page = await listCustomers(db, sc.request);
      const q = rawSql(sc.raw);
      const { rows } = await raw.query<{ id: string }>(q.text, q.values);
      const rawIds = rows.slice(0, sc.raw.limit).map((r) => r.id);
      if (sc.raw.cursor?.d === "prev") rawIds.reverse();
      if (JSON.stringify(rawIds) !== JSON.stringify(page.rows.map((r) => r.id))) throw new Error(`${sc.name}: the list and the raw SQL disagree`);
    }

    if (opts.explain) {
      for (const sc of scenarios) {
        const { sql: text, params } = customerListQuery(db, sc.request).query.toSQL();
        const plan = await raw.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers, costs off, summary off) ${text}`, params);
        console.log(`\n-- ${sc.name}\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
      }
    }

    console.log(`\nmeasuring ${scenarios.length} scenarios × ${ITERATIONS} iterations (interleaved list / raw SQL) …`);
    const loadBefore = load();
    for (const sc of scenarios) {
      const q = rawSql(sc.raw);
      for (let i = 0; i < 5; i++) {
        await listCustomers(db, sc.request);
        await raw.query(q.text, q.values);
      }
      for (let i = 0; i < ITERATIONS; i++) {
        // Alternate which side goes first, so neither always runs on a warmer cache.
        const appFirst = i % 2 === 0;
        let app = 0;
        let rawMs = 0;
        for (const side of appFirst ? ["app", "raw"] : ["raw", "app"]) {
          const t = performance.now();
          if (side === "app") await listCustomers(db, sc.request);
          else await raw.query(q.text, q.values);
          if (side === "app") app = performance.now() - t;
          else rawMs = performance.now() - t;
        }
        record(sc.name, app, rawMs);
      }
    }
    const loadAfter = load();

    console.log("");
    console.log(`Customer list, ${COUNT} customers, ${ITERATIONS} iterations per scenario (paging rows: ${DEEP_PAGES} pages), page size ${limit} unless said, PostgreSQL ${version}`);
    console.log(`load before: ${loadBefore}`);
    console.log(`load after:  ${loadAfter}   (${os.cpus().length} CPUs)`);
    console.log("| scenario | list p50 ms | list p95 ms | raw SQL p50 ms | raw SQL p95 ms | p95 ratio | under 50 ms |");
    console.log("|---|---:|---:|---:|---:|---:|:---:|");
    let over = 0;
    for (const [name, s] of samples) {
      const app = [...s.app].sort((a, b) => a - b);
      const rawSorted = [...s.raw].sort((a, b) => a - b);
      const p95 = percentile(app, 95);
      const rawP95 = percentile(rawSorted, 95);
      if (!(p95 < TARGET_MS)) over++;
      console.log(
        `| ${name} | ${percentile(app, 50).toFixed(2)} | ${p95.toFixed(2)} | ${percentile(rawSorted, 50).toFixed(2)} | ${rawP95.toFixed(2)} | ${(p95 / rawP95).toFixed(2)}× | ${p95 < TARGET_MS ? "yes" : "NO"} |`,
      );
    }
    console.log("");
    console.log(
      over === 0
        ? `check: every scenario's list p95 is under ${TARGET_MS} ms at ${COUNT} customers — PASS`
        : `check: ${over} of ${samples.size} scenarios have a list p95 of ${TARGET_MS} ms or more at ${COUNT} customers — FAIL`,
    );
    process.exitCode = over === 0 ? 0 : 2;
  } finally {
    await raw.end();
    await closeDb();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
