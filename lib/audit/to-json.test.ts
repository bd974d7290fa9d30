import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toJson } from "./record";

describe("toJson (audit entries' before and after)", () => {
  it("property: equals JSON.parse(JSON.stringify(value)) for JSON-like values with dates, undefined and non-finite numbers", () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ noInvalidDate: false }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0),
    );
    const tree = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
      array: fc.array(tie("value"), { maxLength: 4 }),
      object: fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
    })).value;
    fc.assert(
      fc.property(tree, (value) => {
        const expected = value === undefined ? null : (JSON.parse(JSON.stringify(value) ?? "null") as unknown);
        expect(toJson(value)).toStrictEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("objects with their own toJSON and class instances take the round trip", () => {
    class Money {
      constructor(public amount: number, private hidden?: string) {}
    }
    const value = { at: new Date("2026-12-05T00:00:00Z"), custom: { toJSON: () => "custom" }, money: new Money(5), list: [undefined, () => 1, new Date(Number.NaN)] };
    expect(toJson(value)).toStrictEqual(JSON.parse(JSON.stringify(value)));
  });
});
