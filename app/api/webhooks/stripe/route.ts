import { getDb } from "@/db/client";
import { newRequestId } from "@/lib/api/handler";
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from "@/lib/api/problem";
import { env } from "@/lib/env";
import { receiveStripeEvent } from "@/lib/payments/webhooks/receive";
import { verifyStripeSignature } from "@/lib/payments/webhooks/verify";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Stripe's events are a few kilobytes; anything near this is not one. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * Inbound Stripe webhooks: verify the signature on the raw body, then take the event exactly once
 * (lib/payments/webhooks/receive.ts). 200 for processed, duplicate and ignored events; 400 for a
 * delivery that does not verify (nothing written); 500 when a handler failed, so Stripe retries.
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
  try {
    const outcome = await receiveStripeEvent(await getDb(), event, { requestId });
    return Response.json({ received: true, event: event.id, ...outcome }, { headers: { "request-id": requestId, "cache-control": "no-store" } });
  } catch (error) {
    console.error(`[tally] stripe webhook ${event.id} (${event.type}) failed; Stripe will retry:`, error instanceof Error ? error.message : error);
    return problem(500, "internal", `The event was not processed; it will be on Stripe's next delivery. Quote ${requestId} to support.`, requestId);
  }
}

const TITLES = { 400: "Invalid request", 413: "Payload too large", 500: "Internal error", 503: "Service unavailable" } as const;

/** A plain problem+json (no internals: the detail is always our own words). */
function problem(status: keyof typeof TITLES, code: string, detail: string, requestId: string): Response {
  const body = { type: PROBLEM_TYPE_BASE + code, title: TITLES[status], status, code, detail, request_id: requestId };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": PROBLEM_CONTENT_TYPE, "request-id": requestId, "cache-control": "no-store" } });
}
