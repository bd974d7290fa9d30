import { describe, expect, it } from "vitest";
import { abnLookup, combineLookups, disabledTaxIdLookup, viesLookup } from "./lookup";

describe("tax id registry lookups: off by default, offline-safe", () => {
  it("the default answers unavailable and calls no registry", async () => {
    expect(await disabledTaxIdLookup.lookup({ type: "eu_vat", value: "DE136695976" })).toMatchObject({ status: "unavailable" });
    expect(combineLookups([])).toBe(disabledTaxIdLookup);
  });

  it("a configured VIES adapter answers valid or invalid; a transport failure is unavailable, never an error", async () => {
    const calls: string[] = [];
    const vies = viesLookup(async (country, number) => {
      calls.push(`${country}:${number}`);
      if (number === "000000000") throw new Error("timeout");
      return { valid: number === "136695976", name: number === "136695976" ? " Example GmbH " : null };
    });
    expect(await vies.lookup({ type: "eu_vat", value: "DE136695976" })).toEqual({ status: "valid", name: "Example GmbH" });
    expect(await vies.lookup({ type: "eu_vat", value: "DE123456789" })).toEqual({ status: "invalid" });
    expect(await vies.lookup({ type: "eu_vat", value: "DE000000000" })).toMatchObject({ status: "unavailable", reason: /timeout/ });
    expect(calls).toEqual(["DE:136695976", "DE:123456789", "DE:000000000"]);
  });

  it("combined adapters route by type", async () => {
    const lookup = combineLookups([viesLookup(async () => ({ valid: true })), abnLookup(async (abn) => (abn === "51824753556" ? { abnStatus: "Active", entityName: "Tally Pty Ltd" } : { abnStatus: "Cancelled" }))]);
    expect(await lookup.lookup({ type: "au_abn", value: "51824753556" })).toEqual({ status: "valid", name: "Tally Pty Ltd" });
    expect(await lookup.lookup({ type: "au_abn", value: "10000000000" })).toEqual({ status: "invalid" });
    expect(await lookup.lookup({ type: "nz_gst", value: "49091850" })).toMatchObject({ status: "unavailable" });
  });
});
