import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffAudit } from "./diff";

describe("diffAudit", () => {
  it("lists exactly the keys whose values differ, sorted", () => {
    expect(diffAudit({ status: "active", quantity: 1, name: "A" }, { status: "canceled", quantity: 1, cancelAt: "2026-12-01" })).toEqual([
      { key: "cancelAt", before: null, after: "2026-12-01" },
      { key: "name", before: "A", after: null },
      { key: "status", before: "active", after: "canceled" },
    ]);
  });

  it("compares non-objects whole", () => {
    expect(diffAudit(null, { a: 1 })).toEqual([{ key: "a", before: null, after: 1 }]);
    expect(diffAudit("x", { a: 1 })).toEqual([{ key: "value", before: "x", after: { a: 1 } }]);
    expect(diffAudit([1, 2], [1, 2])).toEqual([]);
    expect(diffAudit(undefined, undefined)).toEqual([]);
  });

  it("finds no change between a value and itself, and every change it reports is real", () => {
    const json = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(json, json, (before, after) => {
        expect(diffAudit(before, before)).toEqual([]);
        for (const change of diffAudit(before, after)) expect(JSON.stringify(change.before)).not.toBe(JSON.stringify(change.after));
      }),
    );
  });
});
