import { describe, expect, it } from "vitest";
import { overRefundLimit, refundLimitFor } from "./refund-limit";

const limits = { aud: 5000, usd: 2000 };

describe("refundLimitFor", () => {
  it.each([
    ["support", "aud", 5000],
    ["support", "AUD", 5000],
    ["support", "usd", 2000],
    ["support", "nzd", 0],
    ["billing_admin", "aud", null],
    ["super_admin", "nzd", null],
    [null, "aud", null],
  ] as const)("%s in %s → %s", (role, currency, expected) => {
    expect(refundLimitFor(role, limits, currency)).toBe(expected);
  });
});

describe("overRefundLimit", () => {
  it("says the limit and the amount when the refund is above it", () => {
    expect(overRefundLimit(5000, 6000, "aud")).toBe("Your refund limit is $50.00; this refund is $60.00.");
    expect(overRefundLimit(2000, 2001, "usd")).toBe("Your refund limit is US$20.00; this refund is US$20.01.");
  });
  it("is silent at or below the limit, and when there is no limit", () => {
    expect(overRefundLimit(5000, 5000, "aud")).toBeNull();
    expect(overRefundLimit(5000, 1, "aud")).toBeNull();
    expect(overRefundLimit(null, 10_000_000, "aud")).toBeNull();
  });
  it("a currency without a limit cannot be refunded at all", () => {
    expect(overRefundLimit(0, 1, "nzd")).toBe("Your role cannot refund NZD payments.");
  });
});
