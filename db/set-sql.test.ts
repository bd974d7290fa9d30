import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeRecords, recordsJson, type SetColumn } from "./set-sql";

interface Row {
  t: string | null;
  at: Date | null;
  n: number | null;
  b: boolean;
  j: unknown;
}

const COLS: SetColumn<Row>[] = [
  { name: "t", type: "text", value: (r) => r.t },
  { name: "at", type: "timestamptz", value: (r) => r.at },
  { name: "n", type: "bigint", value: (r) => r.n },
  { name: "b", type: "boolean", value: (r) => r.b },
  { name: "j", type: "jsonb", value: (r) => r.j },
];

const row = fc.record({
  t: fc.option(fc.string({ unit: "binary" }), { nil: null }),
  at: fc.option(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }), { nil: null }),
  n: fc.option(fc.maxSafeInteger(), { nil: null }),
  b: fc.boolean(),
  j: fc.jsonValue(),
});

describe("recordsJson", () => {
  it("writes exactly what JSON.stringify writes for the same rows as objects keyed c0…cn (a jsonb string as its JSON text)", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        // A string bound for jsonb goes as the JSON text of its JSON (recordSet reads it as text).
        const objects = rows.map((r) => Object.fromEntries(COLS.map((c, k) => [`c${k}`, c.type === "jsonb" && typeof c.value(r) === "string" ? JSON.stringify(c.value(r)) : (c.value(r) ?? null)])));
        expect(recordsJson(rows, COLS)).toBe(JSON.stringify(objects));
      }),
    );
  });

  it("refuses a number that is not finite instead of writing null", () => {
    expect(() => recordsJson([{ t: null, at: null, n: Number.NaN, b: false, j: null }], COLS)).toThrow(/not a number/);
  });
});

/** Rows drawn from a few values per column, so that whole columns often hold one value. */
const fewValues = fc.record({
  t: fc.constantFrom<string | null>("a", "b\"\\", null),
  at: fc.constantFrom<Date | null>(new Date("2026-10-15T00:00:00Z"), new Date("2026-11-15T00:00:00Z"), null),
  n: fc.constantFrom<number | null>(0, 2900, null),
  b: fc.boolean(),
  j: fc.constantFrom<unknown>({ status: "open" }, [{ amount: 264 }], null, "x"),
});

describe("encodeRecords", () => {
  it("takes out exactly the columns with one value in every row, and every row still reads the same", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fewValues, row), { maxLength: 12 }), (rows) => {
        // Fresh Date and object instances per row: equal values, not the same objects.
        const copies = rows.map((r) => ({ ...r, at: r.at && new Date(r.at.getTime()), j: r.j === null ? null : structuredClone(r.j) }));
        const plain = JSON.parse(recordsJson(copies, COLS)) as Record<string, unknown>[];
        const { json, varying, constant } = encodeRecords(copies, COLS);
        const records = JSON.parse(json) as Record<string, unknown>[];
        expect(records).toHaveLength(rows.length);
        expect(varying.length).toBeGreaterThan(rows.length ? 0 : -1);
        expect([...varying, ...constant.keys()].sort()).toEqual(COLS.map((_, k) => k));
        for (let k = 0; k < COLS.length; k++) {
          const texts = plain.map((p) => JSON.stringify(p[`c${k}`]));
          if (constant.has(k)) {
            expect(rows.length).toBeGreaterThan(1);
            expect(texts.every((t) => t === constant.get(k))).toBe(true);
          } else {
            // Kept only if the column holds two values — or every column is constant and this is the first.
            if (rows.length > 1 && k !== 0) expect(new Set(texts).size).toBeGreaterThan(1);
            records.forEach((r, i) => expect(JSON.stringify(r[`c${k}`])).toBe(texts[i]));
            records.forEach((r) => expect(Object.keys(r)).toEqual(varying.map((v) => `c${v}`)));
          }
        }
      }),
    );
  });
});
