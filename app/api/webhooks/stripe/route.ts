import { getDb } from "@/db/client";
import { newRequestId } from "@/lib/api/handler";
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from "@/lib/api/problem";
import { env } from "@/lib/env";
import { dispatchStripeEvent } from "@/lib/payments/webhooks/processing-thread";
import { recordStripeEvent } from "@/lib/payments/webhooks/receive";
import { verifyStripeSignature } from "@/lib/payments/webhooks/verify";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Stripe's events are a few kilobytes; anything near this is not one. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * Inbound Stripe webhooks: verify the signature on the raw body, record the event, answer, and
 * process it off the request. 200 `accepted` for an event
 * recorded (or recorded earlier and not yet processed), 200 `duplicate` for a processed one; 400
 * for a delivery that does not verify (nothing written); 500 only when the event could not be
 * recorded, so Stripe retries. A handler failure after the response is on the event row and the
 * sweeper (`stripe.events.process`) retries it.
 *
 * The accept path is kept minimal (its latency is a target, docs/decisions/009): the signature
 * check, one statement (insert on conflict do nothing, reading in the same statement whether an
 * existing row is processed), the answer. Processing never runs on the request's turn of the event
 * loop: the id goes to the processing thread (lib/payments/webhooks/processing-thread.ts), or to the
 * in-thread queue, which starts only after the response has been handed to the socket.
 */
export async function POST(req: Request): Promise<Response> {
  const requestId = newRequestId();
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) return problem(503, "unavailable", "Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET.", requestId);
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return problem(413, "payload_too_large", "The body is larger than any Stripe event.", requestId);

  const raw = await req.text();
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return problem(413, "payload_too_large", "The body is larger than any Stripe event.", requestId);
  const verified = verifyStripeSignature(raw, req.headers.get("stripe-signature"), secret);
  if (!verified.ok) {
    console.warn(`[tally] stripe webhook refused (${requestId}): ${verified.reason}`);
    return problem(400, "invalid_request", "The Stripe-Signature header does not verify this body.", requestId);
  }

  const { event } = verified;
  const headers = { "request-id": requestId, "cache-control": "no-store" };
  try {
    const db = await getDb();
    const recorded = await recordStripeEvent(db, event, { raw });
    if (recorded === "duplicate") return Response.json({ received: true, event: event.id, status: "duplicate" }, { headers });
    // Recorded and not processed: hand it to processing (the row is what counts; the sweeper backs it up).
    dispatchStripeEvent(db, event.id, { type: event.type, requestId });
    return Response.json({ received: true, event: event.id, status: "accepted" }, { headers });
  } catch (error) {
    console.error(`[tally] stripe webhook ${event.id} (${event.type}) not recorded; Stripe will retry:`, error instanceof Error ? error.message : error);
    return problem(500, "internal", `The event was not recorded; it will be on Stripe's next delivery. Quote ${requestId} to support.`, requestId);
  }
}

const TITLES = { 400: "Invalid request", 413: "Payload too large", 500: "Internal error", 503: "Service unavailable" } as const;

/** A plain problem+json (no internals: the detail is always our own words). */
function problem(status: keyof typeof TITLES, code: string, detail: string, requestId: string): Response {
  const body = { type: PROBLEM_TYPE_BASE + code, title: TITLES[status], status, code, detail, request_id: requestId };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": PROBLEM_CONTENT_TYPE, "request-id": requestId, "cache-control": "no-store" } });
}
