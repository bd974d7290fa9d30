import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateEvenly } from "@/lib/money";
import { buildSchedule, lineFlows, monthDays, prefixOfEven, recognisedBefore, billedBefore, type LineReversal, type RecognitionLine } from "./schedule";

/** Day numbers of consecutive UTC months from Jan 2026: the boundaries the waterfall is read at. */
const boundaries = Array.from({ length: 30 }, (_, i) => monthDays(`${2026 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`).start);
const firstDay = boundaries[0]!;

/** A charge line with its credit notes (each a share of what is left) and perhaps a void of the rest. */
const lineArb = fc
  .record({
    net: fc.integer({ min: 0, max: 5_000_000 }),
    start: fc.integer({ min: 0, max: 500 }),
    length: fc.integer({ min: 1, max: 400 }),
    billedOffset: fc.integer({ min: -40, max: 40 }),
    credits: fc.array(fc.record({ after: fc.integer({ min: 0, max: 420 }), share: fc.integer({ min: 0, max: 100 }) }), { maxLength: 3 }),
    voidAfter: fc.option(fc.integer({ min: 0, max: 420 }), { nil: undefined }),
  })
  .map(({ net, start, length, billedOffset, credits, voidAfter }): RecognitionLine => {
    const from = firstDay + start;
    const billedOn = Math.max(firstDay, from + billedOffset);
    let left = net;
    const reversals: LineReversal[] = credits
      .map((c) => ({ day: billedOn + c.after, share: c.share }))
      .sort((a, b) => a.day - b.day)
      .map(({ day, share }) => {
        const amount = Math.floor((left * share) / 100);
        left -= amount;
        return { day, net: amount };
      });
    if (voidAfter !== undefined) reversals.push({ day: Math.max(billedOn, ...reversals.map((r) => r.day)) + voidAfter, net: left });
    return { net, from, to: from + length, billedOn, reversals };
  });

describe("revenue schedule (decision 033)", () => {
  it("the closed-form prefix is the sum of lib/money's even allocation, for every prefix", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 1, max: 60 }), (amount, n) => {
        const parts = allocateEvenly(amount, n);
        let sum = 0;
        for (let k = 0; k <= n; k++) {
          expect(prefixOfEven(amount, n, k)).toBe(sum);
          sum += parts[k] ?? 0;
        }
      }),
    );
  });

  it("without reversals each day recognises its allocateEvenly part (days served before billing caught up on the billing day), and the total is the net exactly", () => {
    fc.assert(
      fc.property(lineArb, (generated) => {
        const line = { ...generated, reversals: [] };
        const schedule = buildSchedule(line);
        const parts = allocateEvenly(line.net, line.to - line.from);
        const byDay = new Map<number, number>();
        parts.forEach((p, i) => {
          const day = Math.max(line.from + i, line.billedOn);
          byDay.set(day, (byDay.get(day) ?? 0) + p);
        });
        const last = Math.max(line.to, line.billedOn + 1);
        let cumulative = 0;
        for (let day = firstDay; day <= last; day++) {
          expect(recognisedBefore(schedule, line.billedOn, day)).toBe(cumulative);
          cumulative += byDay.get(day) ?? 0;
        }
        expect(recognisedBefore(schedule, line.billedOn, last + 1)).toBe(line.net);
      }),
      { numRuns: 60 },
    );
  });

  it("over random invoices, credit notes and voids: each month balances, months chain, recognised never exceeds billed, and in the end recognised = billed", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), (lines) => {
        let previousClosing = 0;
        for (let m = 0; m + 1 < boundaries.length; m++) {
          const [start, end] = [boundaries[m]!, boundaries[m + 1]!];
          let opening = 0;
          let closing = 0;
          let billed = 0;
          let recognized = 0;
          for (const line of lines) {
            const f = lineFlows(line, start, end);
            expect(f.deferredOpening + f.billed - f.recognized).toBe(f.deferredClosing);
            // Recognised ≤ billed, cumulatively, line by line: deferred revenue is never negative.
            expect(f.deferredClosing).toBeGreaterThanOrEqual(0);
            opening += f.deferredOpening;
            closing += f.deferredClosing;
            billed += f.billed;
            recognized += f.recognized;
          }
          expect(opening + billed - recognized).toBe(closing);
          expect(opening).toBe(previousClosing);
          previousClosing = closing;
        }
        const end = boundaries.at(-1)! + 2000;
        for (const line of lines) {
          const schedule = buildSchedule(line);
          expect(recognisedBefore(schedule, line.billedOn, end)).toBe(billedBefore(schedule, end));
          const reversed = line.reversals.reduce((s, r) => s + r.net, 0);
          expect(billedBefore(schedule, end)).toBe(line.net - reversed);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a credit note reduces the unserved part first, then reverses recognised revenue on its day", () => {
    // A$300.00 net over 30 days from 1 Jan, billed 1 Jan; on 21 Jan (20 days served = 200.00) a note for 150.00.
    const jan = monthDays("2026-01");
    const line: RecognitionLine = { net: 30000, from: jan.start, to: jan.start + 30, billedOn: jan.start, reversals: [{ day: jan.start + 20, net: 15000 }] };
    const flows = lineFlows(line, jan.start, jan.end);
    // The 100.00 unserved goes; the other 50.00 reverses revenue already recognised.
    expect(flows).toEqual({ billed: 15000, recognized: 15000, deferredOpening: 0, deferredClosing: 0 });
    const early: RecognitionLine = { ...line, reversals: [{ day: jan.start + 10, net: 15000 }] };
    // 10 days served (100.00); the 150.00 comes off the 200.00 unserved, spread over the 20 days left.
    expect(lineFlows(early, jan.start, jan.start + 10)).toMatchObject({ recognized: 10000 });
    expect(lineFlows(early, jan.start + 10, jan.end)).toMatchObject({ billed: -15000, recognized: 5000, deferredClosing: 0 });
  });
});
