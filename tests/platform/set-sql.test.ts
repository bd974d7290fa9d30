import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { insertRows, updateRows, type SetColumn } from "@/db/set-sql";

interface Row {
  ord: number;
  t: string | null;
  at: Date | null;
  n: number | null;
  i: number;
  b: boolean;
  j: unknown;
}

const COLS: SetColumn<Row>[] = [
  { name: "ord", type: "integer", value: (r) => r.ord },
  { name: "t", type: "text", value: (r) => r.t },
  { name: "at", type: "timestamptz", value: (r) => r.at },
  { name: "n", type: "bigint", value: (r) => r.n },
  { name: "i", type: "integer", value: (r) => r.i },
  { name: "b", type: "boolean", value: (r) => r.b },
  { name: "j", type: "jsonb", value: (r) => r.j },
];

// Few values per column (whole columns often share one, and are sent once) mixed with arbitrary ones.
const value = <T>(few: T[], any: fc.Arbitrary<T>) => fc.oneof(fc.constantFrom(...few), any);
const row = fc.record({
  t: value<string | null>(["a", 'q"\\', null], fc.string({ unit: "grapheme" })),
  at: value<Date | null>([new Date("2026-10-15T00:00:00Z"), null], fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true })),
  n: value<number | null>([2900, null], fc.maxSafeInteger()),
  i: value<number>([0], fc.integer()),
  b: fc.boolean(),
  // JSON null goes in as SQL NULL (as drizzle writes it), sent per row or once.
  j: value<unknown>([{ status: "open" }, null, "open", 7], fc.jsonValue()),
});

/** Rows where some columns (chosen at random) hold the first row's value in every row: equal values, new objects. */
const batch = fc
  .tuple(fc.array(row, { minLength: 1, maxLength: 8 }), fc.subarray(["t", "at", "n", "i", "b", "j"] as const))
  .map(([rows, same]) => rows.map((r) => ({ ...r, ...Object.fromEntries(same.map((k) => [k, structuredClone(rows[0]![k])])) })));

/** A value as PostgreSQL's to_json writes it back, for comparison. */
const expected = (r: Row) => ({ t: r.t, at: r.at ? r.at.getTime() : null, n: r.n, i: r.i, b: r.b, j: r.j === null ? null : JSON.parse(JSON.stringify(r.j)), jNull: r.j === null });

describe("set statements (db/set-sql) on the database", () => {
  it("insertRows and updateRows store every value as given, whether its column is sent per row or once", async () => {
    const db = await getDb();
    await fc.assert(
      fc.asyncProperty(batch, batch, async (drawn, changes) => {
        const rows = drawn.map((r, ord) => ({ ...r, ord }));
        const updates = changes.slice(0, rows.length).map((r, ord) => ({ ...r, ord }));
        await db.transaction(async (tx) => {
          await tx.execute(sql`create temp table set_sql_check (ord integer primary key, t text, at timestamptz, n bigint, i integer, b boolean, j jsonb) on commit drop`);
          const read = async () =>
            (await queryRows<{ rows: ReturnType<typeof expected>[] }>(tx, sql`select coalesce(json_agg(json_build_object('t', t, 'at', (extract(epoch from at) * 1000)::float8, 'n', n, 'i', i, 'b', b, 'j', j, 'jNull', j is null) order by ord), '[]') as rows from set_sql_check`))[0]!.rows;
          expect(await insertRows(tx, "set_sql_check", rows, COLS, { returning: "ord" })).toEqual(rows.map((r) => r.ord));
          expect(await read()).toEqual(rows.map(expected));
          expect((await updateRows(tx, "set_sql_check", updates, COLS)).map(Number).sort((a, b) => a - b)).toEqual(updates.map((u) => u.ord));
          expect(await read()).toEqual(rows.map((r) => expected(updates[r.ord] ?? r)));
        });
      }),
      { numRuns: 60 },
    );
  });
});
