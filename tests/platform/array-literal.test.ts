import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { arrayLiteral } from "@/db/array-literal";

/**
 * What the database reads from arrayLiteral is exactly the values given: texts of any characters
 * (quotes, backslashes, braces, commas, spaces, the word NULL in any case, the empty text), nulls,
 * numbers, booleans and instants, in order.
 */
const text = fc.oneof(
  fc.constantFrom("", "NULL", "null", "Null", "a b", "{x}", "a,b", 'q"\\', "\\", '"', " lead", "trail ", "ue_abc", "2026-12-06T04:00:00.000Z", "0.000015"),
  fc.string({ unit: "grapheme" }).map((s) => s.replace(/\u0000/g, "")),
);

describe("arrayLiteral", () => {
  it("reads back as the same texts and nulls, in order", async () => {
    const db = await getDb();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 30 }), async (values) => {
        const [row] = await queryRows<{ a: (string | null)[] }>(db, sql`select ${arrayLiteral(values)}::text[] as a`);
        expect(row?.a).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it("reads back numbers, booleans and instants by their types", async () => {
    const db = await getDb();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.boolean(), fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true })), { maxLength: 20 }),
        async (rows) => {
          const [row] = await queryRows<{ n: string[] | null; b: boolean[] | null; t: string[] | null }>(
            db,
            sql`select (select array_agg(x::text order by o) from unnest(${arrayLiteral(rows.map((r) => r[0]))}::numeric[]) with ordinality u(x, o)) as n,
                       ${arrayLiteral(rows.map((r) => r[1]))}::boolean[] as b,
                       (select array_agg(to_char(x at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') order by o) from unnest(${arrayLiteral(rows.map((r) => r[2].toISOString()))}::timestamptz[]) with ordinality u(x, o)) as t`,
          );
          expect(row?.n ?? []).toEqual(rows.map((r) => String(r[0])));
          expect(row?.b ?? []).toEqual(rows.map((r) => r[1]));
          expect(row?.t ?? []).toEqual(rows.map((r) => r[2].toISOString()));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses a number that is not finite instead of writing it", () => {
    expect(() => arrayLiteral([1, Number.NaN])).toThrow(/not a finite number/);
  });
});
