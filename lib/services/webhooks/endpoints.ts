import { randomBytes } from "node:crypto";
import { and, desc, eq, gte, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { Actor } from "@/lib/actor";
import { outboxEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { eventCatalog, isEventType } from "@/lib/events/catalog/events";
import { eventLivemode } from "@/lib/events/livemode";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { nudgeSoon } from "@/lib/jobs/enqueue";
import { endpointWants } from "@/lib/webhooks/delivery";
import { requeueDeliveries, type WebhookDeliveryRow } from "./deliveries";
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

/**
 * Whether `viewer` may see the endpoint at all: an API key sees only endpoints of its own mode (a
 * test key cannot read, change, rotate or delete a live endpoint, nor learn that one exists); staff
 * and Tally itself see both.
 */
function visibleTo(row: WebhookEndpointRow, viewer: Actor | undefined): boolean {
  return viewer?.type !== "api_key" || (row.livemode === "live") === viewer.livemode;
}

const noSuchEndpoint = (id: string, param?: string) => new AppError("not_found", { param, userMessage: `No such webhook endpoint: ${id}.` });

/** The endpoint, locked for a change by `actor` (deleted ones and those of another mode are not found). */
async function lockEndpoint(tx: Executor, id: string, actor: Actor): Promise<WebhookEndpointRow> {
  const [row] = await tx.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt))).for("update");
  if (!row || !visibleTo(row, actor)) throw noSuchEndpoint(id);
  return row;
}

/** A new URL, event list or description (audited; the secret is unchanged). */
export async function updateWebhookEndpoint(ctx: ServiceContext, id: string, input: { url?: string; events?: string[]; description?: string | null }): Promise<WebhookEndpointRow> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, id, ctx.actor);
    const set = {
      ...(input.url !== undefined ? { url: checkUrl(input.url, row.livemode === "live") } : {}),
      ...(input.events !== undefined ? { enabledEvents: checkEvents(input.events) } : {}),
      ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
    };
    if (Object.keys(set).length === 0) return row;
    const [updated] = await tx.update(webhookEndpoints).set(set).where(eq(webhookEndpoints.id, id)).returning();
    await recordAudit(tx, ctx.actor, { action: "webhook_endpoint.updated", entityType: "webhook_endpoint", entityId: id, before: { url: row.url, enabledEvents: row.enabledEvents, description: row.description }, after: set }, ctx.now, ctx.requestId);
    return updated!;
  });
}

/** Enable or disable an endpoint (audited when it changes); the endpoint as it now is. */
export async function setWebhookEndpointEnabled(ctx: ServiceContext, id: string, enabled: boolean): Promise<WebhookEndpointRow> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, id, ctx.actor);
    const status = enabled ? "enabled" : "disabled";
    if (row.status === status) return row;
    const [updated] = await tx.update(webhookEndpoints).set({ status, disabledAt: enabled ? null : ctx.now }).where(eq(webhookEndpoints.id, id)).returning();
    await recordAudit(tx, ctx.actor, { action: `webhook_endpoint.${status}`, entityType: "webhook_endpoint", entityId: id, before: { status: row.status }, after: { status } }, ctx.now, ctx.requestId);
    return updated!;
  });
}

/** How long the secret before a rotation keeps signing deliveries beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

/**
 * A new secret signs from now on; the previous one also signs for `overlapMs` (every request carries
 * both signatures) so the receiver can switch without rejecting anything. The new secret is returned
 * once; the audit log records that it changed, never its value.
 */
export async function rotateWebhookSecret(ctx: ServiceContext, id: string, overlapMs = SECRET_OVERLAP_MS): Promise<{ secret: string; previousSecretExpiresAt: Date | null; endpoint: WebhookEndpointRow }> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, id, ctx.actor);
    const secret = newWebhookSecret();
    const previousSecretExpiresAt = overlapMs > 0 ? new Date(ctx.now.getTime() + overlapMs) : null;
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ secret, previousSecret: previousSecretExpiresAt ? row.secret : null, previousSecretExpiresAt })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordAudit(tx, ctx.actor, { action: "webhook_endpoint.secret_rotated", entityType: "webhook_endpoint", entityId: id, after: { previous_secret_expires_at: previousSecretExpiresAt?.toISOString() ?? null } }, ctx.now, ctx.requestId);
    return { secret, previousSecretExpiresAt, endpoint: endpoint! };
  });
}

