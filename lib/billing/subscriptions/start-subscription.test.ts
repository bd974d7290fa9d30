import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import type { Interval } from "@/lib/time";
import { startSubscription } from "./start-subscription";

const SYD = "Australia/Sydney";
const monthly: Interval = { unit: "month", count: 1 };

/** The instant of a local wall-clock time in a zone. */
function local(isoWall: string, tz: string): Date {
  return new Date(Temporal.PlainDateTime.from(isoWall).toZonedDateTime(tz).epochMilliseconds);
}

function wall(d: Date, tz: string): string {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(tz).toPlainDateTime().toString();
}

describe("startSubscription without a trial", () => {
  it.each<[string, string, Interval, string]>([
    ["2026-01-31T10:00:00", SYD, monthly, "2026-02-28T10:00:00"],
    ["2024-01-31T10:00:00", SYD, monthly, "2024-02-29T10:00:00"],
    // Jan 31 local in Sydney is still Jan 30 in UTC: the customer's zone decides the day
    ["2026-01-31T09:00:00", SYD, monthly, "2026-02-28T09:00:00"],
    ["2026-03-15T10:00:00", SYD, monthly, "2026-04-15T10:00:00"], // across the end of DST
    ["2026-09-20T08:30:00", SYD, monthly, "2026-10-20T08:30:00"], // across the start of DST
    ["2026-01-31T10:00:00", SYD, { unit: "month", count: 3 }, "2026-04-30T10:00:00"],
    ["2024-02-29T10:00:00", SYD, { unit: "year", count: 1 }, "2025-02-28T10:00:00"],
    ["2026-03-30T10:00:00", SYD, { unit: "week", count: 1 }, "2026-04-06T10:00:00"],
    ["2026-01-31T00:00:00", "UTC", monthly, "2026-02-28T00:00:00"],
    ["2026-01-31T23:30:00", "America/New_York", monthly, "2026-02-28T23:30:00"],
  ])("%s %s, %j → incomplete until %s", (startWall, tz, interval, endWall) => {
    const asOf = local(startWall, tz);
    const sub = startSubscription({ asOf, interval, timeZone: tz, trialDays: 0 });
    expect(sub.status).toBe("incomplete");
    expect(sub.currentPeriodStart).toEqual(asOf);
    expect(sub.billingCycleAnchor).toEqual(asOf);
    expect(wall(sub.currentPeriodEnd, tz)).toBe(endWall);
    expect(sub.trialStart).toBeNull();
    expect(sub.trialEnd).toBeNull();
  });

  it("Jan 31 Sydney is not Jan 31 UTC: the period ends on Feb 28 local, not Feb 27/28 UTC-derived", () => {
    const asOf = local("2026-01-31T09:00:00", SYD); // 2026-01-30T22:00Z
    expect(asOf.toISOString()).toBe("2026-01-30T22:00:00.000Z");
    const sub = startSubscription({ asOf, interval: monthly, timeZone: SYD, trialDays: 0 });
    expect(sub.currentPeriodEnd.toISOString()).toBe("2026-02-27T22:00:00.000Z"); // 09:00 Feb 28 in Sydney
  });
});

describe("startSubscription with a trial", () => {
  it("14 days: trialing, trial and first period end 14 local days later, anchor = trial end", () => {
    const asOf = local("2026-02-01T10:00:00", SYD);
    const sub = startSubscription({ asOf, interval: monthly, timeZone: SYD, trialDays: 14 });
    expect(sub.status).toBe("trialing");
    expect(sub.trialStart).toEqual(asOf);
    expect(wall(sub.trialEnd!, SYD)).toBe("2026-02-15T10:00:00");
    expect(sub.currentPeriodStart).toEqual(asOf);
    expect(sub.currentPeriodEnd).toEqual(sub.trialEnd);
    expect(sub.billingCycleAnchor).toEqual(sub.trialEnd);
    expect(sub.trialEnd!.getTime() - asOf.getTime()).toBe(14 * 86_400_000);
  });

  it("across the end of DST in Sydney (5 Apr 2026) the trial keeps the wall-clock time: 14 days + 1 hour", () => {
    const asOf = local("2026-03-30T10:00:00", SYD); // AEDT, +11
    const sub = startSubscription({ asOf, interval: monthly, timeZone: SYD, trialDays: 14 });
    expect(sub.status).toBe("trialing");
    expect(wall(sub.trialEnd!, SYD)).toBe("2026-04-13T10:00:00"); // AEST, +10
    expect(sub.trialEnd!.toISOString()).toBe("2026-04-13T00:00:00.000Z");
    expect(sub.trialEnd!.getTime() - asOf.getTime()).toBe(14 * 86_400_000 + 3_600_000);
    expect(sub.billingCycleAnchor).toEqual(sub.trialEnd);
  });

  it("across the start of DST in Sydney (4 Oct 2026): 14 days − 1 hour", () => {
    const asOf = local("2026-09-28T10:00:00", SYD);
    const sub = startSubscription({ asOf, interval: monthly, timeZone: SYD, trialDays: 14 });
    expect(wall(sub.trialEnd!, SYD)).toBe("2026-10-12T10:00:00");
    expect(sub.trialEnd!.getTime() - asOf.getTime()).toBe(14 * 86_400_000 - 3_600_000);
  });

  it("the trial length does not depend on the interval", () => {
    const asOf = local("2026-03-30T10:00:00", SYD);
    const a = startSubscription({ asOf, interval: monthly, timeZone: SYD, trialDays: 7 });
    const b = startSubscription({ asOf, interval: { unit: "year", count: 1 }, timeZone: SYD, trialDays: 7 });
    expect(a).toEqual(b);
  });

  it("property: trial end is trialDays local days later at the same wall time, and the period is non-empty", () => {
    const zones = ["UTC", SYD, "America/New_York", "Europe/London", "Asia/Tokyo"];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom(...zones),
        fc.integer({ min: 1, max: 90 }),
        (ms, tz, trialDays) => {
          // whole minutes at 10:00–11:00 local avoid DST-gap wall times (those are 01:00–03:00 in these zones)
          const day = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDate();
          const asOf = new Date(day.toPlainDateTime({ hour: 10, minute: ms % 60 }).toZonedDateTime(tz).epochMilliseconds);
          const sub = startSubscription({ asOf, interval: monthly, timeZone: tz, trialDays });
          const expected = day.add({ days: trialDays }).toPlainDateTime({ hour: 10, minute: ms % 60 }).toString();
          expect(wall(sub.trialEnd!, tz)).toBe(expected);
          expect(sub.currentPeriodEnd.getTime()).toBeGreaterThan(sub.currentPeriodStart.getTime());
          expect(sub.billingCycleAnchor).toEqual(sub.trialEnd);
        },
      ),
      { numRuns: 100 },
    );
  });
});
