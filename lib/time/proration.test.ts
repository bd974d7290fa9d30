import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodBoundary, prorate, prorationFraction, TimeError, type Period } from "@/lib/time";

const DAY = 86_400_000;
const start = new Date("2024-04-01T00:00:00Z");
const april: Period = { start, end: new Date("2024-05-01T00:00:00Z") }; // 30 days
const at = (ms: number) => new Date(start.getTime() + ms);
const frac = (numerator: number, denominator: number) => ({ numerator: BigInt(numerator), denominator: BigInt(denominator) });
const S30 = 30 * 86_400;

describe("prorationFraction", () => {
  it.each([
    ["the whole period", april.start, undefined, frac(S30, S30)],
    ["from before the start (clamped)", new Date("2024-03-01T00:00:00Z"), undefined, frac(S30, S30)],
    ["from the end", april.end, undefined, frac(0, S30)],
    ["from after the end", new Date("2024-06-01T00:00:00Z"), undefined, frac(0, S30)],
    ["the second half", at(15 * DAY), undefined, frac(15 * 86_400, S30)],
    ["one day in the middle", at(10 * DAY), at(11 * DAY), frac(86_400, S30)],
    ["to past the end (clamped)", at(29 * DAY), new Date("2024-07-01T00:00:00Z"), frac(86_400, S30)],
    ["an empty range", at(DAY), at(DAY), frac(0, S30)],
    ["milliseconds floored (from)", at(999), undefined, frac(S30, S30)],
    ["milliseconds floored (both)", at(1_999), at(3_001), frac(2, S30)],
    ["a range entirely before the period", new Date("2024-03-01T00:00:00Z"), new Date("2024-03-05T00:00:00Z"), frac(0, S30)],
  ])("%s", (_label, from, to, expected) => {
    expect(prorationFraction(april, from, to)).toEqual(expected);
  });

  it("counts the real seconds of a period that contains a DST change", () => {
    const tz = "America/Los_Angeles";
    const anchor = new Date("2024-03-01T08:00:00Z"); // Mar 1 00:00 PST
    const march = { start: anchor, end: periodBoundary(anchor, { unit: "month", count: 1 }, 1, tz) };
    expect(prorationFraction(march, march.start).denominator).toBe(BigInt(31 * 86_400 - 3_600));
  });

  it("floors instants before 1970 toward −∞", () => {
    const p = { start: new Date(-10_000), end: new Date(0) };
    expect(prorationFraction(p, new Date(-1)).numerator).toBe(1n); // −1 ms floors to −1 s
  });

  it.each([
    ["to before from", april, at(2 * DAY), at(DAY), "to"],
    ["an empty period", { start, end: start }, start, undefined, "period"],
    ["a sub-second period", { start, end: at(999) }, start, undefined, "period"],
    ["a reversed period", { start: april.end, end: april.start }, start, undefined, "period"],
  ])("rejects %s", (_label, period, from, to, param) => {
    expect(() => prorationFraction(period as Period, from as Date, to as Date | undefined)).toThrowError(
      expect.objectContaining({ code: "out_of_range", param }),
    );
  });

  it("rejects invalid dates", () => {
    expect(() => prorationFraction(april, new Date(NaN))).toThrowError(TimeError);
    expect(() => prorationFraction({ start: new Date(NaN), end: april.end }, start)).toThrowError(TimeError);
  });
});

describe("prorate", () => {
  it.each([
    [1000, frac(S30, S30), 1000],
    [1000, frac(15 * 86_400, S30), 500],
    [1000, frac(86_400, S30), 33], // 33.33
    [1000, frac(2 * 86_400, S30), 67], // 66.67
    [-1000, frac(2 * 86_400, S30), -67],
    [1, frac(1, 2), 1],
    [1000, frac(0, S30), 0],
    [80, frac(1, 3), 27], // jpy, 26.67
  ])("%p × %o → %p", (amount, fraction, expected) => {
    expect(prorate(amount, fraction)).toBe(expected);
  });

  it("stays exact past 2^53 intermediates (large amount × seconds in period)", () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(prorate(big, frac(S30 - 1, S30))).toBe(Number((BigInt(big) * BigInt(S30 - 1) * 2n + BigInt(S30)) / (2n * BigInt(S30))));
  });
});

