import { describe, expect, it } from "vitest";
import { declineAction, DEFAULT_RETRY_DAYS, nextRetryAt } from "./policy";

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
    expect(nextRetryAt(at, 1, soft)?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(nextRetryAt(at, 2, soft)?.toISOString()).toBe("2026-03-04T00:00:00.000Z");
    expect(nextRetryAt(at, 3, soft)?.toISOString()).toBe("2026-03-08T00:00:00.000Z");
    expect(nextRetryAt(at, 4, soft)?.toISOString()).toBe("2026-03-15T00:00:00.000Z");
    expect(nextRetryAt(at, 5, soft)).toBeNull();
  });
  it("never retries hard declines or authentication", () => {
    expect(nextRetryAt(at, 1, { declineCode: "stolen_card", failureCode: "card_declined" })).toBeNull();
    expect(nextRetryAt(at, 1, { declineCode: null, failureCode: "authentication_required" })).toBeNull();
  });
  it("takes a configured schedule", () => {
    expect(nextRetryAt(at, 2, soft, [2, 5])?.toISOString()).toBe("2026-03-06T00:00:00.000Z");
    expect(nextRetryAt(at, 3, soft, [2, 5])).toBeNull();
  });
});
