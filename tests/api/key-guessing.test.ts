import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddressHeaderValue } from "@/lib/http/client-address";
import { call, getThings, newKey, problemOf } from "./support";

describe("API-key guessing (S4)", () => {
  it("answers 429 to an address after 20 bad keys a minute, while a valid key from elsewhere still works", async () => {
    const guesser = { [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue("203.0.113.9") };
    for (let i = 0; i < 20; i++) {
      const res = await call(getThings, { method: "GET", key: `tk_test_guess${i}`, headers: guesser });
      expect(res.status).toBe(401);
    }
    const blocked = await call(getThings, { method: "GET", key: "tk_test_guess_more", headers: guesser });
    expect(blocked.status).toBe(429);
    expect((await problemOf(blocked)).code).toBe("rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);

    const { key } = await newKey();
    const elsewhere = await call(getThings, { method: "GET", key, headers: { [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue("198.51.100.7") } });
    expect(elsewhere.status).toBe(200);
  });
});
