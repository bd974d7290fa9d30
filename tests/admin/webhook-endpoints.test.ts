import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, webhookEndpoints } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, rotateWebhookSecret, setWebhookEndpointEnabled } from "@/lib/services/webhooks/endpoints";

describe("outbound webhook endpoints", () => {
  it("validates the URL and events, keeps the secret out of the audit log, rolls it, disables and deletes", async () => {
    const db = await getDb();
    const ctx = { db, actor: systemActor("test"), now: new Date("2026-11-21T00:00:00Z") };
    await expect(createWebhookEndpoint(ctx, { url: "not a url", events: ["*"], livemode: false })).rejects.toMatchObject({ param: "url" });
    await expect(createWebhookEndpoint(ctx, { url: "http://api.example.com/hook", events: ["*"], livemode: true })).rejects.toThrow(/https/);
    await expect(createWebhookEndpoint(ctx, { url: "https://api.example.com/hook", events: ["invoice.pai"], livemode: false })).rejects.toThrow(/Unknown event type: invoice.pai/);
    await expect(createWebhookEndpoint(ctx, { url: "https://api.example.com/hook", events: [], livemode: false })).rejects.toMatchObject({ param: "events" });

    const endpoint = await createWebhookEndpoint(ctx, { url: "https://api.example.com/hook", events: ["invoice.paid", "invoice.paid", "customer.created"], livemode: true });
    expect(endpoint.enabledEvents).toEqual(["customer.created", "invoice.paid"]);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await rotateWebhookSecret(ctx, endpoint.id);
    const [rolled] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(rolled!.secret).not.toBe(endpoint.secret);
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, endpoint.id));
    expect(audit.map((a) => a.action)).toEqual(["webhook_endpoint.created", "webhook_endpoint.secret_rotated"]);
    expect(JSON.stringify(audit)).not.toContain("whsec_");

    await setWebhookEndpointEnabled(ctx, endpoint.id, false);
    expect((await listWebhookEndpoints(db))[0]).toMatchObject({ status: "disabled" });
    await deleteWebhookEndpoint(ctx, endpoint.id);
    expect(await listWebhookEndpoints(db)).toEqual([]);
    await expect(setWebhookEndpointEnabled(ctx, endpoint.id, true)).rejects.toMatchObject({ code: "not_found" });
  });
});
