import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finalization } from "./finalization";

const AT = new Date("2027-03-31T13:00:00Z");

describe("finalization", () => {
  it("nothing due: paid at once, never swept for a charge", () => {
    expect(finalization({ amountDue: 0, collectionMethod: "charge_automatically", billingReason: "subscription_cycle", daysUntilDue: null }, AT, "UTC")).toEqual({
      status: "paid",
      finalizedAt: AT,
      paidAt: AT,
      dueDate: AT,
      amountRemaining: 0,
      nextPaymentAttemptAt: null,
    });
  });

  it("collected automatically: due now and swept for a charge, except a first invoice or one whose attempt is recorded with it", () => {
    const renewal = { amountDue: 1000, collectionMethod: "charge_automatically" as const, billingReason: "subscription_cycle", daysUntilDue: null };
    expect(finalization(renewal, AT, "UTC")).toMatchObject({ status: "open", paidAt: null, dueDate: AT, amountRemaining: 1000, nextPaymentAttemptAt: AT });
    expect(finalization(renewal, AT, "UTC", { attemptRecorded: true }).nextPaymentAttemptAt).toBeNull();
    expect(finalization({ ...renewal, billingReason: "subscription_create" }, AT, "UTC").nextPaymentAttemptAt).toBeNull();
  });

  it("sent to be paid: due the given calendar days later in the customer's zone, never swept", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 90 }), fc.constantFrom("UTC", "Australia/Sydney", "America/New_York"), (amountDue, days, tz) => {
        const f = finalization({ amountDue, collectionMethod: "send_invoice", billingReason: "manual", daysUntilDue: days }, AT, tz);
        expect(f.nextPaymentAttemptAt).toBeNull();
        expect(f.status).toBe("open");
        expect(f.dueDate.getTime()).toBeGreaterThanOrEqual(AT.getTime() + days * 86_400_000 - 3_600_000);
        expect(f.dueDate.getTime()).toBeLessThanOrEqual(AT.getTime() + days * 86_400_000 + 3_600_000);
      }),
    );
  });
});
