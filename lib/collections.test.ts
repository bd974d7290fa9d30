import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupBy } from "./collections";

describe("groupBy", () => {
  it("property: every item lands in its key's group, in order, and the groups hold every item once", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer())), (items) => {
        const groups = groupBy(items, ([k]) => k);
        expect([...groups.values()].flat().length).toBe(items.length);
        for (const [key, group] of groups) expect(group).toEqual(items.filter(([k]) => k === key));
        expect([...groups.keys()]).toEqual([...new Set(items.map(([k]) => k))]);
      }),
    );
  });
});
