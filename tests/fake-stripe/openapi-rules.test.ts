import { describe, expect, it } from "vitest";
import Stripe from "stripe";
import { checkRequest, matchOperation, stripeDescription } from "./openapi-rules";
import { startFakeStripe } from "./server";

describe("the fake Stripe checks each request against Stripe's published description (operations.json)", () => {
  it("loads Stripe's operations from ../shared beside the checkout", () => {
    expect(stripeDescription().all_operations.length).toBeGreaterThan(400);
    expect(matchOperation("GET", "/v1/payment_intents/search")?.key).toBe("GET /v1/payment_intents/search");
    expect(matchOperation("GET", "/v1/payment_intents/pi_123")?.key).toBe("GET /v1/payment_intents/{intent}");
    expect(matchOperation("POST", "/v1/payment_methods/pm_1/detach")?.pathParams).toEqual({ payment_method: "pm_1" });
  });

  it("refuses an unknown operation, an unknown parameter, a missing required one, a wrong type or enum, a string too long", () => {
    expect(checkRequest("POST", "/v1/nope", {})).toMatchObject({ status: 404 });
    expect(checkRequest("POST", "/v1/customers", { emial: "a@b.c" })).toMatchObject({ status: 400, code: "parameter_unknown", param: "emial" });
    expect(checkRequest("POST", "/v1/customers", { address: { line9: "x" } })).toMatchObject({ code: "parameter_unknown", param: "address[line9]" });
    expect(checkRequest("POST", "/v1/payment_intents", { currency: "aud" })).toMatchObject({ code: "parameter_missing", param: "amount" });
    expect(checkRequest("POST", "/v1/payment_intents", { amount: "12.5", currency: "aud" })).toMatchObject({ code: "parameter_invalid_integer", param: "amount" });
    expect(checkRequest("POST", "/v1/payment_intents", { amount: "100", currency: "aud", confirm: "yes" })).toMatchObject({ code: "parameter_invalid_boolean", param: "confirm" });
    expect(checkRequest("POST", "/v1/setup_intents", { usage: "sometimes" })).toMatchObject({ code: "parameter_invalid_enum", param: "usage" });
    expect(checkRequest("POST", "/v1/payment_intents", { amount: "100", currency: "aud", automatic_payment_methods: { allow_redirects: "never" } })).toMatchObject({
      code: "parameter_missing",
      param: "automatic_payment_methods[enabled]",
    });
    expect(checkRequest("POST", "/v1/customers/cus_1", { name: "x".repeat(257) })).toMatchObject({ code: "parameter_invalid_string", param: "name" });
    expect(checkRequest("GET", "/v1/payment_intents/search", {})).toMatchObject({ code: "parameter_missing", param: "query" });
    expect(checkRequest("GET", "/v1/payment_intents/pi_1", { expand: ["latest_charge"], foo: "1" })).toMatchObject({ code: "parameter_unknown", param: "foo" });
    // Stripe's rules allow these.
    expect(checkRequest("POST", "/v1/customers/cus_1", { name: "", email: "", metadata: { tally_customer_id: "cus_x" } })).toBeNull();
    expect(checkRequest("POST", "/v1/customers", { metadata: "" })).toBeNull();
    expect(checkRequest("POST", "/v1/payment_methods/pm_1/detach", {})).toBeNull();
  });

  it("answers a refused request through the real SDK as Stripe does, and records it", async () => {
    const fake = await startFakeStripe();
    try {
      const url = new URL(fake.url);
      const stripe = new Stripe("sk_test_fake", { host: url.hostname, port: Number(url.port), protocol: "http", maxNetworkRetries: 0 });
      const error = await stripe.customers.create({ emial: "x@example.com" } as Stripe.CustomerCreateParams, { idempotencyKey: "k1" }).catch((e: unknown) => e);
      expect(error).toMatchObject({ type: "StripeInvalidRequestError", statusCode: 400, code: "parameter_unknown", param: "emial", message: "Received unknown parameter: emial" });
      expect(fake.violations.map((r) => r.path)).toEqual(["/v1/customers"]);
      expect(fake.customers.size).toBe(0);
    } finally {
      await fake.close();
    }
  });
});
