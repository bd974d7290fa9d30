import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { endpointWants, excerpt, JITTER, MAX_ATTEMPTS, nextAttemptAt, outcomeOf, RETRY_DELAYS_MS, signedHeaders, signingSecrets } from "./delivery";

const secretA = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;
const secretB = `whsec_${Buffer.alloc(32, 2).toString("base64")}`;

describe("outbound webhook rules", () => {
  it("retries with growing, jittered delays for about three days, then stops", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: MAX_ATTEMPTS, maxLength: MAX_ATTEMPTS }), (randoms) => {
        let at = new Date("2026-12-05T00:00:00Z");
        const start = at.getTime();
        let previousDelay = 0;
        for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
          const next = nextAttemptAt(attempt, at, randoms[attempt - 1]!);
          expect(next).not.toBeNull();
          const delay = next!.getTime() - at.getTime();
          const base = RETRY_DELAYS_MS[attempt - 1]!;
          expect(delay).toBeGreaterThanOrEqual(base * (1 - JITTER) - 1);
          expect(delay).toBeLessThanOrEqual(base * (1 + JITTER) + 1);
          expect(delay).toBeGreaterThan(previousDelay * (1 - JITTER) / (1 + JITTER) - 1);
          previousDelay = delay;
          at = next!;
        }
        expect(nextAttemptAt(MAX_ATTEMPTS, at, randoms[0]!)).toBeNull();
        const days = (at.getTime() - start) / 86_400_000;
        expect(days).toBeGreaterThan(2.4);
        expect(days).toBeLessThan(3.8);
      }),
    );
  });

  it("filters by event type, keeps excerpts short and classifies answers", () => {
    expect(endpointWants(["*"], "invoice.paid")).toBe(true);
    expect(endpointWants(["invoice.paid"], "invoice.paid")).toBe(true);
    expect(endpointWants(["invoice.paid"], "customer.created")).toBe(false);
    expect(excerpt("x".repeat(10), 4)).toBe("xxxx… (6 more characters)");
    expect(excerpt("short")).toBe("short");
    expect([200, 204, 301, 410, 500, null].map(outcomeOf)).toEqual(["succeeded", "succeeded", "failed", "disabled", "failed", "failed"]);
  });

  it("signs with both secrets during a rotation's overlap, each verifiable with the library", () => {
    const at = new Date();
    const endpoint = { secret: secretB, previousSecret: secretA, previousSecretExpiresAt: new Date(at.getTime() + 60_000) };
    expect(signingSecrets(endpoint, at)).toEqual([secretB, secretA]);
    expect(signingSecrets(endpoint, new Date(at.getTime() + 60_000))).toEqual([secretB]);
    const body = JSON.stringify({ id: "evt_1", type: "invoice.paid" });
    const headers = signedHeaders("evt_1", at, body, signingSecrets(endpoint, at));
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const secret of [secretA, secretB]) expect(new Webhook(secret).verify(body, headers)).toMatchObject({ id: "evt_1" });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 3).toString("base64")}`).verify(body, headers)).toThrow();
  });
});
