import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { getDb } from "@/db/client";
import { GET as getEntitlements } from "@/app/api/v1/customers/[id]/entitlements/route";
import { systemActor } from "@/lib/actor";
import { createEntitlementsServer } from "@/lib/api/entitlements-listener";
import { revokeApiKey } from "@/lib/api/keys";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { call, newKey } from "../api/support";
import { makePlan } from "../factories";
import { clockCustomer } from "../scenarios/support";

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = createEntitlementsServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  delete process.env.ENTITLEMENTS_RATE_LIMIT_PER_SECOND;
});

const check = (path: string, key: string | null, method = "GET") => fetch(`${base}${path}`, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });

describe("the entitlements listener (ENTITLEMENTS_PORT)", () => {
  it("answers what the Next route answers, with the same errors, key rules and its own rate budget", async () => {
    const db = await getDb();
    const clock = await clockCustomer(new Date("2027-02-01T00:00:00Z"));
    const { priceId } = await makePlan(db, { code: "listener", unitAmount: 900 });
    await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
    const { id: keyId, key } = await newKey();
    const path = `/api/v1/customers/${clock.customerId}/entitlements`;

    const fast = await check(path, key);
    expect(fast.status).toBe(200);
    expect(fast.headers.get("request-id")).toMatch(/^req_/);
    const viaRoute = await call(getEntitlements, { key, method: "GET", path: `/customers/${clock.customerId}/entitlements`, params: { id: clock.customerId } });
    expect(await fast.json()).toEqual(await viaRoute.json());

    expect((await check(path, null)).status).toBe(401);
    expect((await check("/api/v1/customers/cus_nobody/entitlements", key)).status).toBe(404);
    expect((await check("/api/v1/customers", key)).status).toBe(404);
    expect((await check(path, key, "POST")).status).toBe(404);

    // Its own budget: spending it refuses checks (429 with retry-after) and nothing else.
    process.env.ENTITLEMENTS_RATE_LIMIT_PER_SECOND = "3";
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await check(path, key)).status);
    expect(statuses).toContain(429);
    process.env.ENTITLEMENTS_RATE_LIMIT_PER_SECOND = "1000";

    // A revoked key stops at once, although the fast path caches keys.
    expect((await check(path, key)).status).toBe(200);
    await revokeApiKey(db, keyId, systemActor("test"), new Date());
    expect((await check(path, key)).status).toBe(401);
  });
});
