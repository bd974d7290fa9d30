import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pauseResumesAt } from "./pause";
import { PAUSE_AUTO_CANCEL_DAYS } from "./state";

describe("pauseResumesAt", () => {
  it("is the same local day a month later, and never reaches the 90-day automatic cancellation", () => {
    expect(pauseResumesAt(new Date("2027-01-14T23:00:00Z"), 1, "Australia/Sydney").toISOString()).toBe("2027-02-14T23:00:00.000Z");
    // 15 Jul → 15 Oct is 92 days: capped at 89 days.
    expect(pauseResumesAt(new Date("2027-07-15T00:00:00Z"), 3, "UTC").toISOString()).toBe("2027-10-12T00:00:00.000Z");
    fc.assert(
      fc.property(fc.date({ min: new Date("2020-01-01"), max: new Date("2040-01-01"), noInvalidDate: true }), fc.constantFrom(1, 2, 3), fc.constantFrom("UTC", "Australia/Sydney", "America/New_York"), (now, months, tz) => {
        const at = pauseResumesAt(now, months, tz);
        expect(at.getTime()).toBeGreaterThan(now.getTime());
        expect(at.getTime()).toBeLessThan(now.getTime() + PAUSE_AUTO_CANCEL_DAYS * 86_400_000);
        // Longer pauses never resume earlier.
        if (months > 1) expect(at.getTime()).toBeGreaterThanOrEqual(pauseResumesAt(now, months - 1, tz).getTime());
      }),
    );
  });
});
