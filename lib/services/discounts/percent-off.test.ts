import { describe, expect, it } from "vitest";
import { bpsToPercent, percentOffToBps } from "./percent-off";

describe("percent_off ↔ basis points", () => {
  it.each([
    [25.5, 2550],
    [25.55, 2555],
    [0.29, 29],
    [33.33, 3333],
    [99.99, 9999],
    [0.01, 1],
    [100, 10_000],
  ])("%s%% is %s bps and reads back as written", (percent, bps) => {
    expect(percentOffToBps(percent)).toBe(bps);
    expect(bpsToPercent(bps)).toBe(percent);
    expect(JSON.stringify(bpsToPercent(bps))).toBe(String(percent));
  });

  it.each([
    [150, "out_of_range"],
    [0, "out_of_range"],
    [-1, "out_of_range"],
    [Number.NaN, "out_of_range"],
    [Number.POSITIVE_INFINITY, "out_of_range"],
    [25.555, "validation_failed"],
    [1e-7, "validation_failed"],
  ])("%s is refused with %s naming percent_off", (percent, code) => {
    expect(() => percentOffToBps(percent)).toThrowError(expect.objectContaining({ code, param: "percent_off" }));
  });
});
