import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brandName, cardLabel, expiryLabel, expiryStatus, monthsUntilExpiry } from "./card-display";

describe("card display", () => {
  it("labels", () => {
    expect(cardLabel({ brand: "visa", last4: "4242" })).toBe("Visa ending 4242");
    expect(cardLabel({ brand: "amex", last4: "0005" })).toBe("American Express ending 0005");
    expect(brandName("somecard")).toBe("Somecard");
    expect(expiryLabel({ expMonth: 3, expYear: 2027 })).toBe("03/2027");
  });

  it.each([
    // now (UTC), zone, card month/year, status
    ["2026-03-10T01:00:00Z", "UTC", 3, 2026, "expiring_soon"],
    ["2026-03-10T01:00:00Z", "UTC", 4, 2026, "expiring_soon"],
    ["2026-03-10T01:00:00Z", "UTC", 5, 2026, "ok"],
    ["2026-03-10T01:00:00Z", "UTC", 2, 2026, "expired"],
    ["2026-03-10T01:00:00Z", "UTC", 12, 2025, "expired"],
    ["2026-12-15T00:00:00Z", "UTC", 1, 2027, "expiring_soon"],
    // 31 Mar 14:00 UTC is already 1 Apr in Sydney: a March card has expired there, not in Los Angeles.
    ["2026-03-31T14:00:00Z", "Australia/Sydney", 3, 2026, "expired"],
    ["2026-03-31T14:00:00Z", "America/Los_Angeles", 3, 2026, "expiring_soon"],
  ] as const)("%s in %s: %i/%i → %s", (now, zone, month, year, status) => {
    expect(expiryStatus({ expMonth: month, expYear: year }, new Date(now), zone)).toBe(status);
  });

  it("property: a card's status only moves ok → expiring soon → expired as time passes", () => {
    const rank = { ok: 0, expiring_soon: 1, expired: 2 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2020, max: 2040 }),
        fc.date({ min: new Date("2019-01-01T00:00:00Z"), max: new Date("2042-01-01T00:00:00Z"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        fc.constantFrom("UTC", "Australia/Sydney", "Pacific/Chatham", "America/Los_Angeles"),
        (expMonth, expYear, a, gap, zone) => {
          const b = new Date(a.getTime() + gap);
          const card = { expMonth, expYear };
          expect(rank[expiryStatus(card, b, zone)]).toBeGreaterThanOrEqual(rank[expiryStatus(card, a, zone)]);
          expect(monthsUntilExpiry(card, b, zone)).toBeLessThanOrEqual(monthsUntilExpiry(card, a, zone));
        },
      ),
      { numRuns: 500 },
    );
  });
});
