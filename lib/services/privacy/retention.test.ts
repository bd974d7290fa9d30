import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pseudonymousEmail, retentionEnd } from "./retention";

describe("retention end", () => {
  it("is the same calendar day and time, 7 years later; Feb 29 becomes Feb 28", () => {
    expect(retentionEnd(new Date("2026-03-10T01:00:00Z")).toISOString()).toBe("2033-03-10T01:00:00.000Z");
    expect(retentionEnd(new Date("2024-02-29T23:59:59.999Z")).toISOString()).toBe("2031-02-28T23:59:59.999Z");
    expect(retentionEnd(new Date("2025-02-28T00:00:00Z"), 3).toISOString()).toBe("2028-02-28T00:00:00.000Z");
  });

  it("never moves earlier for a later deletion, and keeps month, time of day and a day no later than the original", () => {
    const day = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2090-12-31T23:59:59Z"), noInvalidDate: true });
    fc.assert(
      fc.property(day, day, fc.integer({ min: 1, max: 12 }), (a, b, years) => {
        const end = retentionEnd(a, years);
        expect(end.getUTCFullYear()).toBe(a.getUTCFullYear() + years);
        expect(end.getUTCMonth()).toBe(a.getUTCMonth());
        expect(end.getUTCDate()).toBeLessThanOrEqual(a.getUTCDate());
        expect(a.getUTCDate() - end.getUTCDate()).toBeLessThanOrEqual(1);
        expect(end.getTime() % 86_400_000).toBe(a.getTime() % 86_400_000);
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(retentionEnd(early, years).getTime()).toBeLessThanOrEqual(retentionEnd(late, years).getTime());
      }),
    );
  });

  it("gives each id its own undeliverable address", () => {
    expect(pseudonymousEmail("cus_ABC")).toBe("deleted+cus_abc@invalid");
  });
});
