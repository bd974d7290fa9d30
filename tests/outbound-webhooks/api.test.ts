import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { GET as listEvents } from "@/app/api/v1/events/route";
import { GET as getEvent } from "@/app/api/v1/events/[id]/route";
import { POST as resend } from "@/app/api/v1/events/[id]/resend/route";
import { GET as listEndpoints, POST as createEndpoint } from "@/app/api/v1/webhook_endpoints/route";
import { DELETE as deleteEndpoint, GET as getEndpoint, PATCH as patchEndpoint } from "@/app/api/v1/webhook_endpoints/[id]/route";
import { POST as rotate } from "@/app/api/v1/webhook_endpoints/[id]/rotate_secret/route";
import { GET as listDeliveries } from "@/app/api/v1/webhook_endpoints/[id]/deliveries/route";
import { dispatchOutbox, enqueueEvent } from "@/lib/events/outbox";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { newKey } from "../api/support";
import { answer, refusedWith, type Json } from "../usage/support";

describe("events and webhook endpoints API", () => {
  it("creates an endpoint (secret once), lists events by type with cursors, lists deliveries, resends, rotates and deletes", async () => {
    const db = await getDb();
    const { key } = await newKey();
    const created = await answer<Json & { id: string; secret: string }>(createEndpoint, key, 200, { path: "/webhook_endpoints", body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["customer.created"], description: "CRM" } });
    expect(created).toMatchObject({ object: "webhook_endpoint", status: "enabled", livemode: false, enabled_events: ["customer.created"], previous_secret_expires_at: null });
    expect(created.secret).toMatch(/^whsec_/);
    const fetched = await answer<Json>(getEndpoint, key, 200, { method: "GET", path: `/webhook_endpoints/${created.id}`, params: { id: created.id } });
    expect(fetched).not.toHaveProperty("secret");
    expect((await answer<{ data: Json[] }>(listEndpoints, key, 200, { method: "GET", path: "/webhook_endpoints" })).data.map((e) => e.id)).toContain(created.id);

    const at = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await db.transaction((tx) => enqueueEvent(tx, { type: "customer.created", customerId: `cus_api${i}`, payload: { customer: `cus_api${i}` } }, new Date(at.getTime() + i))));
    await db.transaction((tx) => enqueueEvent(tx, { type: "customer.updated", customerId: "cus_api0", payload: { customer: "cus_api0" } }, new Date(at.getTime() + 3)));
    while ((await dispatchOutbox(db, outboxHandler(db))) > 0);

    const page = await answer<{ data: Json[]; has_more: boolean }>(listEvents, key, 200, { method: "GET", path: "/events?type=customer.created&limit=2" });
    expect(page.data.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(page.has_more).toBe(true);
    expect(page.data[0]).toEqual({ id: ids[2], object: "event", type: "customer.created", created: new Date(at.getTime() + 2).toISOString(), livemode: false, data: { object: { customer: "cus_api2" } } });
    const next = await answer<{ data: Json[] }>(listEvents, key, 200, { method: "GET", path: `/events?type=customer.created&starting_after=${ids[1]}` });
    expect(next.data[0]!.id).toBe(ids[0]);
    expect(await answer<Json>(getEvent, key, 200, { method: "GET", path: `/events/${ids[0]}`, params: { id: ids[0]! } })).toMatchObject({ id: ids[0], type: "customer.created" });
    const missing = await refusedWith(getEvent, key, 404, { path: "/events/evt_nothere", params: { id: "evt_nothere" } });
    expect(missing.detail).toContain("evt_nothere");

    const deliveries = await answer<{ data: Json[] }>(listDeliveries, key, 200, { method: "GET", path: `/webhook_endpoints/${created.id}/deliveries`, params: { id: created.id } });
    expect(deliveries.data.map((d) => d.event).sort()).toEqual([...ids].sort());
    expect(deliveries.data[0]).toMatchObject({ object: "webhook_delivery", status: "pending", attempts: 0, endpoint: created.id });

    const resent = await answer<Json>(resend, key, 200, { path: `/events/${ids[0]}/resend`, params: { id: ids[0]! }, body: { endpoint: created.id } });
    expect(resent).toMatchObject({ event: ids[0], status: "pending", attempts: 0 });

    const rotated = await answer<Json & { secret: string }>(rotate, key, 200, { path: `/webhook_endpoints/${created.id}/rotate_secret`, params: { id: created.id } });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.previous_secret_expires_at).not.toBeNull();

    const patched = await answer<Json>(patchEndpoint, key, 200, { method: "PATCH", path: `/webhook_endpoints/${created.id}`, params: { id: created.id }, body: { enabled_events: ["*"], disabled: true } });
    expect(patched).toMatchObject({ enabled_events: ["*"], status: "disabled" });
    expect(await answer<Json>(deleteEndpoint, key, 200, { method: "DELETE", path: `/webhook_endpoints/${created.id}`, params: { id: created.id } })).toEqual({ id: created.id, object: "webhook_endpoint", deleted: true });
    await refusedWith(getEndpoint, key, 404, { path: `/webhook_endpoints/${created.id}`, params: { id: created.id } });
  });

  it("an endpoint of the other mode does not exist for a key: not read, changed, rotated, listed or deleted", async () => {
    const { key: testKey } = await newKey();
    const { key: liveKey } = await newKey(true);
    const live = await answer<Json & { id: string }>(createEndpoint, liveKey, 200, { path: "/webhook_endpoints", body: { url: "https://hooks.example.com/live", enabled_events: ["*"] } });
    expect(live).toMatchObject({ livemode: true });
    const params = { id: live.id };
    for (const [handler, method] of [[getEndpoint, "GET"], [patchEndpoint, "PATCH"], [deleteEndpoint, "DELETE"], [rotate, "POST"], [listDeliveries, "GET"]] as const) {
      const refused = await refusedWith(handler, testKey, 404, { path: `/webhook_endpoints/${live.id}`, params, body: method === "PATCH" ? { disabled: true } : undefined });
      expect(refused.detail, `${method} ${handler.name}`).toContain(live.id);
    }
    expect(await answer<Json>(getEndpoint, liveKey, 200, { method: "GET", path: `/webhook_endpoints/${live.id}`, params })).toMatchObject({ id: live.id, status: "enabled" });
  });
});
