import { describe, expect, it } from "vitest";
import Stripe from "stripe";
import { count } from "drizzle-orm";
import { getDb } from "@/db/client";
import { stripeEvents } from "@/db/schema";

// No STRIPE_WEBHOOK_SECRET in this file's environment (each test file has its own modules).
delete process.env.STRIPE_WEBHOOK_SECRET;
const { POST } = await import("@/app/api/webhooks/stripe/route");

describe("the Stripe webhook endpoint without a signing secret", () => {
  it("answers 503 with a plain problem and writes nothing", async () => {
    const body = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded", created: 1, livemode: false, data: { object: {} } });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_anything" });
    const res = await POST(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers: { "stripe-signature": signature }, body }));
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 503, code: "unavailable", detail: expect.stringContaining("STRIPE_WEBHOOK_SECRET") });
    const [row] = await (await getDb()).select({ n: count() }).from(stripeEvents);
    expect(row?.n).toBe(0);
  });
});