/** An endpoint as `viewer` sees it (deleted ones, and for an API key those of the other mode, are not found; `param` names the field that gave the id). */
export async function getWebhookEndpoint(tx: Executor, id: string, viewer?: Actor, param?: string): Promise<WebhookEndpointRow> {
  const [row] = await tx.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt)));
  if (!row || !visibleTo(row, viewer)) throw noSuchEndpoint(id, param);
  return row;
}

/** Send one event to an endpoint again now (a new round of attempts, the same webhook-id). Audited. */
export async function resendEvent(ctx: ServiceContext, eventId: string, endpointId: string): Promise<WebhookDeliveryRow> {
  const endpoint = await getWebhookEndpoint(ctx.db, endpointId, ctx.actor, "endpoint");
  const [event] = await ctx.db.select({ id: outboxEvents.id, type: outboxEvents.type, livemode: eventLivemode }).from(outboxEvents).where(eq(outboxEvents.id, eventId));
  // An endpoint hears only events of its own mode (decision 036).
  if (!event || !isEventType(event.type) || !eventCatalog[event.type].webhook || event.livemode !== (endpoint.livemode === "live")) throw new AppError("not_found", { userMessage: `No such event: ${eventId}.` });
  if (!endpointWants(endpoint.enabledEvents, event.type)) throw new AppError("validation_failed", { param: "endpoint", userMessage: `${endpointId} does not listen to ${event.type}.` });
  await requeueDeliveries(ctx.db, endpointId, { eventIds: [eventId] }, "resend", ctx.now);
  await recordAudit(ctx.db, ctx.actor, { action: "webhook_endpoint.event_resent", entityType: "webhook_endpoint", entityId: endpointId, after: { event: eventId } }, ctx.now, ctx.requestId);
  nudgeSoon("webhooks.deliver");
  const [delivery] = await ctx.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.eventId, eventId)));
  if (!delivery) throw new Error(`resend of ${eventId} to ${endpointId} wrote no delivery`);
  return delivery;
}

/** At most this many events per replay: a longer range is replayed in parts. */
export const REPLAY_MAX_EVENTS = 10_000;

/** Send every event of [from, to) the endpoint listens to again (already delivered ones included, with their webhook-ids). Audited. */
export async function replayEvents(ctx: ServiceContext, endpointId: string, from: Date, to: Date): Promise<number> {
  if (!(from < to)) throw new AppError("validation_failed", { param: "to", userMessage: "The end of the range must be after its start." });
  await getWebhookEndpoint(ctx.db, endpointId, ctx.actor);
  const [count] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(outboxEvents).where(and(gte(outboxEvents.createdAt, from), lt(outboxEvents.createdAt, to)));
  if (Number(count?.n ?? 0) > REPLAY_MAX_EVENTS) throw new AppError("validation_failed", { param: "from", userMessage: `More than ${REPLAY_MAX_EVENTS} events in that range: replay a shorter one.` });
  const queued = await requeueDeliveries(ctx.db, endpointId, { from, to }, "replay", ctx.now);
  await recordAudit(ctx.db, ctx.actor, { action: "webhook_endpoint.events_replayed", entityType: "webhook_endpoint", entityId: endpointId, after: { from: from.toISOString(), to: to.toISOString(), deliveries: queued } }, ctx.now, ctx.requestId);
  nudgeSoon("webhooks.deliver");
  return queued;
}

export async function deleteWebhookEndpoint(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, id, ctx.actor);
    await tx.update(webhookEndpoints).set({ deletedAt: ctx.now, status: "disabled", disabledAt: row.disabledAt ?? ctx.now }).where(eq(webhookEndpoints.id, id));
    await recordAudit(tx, ctx.actor, { action: "webhook_endpoint.deleted", entityType: "webhook_endpoint", entityId: id, before: { url: row.url, status: row.status } }, ctx.now, ctx.requestId);
  });
}

export async function listWebhookEndpoints(tx: Executor): Promise<WebhookEndpointRow[]> {
  return tx.select().from(webhookEndpoints).where(isNull(webhookEndpoints.deletedAt)).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}
