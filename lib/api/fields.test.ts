import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import { EVENT_PROPERTIES_MAX, eventPropertiesField } from "./fields";
import { fromZod } from "./problem";

/** The rule written out with zod's own record (what the one-pass check must agree with). */
const reference = z
  .record(z.string().min(1).max(100), z.union([z.string().max(500), z.number()]))
  .refine((p) => Object.keys(p).length <= EVENT_PROPERTIES_MAX);

const refusal = (value: unknown) => {
  const parsed = z.object({ properties: eventPropertiesField }).safeParse({ properties: value });
  return parsed.success ? null : fromZod(parsed.error.issues);
};

describe("an event's properties", () => {
  it("are accepted exactly when zod's record of strings (≤ 500) or numbers, named 1–100 characters, at most 50, accepts them (property)", () => {
    const name = fc.oneof(fc.string({ minLength: 0, maxLength: 3 }), fc.string({ minLength: 99, maxLength: 102 }));
    const value = fc.oneof(fc.string({ maxLength: 3 }), fc.string({ minLength: 499, maxLength: 502 }), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
    const properties = fc.oneof(
      fc.dictionary(name, value, { maxKeys: 4 }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.integer(), { minKeys: 48, maxKeys: 53 }),
      fc.constantFrom(null, [], "text", 7),
    );
    fc.assert(
      fc.property(properties, (p) => {
        expect(eventPropertiesField.safeParse(p).success).toBe(reference.safeParse(p).success);
      }),
      { numRuns: 2_000 },
    );
  });

  it("keep what was sent, and a refusal names the property at fault and why", () => {
    expect(eventPropertiesField.parse({ tokens: 12, model: "large" })).toEqual({ tokens: 12, model: "large" });
    expect(refusal({ model: "x".repeat(501) })).toMatchObject({ code: "validation_failed", param: "properties.model", detail: "properties.model must be a string of at most 500 characters or a number." });
    expect(refusal({ nested: { a: 1 } })).toMatchObject({ param: "properties.nested" });
    expect(refusal({ ["x".repeat(101)]: 1 })).toMatchObject({ code: "validation_failed", param: "properties", detail: "properties must have property names of 1 to 100 characters." });
    expect(refusal(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])))).toMatchObject({ code: "out_of_range", detail: "properties must have at most 50 properties." });
    expect(refusal([1])).toMatchObject({ code: "validation_failed", detail: "properties must be an object." });
  });
});
