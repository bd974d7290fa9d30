import { describe, expect, it } from "vitest";
import { isValidTimeZone, localDateString, normalizeTimeZone, TimeError } from "@/lib/time";

describe("isValidTimeZone / normalizeTimeZone", () => {
  it.each([
    ["UTC", "UTC"],
    ["utc", "UTC"],
    ["Etc/UTC", "Etc/UTC"],
    ["Australia/Sydney", "Australia/Sydney"],
    ["America/Los_Angeles", "America/Los_Angeles"],
    ["america/los_angeles", "America/Los_Angeles"],
    ["Asia/Kolkata", "Asia/Kolkata"],
    ["Pacific/Chatham", "Pacific/Chatham"],
    ["Australia/Lord_Howe", "Australia/Lord_Howe"],
    ["America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"],
    ["Etc/GMT+5", "Etc/GMT+5"],
  ])("accepts %s as %s", (tz, canonical) => {
    expect(isValidTimeZone(tz)).toBe(true);
    expect(normalizeTimeZone(tz)).toBe(canonical);
  });

  // Node's Intl accepts several of these ("PST" → Los Angeles, "EST" → a fixed −05:00); Tally must not.
  it.each(["PST", "EST", "AEST", "CET", "GMT", "PST8PDT", "EST5EDT", "Japan", "Z", "+05:00", "-08:00", "Foo/Bar", "", " UTC", "Australia/Sydney ", "Australia//Sydney", "A".repeat(65)])(
    "rejects %j",
    (tz) => {
      expect(isValidTimeZone(tz)).toBe(false);
      expect(() => normalizeTimeZone(tz)).toThrowError(TimeError);
    },
  );

  it("names the field and the accepted form", () => {
    try {
      normalizeTimeZone("PST", "customer.timezone");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TimeError);
      expect((error as TimeError).code).toBe("timezone_invalid");
      expect((error as TimeError).param).toBe("customer.timezone");
      expect((error as TimeError).message).toContain("IANA time zone name");
    }
  });

  it("rejects non-strings from untyped callers", () => {
    expect(isValidTimeZone(undefined as unknown as string)).toBe(false);
    expect(isValidTimeZone(10 as unknown as string)).toBe(false);
  });
});

describe("localDateString", () => {
  it.each([
    ["2024-01-31T12:00:00Z", "UTC", "2024-01-31"],
    ["2024-01-31T12:00:00Z", "America/Los_Angeles", "2024-01-31"],
    ["2024-01-31T12:00:00Z", "Pacific/Chatham", "2024-02-01"],
    ["2024-01-31T18:29:59Z", "Asia/Kolkata", "2024-01-31"],
    ["2024-01-31T18:30:00Z", "Asia/Kolkata", "2024-02-01"],
  ])("%s in %s is %s", (iso, tz, date) => {
    expect(localDateString(new Date(iso), tz)).toBe(date);
  });
});
