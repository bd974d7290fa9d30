import { describe, expect, it } from "vitest";
import { bucketStarts, MAX_USAGE_BUCKETS } from "./buckets";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe("bucketStarts", () => {
  it("starts at from, then each UTC day or month boundary before to", () => {
    expect(iso(bucketStarts(new Date("2027-01-30T12:00:00Z"), new Date("2027-02-02T00:00:00Z"), "day"))).toEqual([
      "2027-01-30T12:00:00.000Z",
      "2027-01-31T00:00:00.000Z",
      "2027-02-01T00:00:00.000Z",
    ]);
    expect(iso(bucketStarts(new Date("2027-01-31T00:00:00Z"), new Date("2027-03-01T00:00:01Z"), "month"))).toEqual([
      "2027-01-31T00:00:00.000Z",
      "2027-02-01T00:00:00.000Z",
      "2027-03-01T00:00:00.000Z",
    ]);
    expect(iso(bucketStarts(new Date("2028-02-28T00:00:00Z"), new Date("2028-03-01T00:00:00Z"), "day"))).toHaveLength(2);
  });

  it("refuses an empty or backwards range and one with too many buckets", () => {
    const t = new Date("2027-01-01T00:00:00Z");
    expect(() => bucketStarts(t, t, "day")).toThrowError(expect.objectContaining({ code: "out_of_range", param: "to" }));
    const far = new Date(t.getTime() + MAX_USAGE_BUCKETS * 86_400_000);
    expect(bucketStarts(t, far, "day")).toHaveLength(MAX_USAGE_BUCKETS);
    expect(() => bucketStarts(t, new Date(far.getTime() + 1), "day")).toThrowError(expect.objectContaining({ code: "out_of_range" }));
  });
});
