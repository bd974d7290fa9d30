import { describe, expect, it } from "vitest";
import { invoiceDueDate } from "./due-date";

describe("invoiceDueDate", () => {
  it("is the finalization instant for an invoice charged automatically", () => {
    const at = new Date("2026-10-01T00:00:00Z");
    expect(invoiceDueDate("charge_automatically", at, 14, "Australia/Sydney")).toEqual(at);
  });

  it("is that many calendar days later in the customer's zone, the same wall-clock time across a daylight-saving change", () => {
    // 1 Oct 2026 10:00 AEST; Sydney moves to AEDT on 4 Oct. Due 31 Oct 10:00 AEDT = 30 days less an hour.
    const at = new Date("2026-10-01T00:00:00Z");
    expect(invoiceDueDate("send_invoice", at, 30, "Australia/Sydney").toISOString()).toBe("2026-10-30T23:00:00.000Z");
    expect(invoiceDueDate("send_invoice", at, 30, "UTC").toISOString()).toBe("2026-10-31T00:00:00.000Z");
    // No terms given: 30 days.
    expect(invoiceDueDate("send_invoice", at, null, "UTC").toISOString()).toBe("2026-10-31T00:00:00.000Z");
  });
});
