import { describe, expect, it } from "vitest";
import { normalizeMeterTerms } from "./meter-terms";

describe("normalizeMeterTerms", () => {
  it("keeps exactly the property the aggregation reads; filter values become text, once each", () => {
    expect(normalizeMeterTerms({ aggregation: "sum", valueProperty: "tokens", filters: { region: ["au", "au", 2] } })).toEqual({
      aggregation: "sum",
      valueProperty: "tokens",
      uniqueProperty: null,
      filters: { region: ["au", "2"] },
    });
    expect(normalizeMeterTerms({ aggregation: "count" })).toEqual({ aggregation: "count", valueProperty: null, uniqueProperty: null, filters: {} });
    expect(normalizeMeterTerms({ aggregation: "unique_count", uniqueProperty: "user" })).toMatchObject({ uniqueProperty: "user", valueProperty: null });
  });

  it.each([
    [{ aggregation: "sum" as const }, "value_property", /required/],
    [{ aggregation: "max" as const, uniqueProperty: "u" }, "value_property", /required/],
    [{ aggregation: "last" as const, valueProperty: "v", uniqueProperty: "u" }, "unique_property", /does not apply/],
    [{ aggregation: "unique_count" as const, valueProperty: "v" }, "unique_property", /required/],
    [{ aggregation: "count" as const, valueProperty: "v" }, "value_property", /does not apply/],
  ])("%o is refused, naming %s", (input, param, message) => {
    expect(() => normalizeMeterTerms(input)).toThrowError(expect.objectContaining({ code: "validation_failed", param, userMessage: expect.stringMatching(message) }));
  });
});
