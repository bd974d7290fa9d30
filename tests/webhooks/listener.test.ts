import type { AddressInfo } from "node:net";
import type http from "node:http";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { startStripeWebhookListener } from "@/lib/payments/webhooks/listener";
import { eventRow, SECRET, stripeEvent, waitForProcessed } from "./support";

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = await startStripeWebhookListener(0, "127.0.0.1");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function deliver(body: string, init: { header?: string; path?: string; method?: string } = {}) {
  const signature = init.header ?? Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
  return fetch(`${base}${init.path ?? "/api/webhooks/stripe"}`, { method: init.method ?? "POST", headers: { "stripe-signature": signature, "content-type": "application/json" }, body: init.method === "GET" ? undefined : body });
}

describe("the dedicated Stripe webhook listener (STRIPE_WEBHOOK_PORT)", () => {
  it("answers like the route: accepted, then duplicate once processed; the event is recorded and processed once", async () => {
    const event = stripeEvent({ type: "customer.updated", object: { id: "cus_listener", object: "customer", name: "Lis Tener" } });
    const body = JSON.stringify(event);
    const first = await deliver(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: true, event: event.id, status: "accepted" });
    await waitForProcessed(event.id);
    const again = await deliver(body);
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    const row = await eventRow(await getDb(), event.id);
    expect(row?.payload).toEqual(JSON.parse(body));
  });

  it("refuses what does not verify, other paths and methods, and bodies no event has", async () => {
    const event = stripeEvent({ type: "customer.updated", object: { id: "cus_bad", object: "customer" } });
    const body = JSON.stringify(event);
    const forged = await deliver(body, { header: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_wrong" }) });
    expect(forged.status).toBe(400);
    expect(forged.headers.get("content-type")).toContain("application/problem+json");
    expect(await eventRow(await getDb(), event.id)).toBeUndefined();
    expect((await deliver(body, { path: "/api/v1/customers" })).status).toBe(404);
    expect((await deliver(body, { method: "GET" })).status).toBe(405);
    expect((await deliver("x".repeat(1_000_001))).status).toBe(413);
  });
});
