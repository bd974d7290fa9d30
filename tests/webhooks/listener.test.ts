import type { AddressInfo } from "node:net";
import type http from "node:http";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { startStripeWebhookListener } from "@/lib/payments/webhooks/listener";
import { logged } from "../setup/logs";
import { eventRow, SECRET, stripeEvent, waitForProcessed } from "./support";

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = await startStripeWebhookListener(0, "127.0.0.1");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function deliver(body: string, init: { header?: string; path?: string; method?: string; requestId?: string } = {}) {
  const signature = init.header ?? Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
  const headers: Record<string, string> = { "stripe-signature": signature, "content-type": "application/json", ...(init.requestId ? { "x-request-id": init.requestId } : {}) };
  return fetch(`${base}${init.path ?? "/api/webhooks/stripe"}`, { method: init.method ?? "POST", headers, body: init.method === "GET" ? undefined : body });
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

  it("observes each delivery as the route does: the caller's request id answered and logged, one request line under the route's path", async () => {
    const event = stripeEvent({ type: "customer.updated", object: { id: "cus_observed", object: "customer" } });
    const body = JSON.stringify(event);
    const accepted = await deliver(body, { requestId: "req_listener_observed" });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get("request-id")).toBe("req_listener_observed");
    const tooBig = await deliver("x".repeat(1_000_001), { requestId: "req_listener_too_big" });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get("request-id")).toBe("req_listener_too_big");
    const lines = logged("info").filter((l) => l.msg === "request");
    expect(lines.find((l) => l.request_id === "req_listener_observed")).toMatchObject({ method: "POST", route: "/api/webhooks/stripe", status: 200 });
    expect(lines.find((l) => l.request_id === "req_listener_too_big")).toMatchObject({ route: "/api/webhooks/stripe", status: 413 });
    await waitForProcessed(event.id);
  });
});
