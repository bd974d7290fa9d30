import { describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/time";
import { accessFor, dunningStage, escalate, finalSubscriptionStatus, highestRecordedStage, nextStage, oldestPerCustomer, type DunningStage } from "./policy";

const first = new Date("2026-02-15T00:00:00Z");
// In UTC, where a calendar day is 24 hours (calendar-schedules.property.test.ts covers other zones).
const day = (n: number) => new Date(first.getTime() + n * DAY_MS);

describe("dunning policy", () => {
  it.each<[number, DunningStage, "active" | "warning" | "blocked"]>([
    [-1, "none", "active"],
    [0, "failed", "active"],
    [2.99, "failed", "active"],
    [3, "reminder", "active"],
    [6, "reminder", "active"],
    [7, "warning", "warning"],
    [13.5, "warning", "warning"],
    [14, "blocked", "blocked"],
    [40, "blocked", "blocked"],
  ])("day %s → stage %s, access %s (default schedule 3/7/14)", (days, stage, access) => {
    expect(dunningStage(first, day(days), "UTC")).toBe(stage);
    expect(accessFor(dunningStage(first, day(days), "UTC"))).toBe(access);
  });

  it.each<[number, DunningStage]>([
    [0, "failed"],
    [1, "reminder"],
    [2, "warning"],
    [4, "warning"],
    [5, "blocked"],
  ])("a custom schedule {1, 2, 5}: day %s → %s", (days, stage) => {
    expect(dunningStage(first, day(days), "UTC", { reminder: 1, warning: 2, blocked: 5 })).toBe(stage);
  });

  it("no failure is no dunning", () => {
    expect(dunningStage(null, day(30), "UTC")).toBe("none");
  });

  it.each<[DunningStage, string | null, number | null]>([
    ["none", "reminder", 3],
    ["failed", "reminder", 3],
    ["reminder", "warning", 7],
    ["warning", "blocked", 14],
    ["blocked", null, null],
  ])("after %s the next stage is %s on day %s", (recorded, stage, days) => {
    const next = nextStage(first, recorded, "UTC");
    expect(next?.stage ?? null).toBe(stage);
    expect(next?.at ?? null).toEqual(days === null ? null : day(days));
  });

  it.each([
    ["active", "warning", "warning"],
    ["warning", "active", "warning"],
    ["blocked", "warning", "blocked"],
    ["warning", "blocked", "blocked"],
  ] as const)("escalate(%s, %s) = %s", (current, target, result) => {
    expect(escalate(current, target)).toBe(result);
  });

  it.each([
    ["unpaid", "past_due", "unpaid"],
    ["unpaid", "active", null],
    ["unpaid", "unpaid", null],
    ["cancel", "past_due", "canceled"],
    ["cancel", "unpaid", "canceled"],
    ["cancel", "canceled", null],
    ["past_due", "past_due", null],
  ] as const)("final action %s on a %s subscription → %s", (action, status, result) => {
    expect(finalSubscriptionStatus(action, status)).toBe(result);
  });
});

describe("dunning's records", () => {
  it("counts from each customer's oldest failing invoice (rows come oldest first)", () => {
    const rows = [
      { customerId: "a", invoiceId: "1", firstFailureAt: day(0), timeZone: "UTC" },
      { customerId: "b", invoiceId: "2", firstFailureAt: day(1), timeZone: "UTC" },
      { customerId: "a", invoiceId: "3", firstFailureAt: day(2), timeZone: "UTC" },
    ];
    expect(oldestPerCustomer(rows).map((r) => r.invoiceId)).toEqual(["1", "2"]);
  });

  it("reads the highest stage acted on from the recorded event types", () => {
    expect(highestRecordedStage([])).toBe("none");
    expect(highestRecordedStage(["customer.dunning.warning", "customer.dunning.reminder", "customer.dunning.other"])).toBe("warning");
    expect(highestRecordedStage(["customer.dunning.blocked"])).toBe("blocked");
  });
});
