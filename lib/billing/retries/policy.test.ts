import { describe, expect, it } from "vitest";
import { addDays } from "@/lib/time";
import { declineAction, DEFAULT_RETRY_DAYS, nextAttemptAfterFailure, nextRetryAfter, nextRetryAt } from "./policy";

const at = new Date("2026-03-01T00:00:00Z");

describe("declineAction", () => {
  it.each([
    ["insufficient_funds", "card_declined", null, "retry"],
    ["processing_error", "processing_error", null, "retry"],
    ["try_again_later", "card_declined", null, "retry"],
    ["issuer_not_available", "card_declined", null, "retry"],
    ["generic_decline", "card_declined", null, "retry"],
    ["lost_card", "card_declined", null, "new_payment_method"],
    ["stolen_card", "card_declined", null, "new_payment_method"],
    ["pickup_card", "card_declined", null, "new_payment_method"],
    ["fraudulent", "card_declined", null, "new_payment_method"],
    ["expired_card", "expired_card", null, "new_payment_method"],
    ["incorrect_number", "incorrect_number", null, "new_payment_method"],
    ["generic_decline", "card_declined", "do_not_try_again", "new_payment_method"],
    ["generic_decline", "card_declined", "confirm_card_data", "new_payment_method"],
    ["do_not_honor", "card_declined", "try_again_later", "retry"],
    ["authentication_required", "authentication_required", null, "authenticate"],
    ["some_new_code", "card_declined", null, "retry"],
  ] as const)("%s (%s, advice %s) → %s", (declineCode, failureCode, adviceCode, expected) => {
    expect(declineAction({ declineCode, failureCode, adviceCode })).toBe(expected);
  });
});

describe("nextRetryAt", () => {
  const soft = { declineCode: "insufficient_funds", failureCode: "card_declined" };
  it("follows the default schedule: 4 retries over 14 days, then stops", () => {
    expect(DEFAULT_RETRY_DAYS).toEqual([1, 3, 7, 14]);
    expect(nextRetryAt(at, 1, soft, "UTC")?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(nextRetryAt(at, 2, soft, "UTC")?.toISOString()).toBe("2026-03-04T00:00:00.000Z");
    expect(nextRetryAt(at, 3, soft, "UTC")?.toISOString()).toBe("2026-03-08T00:00:00.000Z");
    expect(nextRetryAt(at, 4, soft, "UTC")?.toISOString()).toBe("2026-03-15T00:00:00.000Z");
    expect(nextRetryAt(at, 5, soft, "UTC")).toBeNull();
  });
  it("never retries hard declines or authentication", () => {
    expect(nextRetryAt(at, 1, { declineCode: "stolen_card", failureCode: "card_declined" }, "UTC")).toBeNull();
    expect(nextRetryAt(at, 1, { declineCode: null, failureCode: "authentication_required" }, "UTC")).toBeNull();
  });
  it("takes a configured schedule", () => {
    expect(nextRetryAt(at, 2, soft, "UTC", [2, 5])?.toISOString()).toBe("2026-03-06T00:00:00.000Z");
    expect(nextRetryAt(at, 3, soft, "UTC", [2, 5])).toBeNull();
  });
});

describe("nextRetryAfter", () => {
  it("a late run spends the schedule points it missed instead of firing them all at once", () => {
    const first = new Date("2026-02-15T00:00:00Z");
    const day = (n: number) => addDays(first, n, "UTC");
    const soft = { failureCode: "card_declined", declineCode: "insufficient_funds" };
    expect(nextRetryAfter(first, 1, soft, first, "UTC")).toEqual(day(1));
    expect(nextRetryAfter(first, 2, soft, day(1), "UTC")).toEqual(day(3));
    // The runner was down until day 10: the next retry is day 14, not day 3 and 7 straight away.
    expect(nextRetryAfter(first, 2, soft, day(10), "UTC")).toEqual(day(14));
    expect(nextRetryAfter(first, 5, soft, day(14), "UTC")).toBeNull();
    expect(nextRetryAfter(first, 1, { failureCode: "card_declined", declineCode: "stolen_card" }, first, "UTC")).toBeNull();
    expect(nextRetryAfter(first, 1, { failureCode: "card_declined", declineCode: "insufficient_funds", adviceCode: "do_not_try_again" }, first, "UTC")).toBeNull();
    expect(nextRetryAfter(first, 1, { failureCode: "authentication_required", declineCode: "authentication_required" }, first, "UTC")).toBeNull();
  });
});

describe("nextAttemptAfterFailure", () => {
  const soft = { failureCode: "card_declined", declineCode: "insufficient_funds" };
  const base = { collectionMethod: "charge_automatically", billingReason: "subscription_cycle", subscriptionStatus: "active", decline: soft, timeZone: "UTC", schedule: DEFAULT_RETRY_DAYS };

  it("counts from the invoice's first failed attempt (by attempt number), the n-th failure taking the n-th point of the schedule", () => {
    const first = { attempt: 1, at };
    const second = { attempt: 2, at: addDays(at, 1, "UTC") };
    // The attempts in any order: the first by number is where the schedule starts.
    expect(nextAttemptAfterFailure({ ...base, failures: [second, first], asOf: second.at })).toEqual(addDays(at, 3, "UTC"));
    expect(nextAttemptAfterFailure({ ...base, failures: [first], asOf: at })).toEqual(addDays(at, 1, "UTC"));
  });

  it("does not retry what Tally does not collect, a checkout the customer walked away from, or a schedule never started", () => {
    const failures = [{ attempt: 1, at }];
    expect(nextAttemptAfterFailure({ ...base, failures, asOf: at, collectionMethod: "send_invoice" })).toBeNull();
    expect(nextAttemptAfterFailure({ ...base, failures, asOf: at, billingReason: "subscription_create", subscriptionStatus: "incomplete" })).toEqual(null);
    expect(nextAttemptAfterFailure({ ...base, failures, asOf: at, billingReason: "subscription_create", subscriptionStatus: "active" })).toEqual(addDays(at, 1, "UTC"));
    expect(nextAttemptAfterFailure({ ...base, failures: [], asOf: at })).toBeNull();
  });
});
