import { describe, expect, it } from "vitest";
import { describeJobResult } from "./describe-result";

describe("describeJobResult", () => {
  it("says how the billing run went: batched renewals, every fallback by reason (most first), failures", () => {
    expect(describeJobResult("billing.run", { processed: 14, steps: 15, batched: 10, deferred: { trial_end: 1, "scheduled change": 3 }, failed: [{ subscription: "sub_1", error: "x" }] })).toBe(
      "10 renewed in batches · 4 one by one (scheduled change: 3, trial_end: 1) · 1 failed",
    );
    expect(describeJobResult("billing.run", { processed: 0, steps: 0, batched: 0, deferred: {}, failed: [] })).toBe("0 renewed in batches · 0 failed");
    expect(describeJobResult("billing.run", { processed: 5, steps: 5, batched: 5, deferred: {}, settledOneByOne: { "settlement batch failed: deadlock detected": 5 }, failed: [] })).toBe(
      "5 renewed in batches · 5 charge results settled one by one (settlement batch failed: deadlock detected: 5) · 0 failed",
    );
  });

  it("shows another job's counts, and nothing without a result", () => {
    expect(describeJobResult("payments.retry", { due: 2, paidInvoices: 1, note: "x" })).toBe("due: 2 · paid invoices: 1");
    expect(describeJobResult("payments.retry", null)).toBeNull();
    expect(describeJobResult("outbox.dispatch", 3)).toBeNull();
  });
});
