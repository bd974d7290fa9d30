import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { featureEntitlement, featuresProblem, fromScaled, normalizeFeatures, reachedThresholds, toScaled, type Access, type PlanFeature } from "./features";

// Decimals as meters produce them (up to 12 places), and limits as plans declare them.
const decimal = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }), fc.boolean()).map(([whole, frac, hasFrac]) => (hasFrac ? `${whole}.${frac.toString().padStart(12, "0")}` : `${whole}`));
const limit = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100));
const access = fc.constantFrom<Access>("active", "warning", "blocked");

describe("featureEntitlement", () => {
  it("used, remaining and allowed agree: remaining = max(0, limit − used); allowed ⇔ served and not (hard and used ≥ limit)", () => {
    fc.assert(
      fc.property(limit, decimal, fc.boolean(), access, (lim, used, hard, acc) => {
        const f = featureEntitlement({ code: "x", meter: "m", limit: lim, hard }, acc, used);
        const usedS = toScaled(used);
        const limS = toScaled(lim);
        expect(f.type).toBe("metered");
        expect(toScaled(f.used ?? -1)).toBe(toScaled(fromScaled(usedS)));
        expect(toScaled(f.remaining ?? -1)).toBe(toScaled(fromScaled(limS > usedS ? limS - usedS : 0n)));
        expect(f.allowed).toBe(acc !== "blocked" && !(hard && usedS >= limS));
        // Allowed with a hard limit means something remains.
        if (hard && f.allowed) expect(f.remaining).toBeGreaterThan(0);
        // A soft limit never refuses a served customer.
        if (!hard) expect(f.allowed).toBe(acc !== "blocked");
      }),
    );
  });

  it("boolean features are allowed exactly when the customer is served", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.boolean(), access, (code, hard, acc) => {
        expect(featureEntitlement({ code, hard }, acc, null)).toEqual({ code, type: "boolean", limit: null, used: null, remaining: null, hard, allowed: acc !== "blocked" });
      }),
    );
  });

  it("thresholds are monotone in usage and agree with the limit: 100% reached ⇔ used ≥ limit (with some usage)", () => {
    fc.assert(
      fc.property(limit, decimal, decimal, (lim, a, b) => {
        const [lo, hi] = toScaled(a) <= toScaled(b) ? [a, b] : [b, a];
        const low = reachedThresholds(lim, lo);
        const high = reachedThresholds(lim, hi);
        for (const t of low) expect(high).toContain(t);
        expect(high.includes(100)).toBe(toScaled(hi) > 0n && toScaled(hi) >= toScaled(lim));
        if (high.includes(100)) expect(high).toContain(80);
      }),
    );
  });
});

describe("plan features as given", () => {
  it("a plain code is a soft boolean feature, and objects keep what they say", () => {
    expect(normalizeFeatures(["sso", { code: "api", meter: "calls", limit: 10, hard: true }, { code: "b", meter: null, limit: null }])).toEqual([
      { code: "sso", hard: false },
      { code: "api", meter: "calls", limit: 10, hard: true },
      { code: "b", hard: false },
    ]);
  });

  it("refuses a limit without a meter, a negative or over-precise limit, an unknown meter and a repeated code", () => {
    const known = new Set(["calls"]);
    const problem = (features: PlanFeature[]) => featuresProblem(features, known)?.param;
    expect(problem([{ code: "a", limit: 3, hard: false }])).toBe("features[0].limit");
    expect(problem([{ code: "a", meter: "calls", limit: -1, hard: false }])).toBe("features[0].limit");
    expect(problem([{ code: "a", meter: "calls", limit: 0.1234567890123, hard: false }])).toBe("features[0].limit");
    expect(problem([{ code: "a", meter: "nope", hard: false }])).toBe("features[0].meter");
    expect(problem([{ code: "a", hard: false }, { code: "a", hard: true }])).toBe("features[1].code");
    expect(problem([{ code: "a", meter: "calls", limit: 0, hard: true }, { code: "b", hard: false }])).toBeUndefined();
  });
});
