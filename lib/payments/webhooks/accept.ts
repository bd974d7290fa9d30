import { getDb } from "@/db/client";
import { newRequestId } from "@/lib/api/handler";
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from "@/lib/api/problem";
import { env } from "@/lib/env";
import { enqueueStripeEvent } from "./queue";
import { recordStripeEvent } from "./receive";
import { verifyStripeSignature } from "./verify";
import { errorField, log } from "@/lib/observability/logger";

/** Where Stripe posts: the Next route's path, and the only one the dedicated listener serves. */
export const WEBHOOK_PATH = "/api/webhooks/stripe";

/** Stripe's events are a few kilobytes; anything near this is not one. */
export const MAX_WEBHOOK_BODY_BYTES = 1_000_000;

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One Stripe delivery, from raw body to answer: verify the signature on the raw body, record the
 * event (one statement), queue it for processing after the answer (queue.ts), answer. 200
 * `accepted` for an event recorded (or recorded earlier and not yet processed), 200 `duplicate` for
 * a processed one; 400 for a delivery that does not verify (nothing written); 413 for a body no
 * event has; 500 only when the event could not be recorded, so Stripe retries; 503 unconfigured.
 * Served by the Next route and by the dedicated listener (docs/decisions/009-stripe-webhooks.md).
 */
export async function acceptStripeWebhook(raw: string, signature: string | null, requestId = newRequestId()): Promise<WebhookAnswer> {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) return problem(503, "unavailable", "Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET.", requestId);
  if (Buffer.byteLength(raw) > MAX_WEBHOOK_BODY_BYTES) return tooLarge(requestId);
  const verified = verifyStripeSignature(raw, signature, secret);
  if (!verified.ok) {
    log.warn({ request_id: requestId, reason: verified.reason }, "stripe webhook refused");
    return problem(400, "invalid_request", "The Stripe-Signature header does not verify this body.", requestId);
  }
  const { event } = verified;
  const headers = { "content-type": "application/json", "request-id": requestId, "cache-control": "no-store" };
  try {
    const db = await getDb();
    const recorded = await recordStripeEvent(db, event, { raw });
    if (recorded === "duplicate") return { status: 200, headers, body: JSON.stringify({ received: true, event: event.id, status: "duplicate" }) };
    // Recorded and not processed: queue it (a full queue leaves it to the sweeper; the row is what counts).
    enqueueStripeEvent(db, event.id, { type: event.type, requestId });
    return { status: 200, headers, body: JSON.stringify({ received: true, event: event.id, status: "accepted" }) };
  } catch (error) {
    log.error({ stripe_event_id: event.id, stripe_event_type: event.type, ...errorField(error) }, "stripe webhook not recorded; Stripe will retry");
    return problem(500, "internal", `The event was not recorded; it will be on Stripe's next delivery. Quote ${requestId} to support.`, requestId);
  }
}

export function tooLarge(requestId = newRequestId()): WebhookAnswer {
  return problem(413, "payload_too_large", "The body is larger than any Stripe event.", requestId);
}

const TITLES: Record<number, string> = { 400: "Invalid request", 404: "Not found", 405: "Method not allowed", 413: "Payload too large", 500: "Internal error", 503: "Service unavailable" };

/** A plain problem+json (no internals: the detail is always our own words). */
export function problem(status: number, code: string, detail: string, requestId = newRequestId()): WebhookAnswer {
  const body = { type: PROBLEM_TYPE_BASE + code, title: TITLES[status] ?? "Error", status, code, detail, request_id: requestId };
  return { status, body: JSON.stringify(body), headers: { "content-type": PROBLEM_CONTENT_TYPE, "request-id": requestId, "cache-control": "no-store" } };
}
