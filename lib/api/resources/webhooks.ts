import { z } from "zod";
import type { WebhookDeliveryRow } from "@/lib/services/webhooks/deliveries";
import type { WebhookEndpointRow } from "@/lib/services/webhooks/endpoints";
import { toEventObject } from "@/lib/webhooks/delivery";
import { timestamp } from "./common";

/** An event: the body of every webhook delivery, and what GET /events lists. */
export const eventResource = z
  .object({
    id: z.string().meta({ example: "evt_3kTzA9bQ2mX7" }),
    object: z.literal("event"),
    type: z.string().meta({ example: "invoice.paid", description: "One of the event types in docs/events.md." }),
    created: timestamp,
    livemode: z.boolean().meta({
      description: "The mode of what caused the event: its customer's (test or live, as the API key that created it), or for an API-cost budget or provider event, theirs. An endpoint hears only events of its own mode.",
    }),
    data: z.object({ object: z.record(z.string(), z.unknown()).meta({ description: "The event's payload (ids as strings, money in minor units)." }) }),
  })
  .meta({ id: "Event" });

/** An event read with its mode (the API lists only the key's mode, so the key's mode is the event's). */
export function toEvent(row: { id: string; type: string; createdAt: Date; payload: unknown }, livemode: boolean): z.input<typeof eventResource> {
  return toEventObject({ ...row, livemode });
}

export const webhookEndpointResource = z
  .object({
    id: z.string(),
    object: z.literal("webhook_endpoint"),
    url: z.string(),
    description: z.string().nullable(),
    enabled_events: z.array(z.string()).meta({ example: ["invoice.paid"], description: '["*"] for every event.' }),
    status: z.enum(["enabled", "disabled"]).meta({ description: "disabled by staff, or by Tally when the endpoint answered 410 Gone." }),
    livemode: z.boolean(),
    created: timestamp,
    secret: z.string().optional().meta({ description: "The signing secret (whsec_…), only in the answer that created or rotated it." }),
    previous_secret_expires_at: timestamp.nullable().meta({ description: "Until then, deliveries are also signed with the secret before the last rotation." }),
  })
  .meta({ id: "WebhookEndpoint" });

export const deletedWebhookEndpointResource = z.object({ id: z.string(), object: z.literal("webhook_endpoint"), deleted: z.literal(true) }).meta({ id: "DeletedWebhookEndpoint" });

export function toWebhookEndpoint(row: WebhookEndpointRow, now: Date, secret?: string): z.input<typeof webhookEndpointResource> {
  const overlap = row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt.toISOString() : null;
  return {
    id: row.id,
    object: "webhook_endpoint",
    url: row.url,
    description: row.description,
    enabled_events: row.enabledEvents,
    status: row.status,
    livemode: row.livemode === "live",
    created: row.createdAt.toISOString(),
    ...(secret ? { secret } : {}),
    previous_secret_expires_at: overlap,
  };
}

export const webhookDeliveryResource = z
  .object({
    id: z.string(),
    object: z.literal("webhook_delivery"),
    endpoint: z.string(),
    event: z.string().meta({ description: "The event id, also the request's webhook-id on every attempt." }),
    event_type: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.number().int().meta({ description: "Attempts in the current round (a resend or replay starts a new one)." }),
    next_attempt_at: timestamp.nullable(),
    last_attempt_at: timestamp.nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    delivered_at: timestamp.nullable(),
    created: timestamp,
  })
  .meta({ id: "WebhookDelivery" });

export function toWebhookDelivery(row: WebhookDeliveryRow): z.input<typeof webhookDeliveryResource> {
  return {
    id: row.id,
    object: "webhook_delivery",
    endpoint: row.endpointId,
    event: row.eventId,
    event_type: row.eventType,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    last_attempt_at: row.lastAttemptAt?.toISOString() ?? null,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
    created: row.createdAt.toISOString(),
  };
}
