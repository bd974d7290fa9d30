import { describe, expect, it } from "vitest";
import { newestFirst, rateStatuses } from "./rate-history";

const at = (iso: string) => new Date(iso);
const rate = (id: string, operation: string, region: string | null, from: string) => ({ id, operation, region, effectiveFrom: at(from) });
const NOW = at("2026-12-05T09:30:00Z");

describe("a provider's rate history at a moment", () => {
  const rates = [
    rate("old", "prompt", null, "2026-10-01T00:00:00Z"),
    rate("current", "prompt", null, "2026-12-01T00:00:00Z"),
    rate("next", "prompt", null, "2027-01-01T00:00:00Z"),
    rate("au", "prompt", "AU", "2026-11-01T00:00:00Z"),
    rate("us-later", "prompt", "US", "2026-12-24T00:00:00Z"),
    rate("lookup", "lookup", null, "2026-12-05T09:30:00Z"),
  ];

  it("marks what prices each operation and region now, what comes later, and what was superseded", () => {
    expect(Object.fromEntries(rateStatuses(rates, NOW))).toEqual({
      old: "superseded",
      current: "in_force",
      next: "scheduled",
      au: "in_force",
      // US has no rate of its own yet: the provider-wide rate prices it (already in force).
      "us-later": "scheduled",
      // Taking effect this very instant is in force.
      lookup: "in_force",
    });
  });

  it("a new rate supersedes the old one from its date", () => {
    const later = at("2027-01-02T00:00:00Z");
    const statuses = rateStatuses(rates, later);
    expect([statuses.get("current"), statuses.get("next"), statuses.get("us-later")]).toEqual(["superseded", "in_force", "in_force"]);
  });

  it("lists newest first", () => {
    expect(newestFirst(rates).map((r) => r.id)).toEqual(["next", "us-later", "lookup", "current", "au", "old"]);
  });
});
