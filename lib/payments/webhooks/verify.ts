import Stripe from "stripe";
import type { WebhookEvent } from "./types";

/** Stripe's default, and the most a delivery's signed timestamp may differ from our clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type Verified = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

/**
 * Check the `Stripe-Signature` header against the raw body with the real SDK (HMAC-SHA256 over
 * `timestamp.body`, constant-time compare, 300 s tolerance). The reason is safe to log: it never
 * contains the secret, the header or the body.
 */
export function verifyStripeSignature(rawBody: string, signature: string | null, secret: string): Verified {
  if (!signature) return { ok: false, reason: "no Stripe-Signature header" };
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) return { ok: false, reason: firstSentence(error.message) };
    return { ok: false, reason: "the signed body is not JSON" };
  }
  if (!isEvent(event)) return { ok: false, reason: "the signed body is not a Stripe event" };
  return { ok: true, event };
}

function isEvent(value: unknown): value is WebhookEvent {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const data = v.data as Record<string, unknown> | null | undefined;
  return (
    typeof v.id === "string" &&
    v.id.length > 0 &&
    v.id.length <= 255 &&
    typeof v.type === "string" &&
    typeof v.created === "number" &&
    typeof v.livemode === "boolean" &&
    typeof data === "object" &&
    data !== null &&
    "object" in data
  );
}

function firstSentence(message: string): string {
  const line = message.split("\n")[0]?.trim() ?? "";
  const end = line.indexOf(". ");
  return (end > 0 ? line.slice(0, end + 1) : line).slice(0, 200) || "signature verification failed";
}
