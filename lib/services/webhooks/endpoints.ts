import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { eventCatalog, isEventType } from "@/lib/events/catalog/events";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;

/** A Standard Webhooks secret: whsec_ and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

function checkUrl(raw: string, livemode: boolean): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError("validation_failed", { param: "url", userMessage: "Enter the full URL, e.g. https://api.example.com/webhooks/tally." });
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && (!livemode || local))) {
    throw new AppError("validation_failed", { param: "url", userMessage: "Live endpoints must use https://." });
  }
  if (url.username || url.password) throw new AppError("validation_failed", { param: "url", userMessage: "Put credentials in your endpoint's check of the signature, not in the URL." });
  return url.toString();
}

function checkEvents(events: string[]): string[] {
  if (events.length === 0) throw new AppError("validation_failed", { param: "events", userMessage: "Choose at least one event, or all events." });
  if (events.includes("*")) return ["*"];
  const unknown = events.filter((e) => !isEventType(e) || !eventCatalog[e].webhook);
  if (unknown.length) throw new AppError("validation_failed", { param: "events", userMessage: `Unknown event type: ${unknown.join(", ")}.` });
  return [...new Set(events)].sort();
}

export async function createWebhookEndpoint(
  ctx: ServiceContext,
  input: { url: string; description?: string | null; events: string[]; livemode: boolean },
): Promise<WebhookEndpointRow> {
  const url = checkUrl(input.url, input.livemode);
  const enabledEvents = checkEvents(input.events);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ id: newId("webhookEndpoint"), url, description: input.description?.trim() || null, enabledEvents, secret: newWebhookSecret(), livemode: input.livemode ? "live" : "test", createdAt: ctx.now })
      .returning();
    if (!row) throw new Error("webhook endpoint insert returned nothing");
    await recordAudit(tx, ctx.actor, { action: "webhook_endpoint.created", entityType: "webhook_endpoint", entityId: row.id, after: { url, enabledEvents, livemode: row.livemode } }, ctx.now, ctx.requestId);
    return row;
  });
}

async function lockEndpoint(tx: Executor, id: string): Promise<WebhookEndpointRow> {
  const [row] = await tx.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt))).for("update");
  if (!row) throw new AppError("not_found", { userMessage: "No such webhook endpoint." });
  return row;
}

export async function setWebhookEndpointEnabled(ctx: ServiceContext, id: string, enabled: boolean): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, id);
    const status = enabled ? "enabled" : "disabled";
    if (row.status === status) return;
    await tx.update(webhookEndpoints).set({ status, disabledAt: enabled ? null : ctx.now }).where(eq(webhookEndpoints.id, id));
    await recordAudit(tx, ctx.actor, { action: `webhook_endpoint.${status}`, entityType: "webhook_endpoint", entityId: id, before: { status: row.status }, after: { status } }, ctx.now, ctx.requestId);
  });
}

/** A new secret replaces the old one at once; the audit log records that it changed, never its value. */
export async function rollWebhookSecret(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockEndpoint(tx, id);
    await tx.update(webhookEndpoints).set({ secret: newWebhookSecret() }).where(eq(webhookEndpoints.id, id));
    await recordAudit(tx, ctx.actor, { action: "webhook_endpoint.secret_rolled", entityType: "webhook_endpoint", entityId: id }, ctx.now, ctx.requestId);
  });
}

export async function deleteWebhookEndpoint(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, id);
    await tx.update(webhookEndpoints).set({ deletedAt: ctx.now, status: "disabled", disabledAt: row.disabledAt ?? ctx.now }).where(eq(webhookEndpoints.id, id));
    await recordAudit(tx, ctx.actor, { action: "webhook_endpoint.deleted", entityType: "webhook_endpoint", entityId: id, before: { url: row.url, status: row.status } }, ctx.now, ctx.requestId);
  });
}

export async function listWebhookEndpoints(tx: Executor): Promise<WebhookEndpointRow[]> {
  return tx.select().from(webhookEndpoints).where(isNull(webhookEndpoints.deletedAt)).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}
