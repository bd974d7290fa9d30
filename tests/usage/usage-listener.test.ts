import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type http from "node:http";
import { createUsageEventsServer } from "@/lib/api/usage-listener";
import { randomToken } from "@/lib/ids";
import { newKey } from "../api/support";
import { makeApiCustomer, makeMeter, type Json } from "./support";

// The dedicated usage listener (USAGE_EVENTS_PORT) over real HTTP: the same pipeline as the Next
// route, read straight from node:http.

let server: http.Server;
let base: string;
let key: string;
let customer: Json;
let meter: Json & { code: string };

beforeAll(async () => {
  ({ key } = await newKey());
  customer = await makeApiCustomer(key);
  meter = await makeMeter(key, { aggregation: "sum", value_property: "tokens" });
  server = createUsageEventsServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", body, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers } });

describe("the usage listener", () => {
  it("stores an event (201), answers its retry with it (200), and echoes a sane request id", async () => {
    const body = JSON.stringify({ identifier: `lst-${randomToken(8)}`, meter: meter.code, customer: customer.id, properties: { tokens: 7 } });
    const first = await post("/api/v1/usage_events", body, { "x-request-id": "client-req-1" });
    expect(first.status).toBe(201);
    expect(first.headers.get("request-id")).toBe("client-req-1");
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    const event = (await first.json()) as Json;
    expect(event).toMatchObject({ object: "usage_event", customer: customer.id, meter: meter.code, properties: { tokens: 7 } });
    const again = await post("/api/v1/usage_events", body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(event);
  });

  it("takes batches, with per-event rejections", async () => {
    const events = [
      { identifier: `lst-${randomToken(8)}`, meter: meter.code, customer: customer.id, properties: { tokens: 1 } },
      { identifier: `lst-${randomToken(8)}`, meter: "no_such_meter", customer: customer.id, properties: { tokens: 1 } },
    ];
    const res = await post("/api/v1/usage_events/batch", JSON.stringify({ events }));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [{ index: 1, code: "meter_unknown" }] });
  });

  it("refuses what the API refuses, as problem+json: no key, bad JSON, bad UTF-8, too large, another path", async () => {
    const problem = async (res: Response) => ({ ...((await res.json()) as { code: string }), status: res.status, contentType: res.headers.get("content-type") });
    const noKey = await fetch(`${base}/api/v1/usage_events`, { method: "POST", body: "{}" });
    expect(await problem(noKey)).toMatchObject({ status: 401, contentType: "application/problem+json", code: "unauthenticated" });
    expect(await problem(await post("/api/v1/usage_events", "{not json"))).toMatchObject({ status: 400, code: "invalid_json" });
    expect(await problem(await post("/api/v1/usage_events", new Uint8Array([0x7b, 0xff, 0x7d])))).toMatchObject({ status: 400, code: "invalid_json" });
    const huge = new Uint8Array(1024 * 1024 + 10).fill(0x20);
    expect(await problem(await post("/api/v1/usage_events", huge))).toMatchObject({ status: 413, code: "payload_too_large" });
    const other = await post("/api/v1/customers", "{}");
    expect(await problem(other)).toMatchObject({ status: 404, code: "not_found", detail: expect.stringContaining("POST /api/v1/usage_events") });
  });
});
