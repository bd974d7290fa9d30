import { describe, expect, it } from "vitest";
import { describeUsageDay } from "@/lib/audit/describe";
import { summarize } from "./summaries";
import { meterFiltersLabel, meterMeasures } from "./terms";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

describe("meter confirmations", () => {
  it("a new code says what it measures; an existing one says the new version applies to new periods", () => {
    expect(summarize("meter", { code: "api_calls", name: "API calls", aggregation: "count" }, {}, fmt)).toBe(
      "API calls (api_calls) will measure the number of events for each customer. Events reported with meter “api_calls” are checked against it from now on.",
    );
    expect(summarize("meter", { code: "tokens", name: "Tokens", aggregation: "sum", property: "tokens", filters: "region = au" }, { meterVersions: { tokens: 2 } }, fmt)).toBe(
      "This makes version 3 the current definition of tokens: the sum of tokens counting only events that pass its filters. New events are checked against it and new periods are measured by it; periods that are already open keep being measured by version 2 until they end. Nothing already stored changes.",
    );
  });

  it("cannot describe a form without a name, or a sum without its property: the server says what to fix", () => {
    expect(summarize("meter", { code: "x", name: "", aggregation: "count" }, {}, fmt)).toBeNull();
    expect(summarize("meter", { code: "x", name: "X", aggregation: "sum", property: " " }, {}, fmt)).toBeNull();
  });

  it("terms", () => {
    expect(meterMeasures({ aggregation: "unique_count", valueProperty: null, uniqueProperty: "user" })).toBe("the number of distinct user values");
    expect(meterFiltersLabel({})).toBe("None");
    expect(meterFiltersLabel({ region: ["au", "nz"], tier: ["2"] })).toBe("region: au, nz · tier: 2");
  });
});

describe("usage wording", () => {
  it("groups usage quantities without touching their decimals", () => {
    expect(fmt.usage("1234567.0015")).toBe("1,234,567.0015");
    expect(fmt.usage("999")).toBe("999");
    expect(fmt.usage("0")).toBe("0");
  });

  it("a day of usage in the timeline", () => {
    const day = { code: "tokens", name: "Tokens", aggregation: "sum", day: "2027-03-08", events: 1234, late: 2, value: "56789.5" };
    expect(describeUsageDay(day, fmt)).toMatch(/^Usage of Tokens on 8 Mar(ch)? 2027: 56,789.5 \(sum of 1,234 events, 2 late\)$/);
    expect(describeUsageDay({ ...day, aggregation: "count", events: 1, late: 0, value: "1" }, fmt)).toMatch(/: 1 event$/);
  });
});

describe("rebilling confirmation", () => {
  it("says what switching it on does, or leaves a form it cannot describe to the server", () => {
    expect(summarize("rebill", { meter: "passthrough", markup_percent: "12.5", currency: "aud" }, { providerName: "OpenAI" }, fmt)).toBe(
      "From now on, each OpenAI cost attributed to a customer also feeds the meter passthrough with the cost plus 12.5%, in AUD (costs in other currencies at their day's exchange rate), and is billed through the customer's metered price. Costs already recorded are not rebilled.",
    );
    expect(summarize("rebill", { meter: "passthrough", markup_percent: "", currency: "aud" }, {}, fmt)).toContain("plus 0%");
    expect(summarize("rebill", { meter: "", markup_percent: "20", currency: "aud" }, {}, fmt)).toBeNull();
    expect(summarize("rebill", { meter: "m", markup_percent: "1.234", currency: "aud" }, {}, fmt)).toBeNull();
    expect(summarize("rebill", { meter: "m", markup_percent: "20", currency: "dollars" }, {}, fmt)).toBeNull();
  });
});
