import { newRequestId } from "@/lib/api/handler";
import { observeRequest, requestIdFor } from "@/lib/observability/http";
import { acceptStripeWebhook, MAX_WEBHOOK_BODY_BYTES, tooLarge, WEBHOOK_PATH } from "@/lib/payments/webhooks/accept";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Inbound Stripe webhooks through Next (lib/payments/webhooks/accept.ts says what each answer
 * means). With STRIPE_WEBHOOK_PORT set, the same handler also listens on a plain node:http port of
 * its own, outside Next's request pipeline (lib/payments/webhooks/listener.ts).
 */
export async function POST(req: Request): Promise<Response> {
  const requestId = requestIdFor(req.headers, newRequestId);
  return observeRequest(req.method, WEBHOOK_PATH, requestId, async () => {
    if (Number(req.headers.get("content-length") ?? 0) > MAX_WEBHOOK_BODY_BYTES) return toResponse(tooLarge(requestId));
    return toResponse(await acceptStripeWebhook(await req.text(), req.headers.get("stripe-signature"), requestId));
  });
}

function toResponse(answer: { status: number; headers: Record<string, string>; body: string }): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
