import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { recordsJson, type SetColumn } from "./set-sql";

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
  it("writes exactly what JSON.stringify writes for the same rows as objects keyed c0…cn", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const objects = rows.map((r) => Object.fromEntries(COLS.map((c, k) => [`c${k}`, c.value(r) ?? null])));
        expect(recordsJson(rows, COLS)).toBe(JSON.stringify(objects));
      }),
    );
  });

  it("refuses a number that is not finite instead of writing null", () => {
    expect(() => recordsJson([{ t: null, at: null, n: Number.NaN, b: false, j: null }], COLS)).toThrow(/not a number/);
  });
});
