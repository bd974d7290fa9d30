import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, DAY_MS as DAY } from "@/lib/time";
import { addDays as oracleAddDays, wall, type Wall } from "@/lib/time/test-oracle";
import { ACTING_STAGES, DEFAULT_DUNNING_SCHEDULE, stageAt } from "./dunning/policy";
import { chooseOffer, DISCOUNT_COOLDOWN_DAYS, type ChooseOfferInput } from "./retention/offer-policy";
import { nextRetryAt } from "./retries/policy";

/**
 * The dunning stages, the retry schedule and the retention discount's cooldown count calendar days
 * in the customer's zone (decision 002): across a daylight-saving change a day is 23 or 25 hours and
 * a stage falls at the same local wall-clock time N dates later. In UTC that is the old 24-hour rule.
 */

const HOUR = 3_600_000;

/** Clock changes in 2024–2025 (UTC midnight of the local date they happen on). */
const TRANSITIONS: Record<string, string[]> = {
  "Australia/Sydney": ["2024-04-07", "2024-10-06", "2025-04-06", "2025-10-05"],
  "America/New_York": ["2024-03-10", "2024-11-03", "2025-03-09", "2025-11-02"],
  "Europe/London": ["2024-03-31", "2024-10-27", "2025-03-30", "2025-10-26"],
};
const ZONES = Object.keys(TRANSITIONS);

/** A zone and an instant up to 20 days before one of its clock changes (whole minutes), so N days later crosses it. */
const beforeAChange = fc
  .constantFrom(...ZONES)
  .chain((tz) =>
    fc
      .tuple(fc.constantFrom(...TRANSITIONS[tz]!), fc.integer({ min: 0, max: 20 * DAY }))
      .map(([day, back]) => {
        const ms = Date.parse(`${day}T00:00:00Z`) - back;
        return { tz, at: new Date(ms - (ms % 60_000)) };
      }),
  );

const anyInstant = fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms));
const soft = { declineCode: "insufficient_funds", failureCode: "card_declined" };

/** `to` is `days` dates after `from` in `tz`, at the same wall-clock time (later by the gap when that time does not exist). */
function expectSameWallTimeDaysLater(from: Date, to: Date, days: number, tz: string) {
  const a = wall(from.getTime(), tz);
  const b = wall(to.getTime(), tz);
  expect({ year: b.year, month: b.month, day: b.day }).toEqual(oracleAddDays({ year: a.year, month: a.month, day: a.day }, days));
  const minutes = (w: Wall) => w.hour * 60 + w.minute;
  expect([0, 30, 60]).toContain(minutes(b) - minutes(a));
}

describe("schedules in calendar days", () => {
  it("a dunning stage falls the same local wall-clock time N local days after the first failure, across clock changes", () => {
    fc.assert(
      fc.property(beforeAChange, fc.constantFrom(...ACTING_STAGES), ({ tz, at }, stage) => {
        expectSameWallTimeDaysLater(at, stageAt(at, stage, tz), DEFAULT_DUNNING_SCHEDULE[stage], tz);
      }),
      { numRuns: 300 },
    );
  });

  it("a retry falls the same local wall-clock time N local days after the first failure, across clock changes", () => {
    const schedule = [1, 3, 7, 14, 20];
    fc.assert(
      fc.property(beforeAChange, fc.integer({ min: 1, max: schedule.length }), ({ tz, at }, failed) => {
        const next = nextRetryAt(at, failed, soft, tz, schedule);
        expect(next).not.toBeNull();
        expectSameWallTimeDaysLater(at, next!, schedule[failed - 1]!, tz);
      }),
      { numRuns: 300 },
    );
  });

  it("in UTC both are the 24-hour rule", () => {
    fc.assert(
      fc.property(anyInstant, fc.constantFrom(...ACTING_STAGES), fc.integer({ min: 1, max: 4 }), (at, stage, failed) => {
        expect(stageAt(at, stage, "UTC").getTime()).toBe(at.getTime() + DEFAULT_DUNNING_SCHEDULE[stage] * DAY);
        expect(nextRetryAt(at, failed, soft, "UTC")?.getTime()).toBe(at.getTime() + [1, 3, 7, 14][failed - 1]! * DAY);
      }),
    );
  });

  it("Sydney's spring-forward makes the reminder 71 hours after a failure, still at 10:00 local", () => {
    const failedAt = new Date("2024-10-04T00:00:00Z"); // Fri 4 Oct, 10:00 AEST; clocks go forward on Sun 6 Oct
    const reminder = stageAt(failedAt, "reminder", "Australia/Sydney");
    expect(reminder.toISOString()).toBe("2024-10-06T23:00:00.000Z"); // Mon 7 Oct, 10:00 AEDT
    expect(reminder.getTime() - failedAt.getTime()).toBe(71 * HOUR);
    // New York falls back on 3 Nov 2024: a day-1 retry from 2 Nov 09:00 EDT is 25 hours later, at 09:00 EST.
    expect(nextRetryAt(new Date("2024-11-02T13:00:00Z"), 1, soft, "America/New_York")?.toISOString()).toBe("2024-11-03T14:00:00.000Z");
  });

  it("the retention discount's cooldown is 365 calendar days in the customer's zone", () => {
    const offer = (now: Date, shownAt: Date, timeZone: string) => {
      const input: ChooseOfferInput = {
        config: { offer: { kind: "discount", percent: 25, months: 3 }, enabled: true },
        subscription: { status: "active", hasDiscount: false, currency: "usd", items: [{ planId: "p", productId: "x", priceId: "pr", unitAmount: 1000, quantity: 1, interval: "month", intervalCount: 1 }] },
        history: [{ kind: "discount", at: shownAt }],
        catalog: [],
        now,
        timeZone,
      };
      return chooseOffer(input).withheld;
    };
    fc.assert(
      fc.property(beforeAChange, ({ tz, at: now }) => {
        // A discount shown at this wall-clock time 365 local dates ago is offered again; a minute later it is not.
        const boundary = addDays(now, -DISCOUNT_COOLDOWN_DAYS, tz);
        const a = wall(boundary.getTime(), tz);
        const b = wall(now.getTime(), tz);
        expect({ year: a.year, month: a.month, day: a.day }).toEqual(oracleAddDays({ year: b.year, month: b.month, day: b.day }, -DISCOUNT_COOLDOWN_DAYS));
        expect(offer(now, boundary, tz)).toBeNull();
        expect(offer(now, new Date(boundary.getTime() + 60_000), tz)).toBe("discount_shown_recently");
      }),
      { numRuns: 100 },
    );
    const now = new Date("2027-06-10T00:00:00Z");
    expect(offer(now, new Date(now.getTime() - DISCOUNT_COOLDOWN_DAYS * DAY), "UTC")).toBeNull();
    expect(offer(now, new Date(now.getTime() - DISCOUNT_COOLDOWN_DAYS * DAY + 1), "UTC")).toBe("discount_shown_recently");
  });
});