describe("proration properties (R11)", () => {
  const amount = fc.integer({ min: -10_000_000_00, max: 10_000_000_00 });
  /** A period of 1 s – 3 years starting anywhere in 2020–2030, with offsets inside it. */
  const periodArb = fc
    .record({
      startMs: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
      lengthMs: fc.oneof(fc.integer({ min: 1000, max: 3 * 366 * DAY }), fc.constantFrom(28 * DAY, 31 * DAY - 3_600_000, 365 * DAY)),
    })
    .map(({ startMs, lengthMs }) => ({ start: new Date(startMs), end: new Date(startMs + lengthMs) }));
  const inside = (p: Period) => fc.integer({ min: p.start.getTime(), max: p.end.getTime() }).map((ms) => new Date(ms));

  it("full period = full amount", () => {
    fc.assert(
      fc.property(periodArb, amount, (p, a) => {
        expect(prorate(a, prorationFraction(p, p.start))).toBe(a);
        expect(prorate(a, prorationFraction(p, p.start, p.end))).toBe(a);
      }),
    );
  });

  it("from = end → 0", () => {
    fc.assert(
      fc.property(periodArb, amount, (p, a) => {
        expect(prorate(a, prorationFraction(p, p.end))).toBe(0);
      }),
    );
  });

  it("adjacent sub-ranges sum to within one minor unit of the whole", () => {
    fc.assert(
      fc.property(
        periodArb.chain((p) => fc.tuple(fc.constant(p), inside(p))),
        amount,
        ([p, split], a) => {
          const head = prorate(a, prorationFraction(p, p.start, split));
          const tail = prorate(a, prorationFraction(p, split));
          expect(Math.abs(head + tail - a)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("is monotonic in from: a later change never prorates more (and symmetric in sign)", () => {
    fc.assert(
      fc.property(
        periodArb.chain((p) => fc.tuple(fc.constant(p), inside(p), inside(p))),
        fc.integer({ min: 0, max: 10_000_000_00 }),
        ([p, x, y], a) => {
          const [early, late] = x <= y ? [x, y] : [y, x];
          const earlyCharge = prorate(a, prorationFraction(p, early));
          const lateCharge = prorate(a, prorationFraction(p, late));
          expect(earlyCharge).toBeGreaterThanOrEqual(lateCharge);
          expect(prorate(-a, prorationFraction(p, early))).toBe(0 - earlyCharge);
        },
      ),
    );
  });

  it("upgrade then downgrade at the same instant nets exactly 0; later the same day, within 2 units of the exact difference", () => {
    fc.assert(
      fc.property(
        periodArb.chain((p) => fc.tuple(fc.constant(p), inside(p), fc.integer({ min: 0, max: DAY }))),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        ([p, upgradeAt, laterMs], oldPrice, newPrice) => {
          const downgradeAt = new Date(Math.min(upgradeAt.getTime() + laterMs, p.end.getTime()));
          const lines = (t1: Date, t2: Date) =>
            -prorate(oldPrice, prorationFraction(p, t1)) + prorate(newPrice, prorationFraction(p, t1)) -
            prorate(newPrice, prorationFraction(p, t2)) + prorate(oldPrice, prorationFraction(p, t2));
          expect(lines(upgradeAt, upgradeAt)).toBe(0);
          // Four lines, each rounded once (≤ ½ unit): the net is within 2 of the exact price difference.
          const f = prorationFraction(p, upgradeAt, downgradeAt);
          const exact = (Number(f.numerator) / Number(f.denominator)) * (newPrice - oldPrice);
          expect(Math.abs(lines(upgradeAt, downgradeAt) - exact)).toBeLessThanOrEqual(2);
        },
      ),
    );
  });
});
