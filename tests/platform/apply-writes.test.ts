import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { bigint, boolean, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { getDb, queryRows, type Executor } from "@/db/client";
import { applyWrites, deleteFrom, insertInto, updateIn, type ApplyMode } from "@/db/apply-writes";
import { ts } from "@/db/schema/columns";

/**
 * The applier's two modes store the same rows: the same inserts, updates guarded on one column or
 * several (all must hold), additive updates and deletes,
 * drawn at random, applied as set statements to one table and row by row to another of the same
 * definition, leave the two tables equal value for value and report the same rows updated.
 */
const columns = () => ({
  id: text("id").primaryKey(),
  t: text("t"),
  at: ts("at"),
  n: bigint("n", { mode: "number" }),
  i: integer("i").notNull().default(7),
  b: boolean("b").notNull(),
  j: jsonb("j"),
  status: text("status").notNull(),
  paid: bigint("paid", { mode: "number" }).notNull().default(0),
});
const tables: Record<ApplyMode, ReturnType<typeof table>> = { set: table("apply_check_set"), row: table("apply_check_row") };
function table(name: string) {
  return pgTable(name, columns());
}

const few = <T>(values: T[], any: fc.Arbitrary<T>) => fc.oneof(fc.constantFrom(...values), any);
const insertRow = fc.record({
  t: few<string | null>(["a", 'q"\\', null], fc.string({ unit: "grapheme" })),
  at: few<Date | null>([new Date("2026-10-15T00:00:00Z"), null], fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true })),
  n: few<number | null>([2900, null], fc.maxSafeInteger()),
  b: fc.boolean(),
  j: few<unknown>([{ status: "open" }, null, "open", 7], fc.jsonValue()),
  status: fc.constantFrom("open", "paid"),
  paid: few([0, 5], fc.integer({ min: 0, max: 1e6 })),
});
const drawn = fc.record({
  rows: fc.array(insertRow, { minLength: 1, maxLength: 8 }),
  // Some rows take the column's default (i), all or none (one shape per write).
  withI: fc.option(fc.integer(), { nil: undefined }),
  updates: fc.array(fc.record({ target: fc.nat(), n: few<number | null>([0, null], fc.integer({ min: -1e9, max: 1e9 })), paid: fc.integer({ min: 0, max: 1e6 }), j: few<unknown>([null, { a: 1 }], fc.jsonValue()) }), { maxLength: 8 }),
  // None, or any of status, paid and b (a row is updated only if every one named holds).
  guard: fc.option(fc.record({ status: fc.constantFrom("open", "paid"), paid: fc.constantFrom(0, 5), b: fc.boolean() }, { requiredKeys: [] }), { nil: undefined }),
  deletes: fc.array(fc.nat(), { maxLength: 4 }),
});

async function read(tx: Executor, name: string) {
  return (
    await queryRows<{ rows: unknown[] }>(
      tx,
      sql`select coalesce(json_agg(json_build_object('id', id, 't', t, 'at', (extract(epoch from at) * 1000)::float8, 'n', n, 'i', i, 'b', b, 'j', j, 'jNull', j is null, 'status', status, 'paid', paid) order by id), '[]') as rows from ${sql.identifier(name)}`,
    )
  )[0]!.rows;
}

describe("the applier (db/apply-writes) on the database", () => {
  it("set statements and row-by-row statements store the same rows and update the same ones", async () => {
    const db = await getDb();
    await fc.assert(
      fc.asyncProperty(drawn, async ({ rows, withI, updates, guard, deletes }) => {
        const inserts = rows.map((r, k) => ({ id: `r${k}`, ...r, ...(withI === undefined ? {} : { i: withI }) }));
        // Each update names a distinct row (a statement updates a row once).
        const seen = new Set<string>();
        const changes = updates.map((u) => ({ id: `r${u.target % inserts.length}`, n: u.n, paid: u.paid, j: u.j })).filter((u) => !seen.has(u.id) && seen.add(u.id));
        // Ids to delete: rows of the write, and one that is not there.
        const gone = [...new Set(deletes.map((d) => `r${d % (inserts.length + 1)}`))];
        await db.transaction(async (tx) => {
          for (const name of ["apply_check_set", "apply_check_row"]) {
            await tx.execute(
              sql`create temp table ${sql.identifier(name)} (id text primary key, t text, at timestamptz, n bigint, i integer not null default 7, b boolean not null, j jsonb, status text not null, paid bigint not null default 0) on commit drop`,
            );
          }
          const touched: Record<ApplyMode, string[]> = { set: [], row: [] };
          const deleted: Record<ApplyMode, string[]> = { set: [], row: [] };
          for (const mode of ["set", "row"] as const) {
            const t = tables[mode];
            const [, updated, removed] = await applyWrites(
              tx,
              [insertInto(t, inserts), updateIn(t, changes, { missing: "skip", add: ["paid"], guard }), deleteFrom(t, gone)],
              mode,
            );
            touched[mode] = [...(updated ?? [])].sort();
            deleted[mode] = [...(removed ?? [])].sort();
          }
          expect(touched.set).toEqual(touched.row);
          expect(deleted.set).toEqual(deleted.row);
          expect(deleted.set).toEqual(gone.filter((id) => inserts.some((r) => r.id === id)).sort());
          const holds = (row: (typeof inserts)[number]) => Object.entries(guard ?? {}).every(([column, value]) => row[column as keyof typeof guard] === value);
          expect(touched.set).toEqual(changes.filter((c) => holds(inserts.find((r) => r.id === c.id)!)).map((c) => c.id).sort());
          expect(await read(tx, "apply_check_set")).toEqual(await read(tx, "apply_check_row"));
          await tx.execute(sql`drop table apply_check_set, apply_check_row`);
        });
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a row that leaves out a column the write's first row sets, and an update that misses its row", async () => {
    const db = await getDb();
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`create temp table apply_check_set (id text primary key, t text, at timestamptz, n bigint, i integer not null default 7, b boolean not null, j jsonb, status text not null, paid bigint not null default 0) on commit drop`);
        const t = tables.set;
        await expect(applyWrites(tx, [insertInto(t, [{ id: "a", b: true, status: "open", t: "x" }, { id: "b", b: true, status: "open" }])], "set")).rejects.toThrow("apply_check_set.t is missing from a row of a set write");
        throw new Error("rollback");
      })
      .catch((e: Error) => expect(e.message).toBe("rollback"));
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`create temp table apply_check_row (id text primary key, t text, at timestamptz, n bigint, i integer not null default 7, b boolean not null, j jsonb, status text not null, paid bigint not null default 0) on commit drop`);
        await expect(applyWrites(tx, [updateIn(tables.row, [{ id: "nope", t: "x" }])], "row")).rejects.toThrow("updated 0 of 1 apply_check_row rows");
        throw new Error("rollback");
      })
      .catch((e: Error) => expect(e.message).toBe("rollback"));
  });
});
