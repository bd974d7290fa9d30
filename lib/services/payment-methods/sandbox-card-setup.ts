import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/auth/secret";
import { testCardByToken } from "@/lib/payments/sandbox/test-cards";

/**
 * The sandbox's stand-in for confirming a SetupIntent. With Stripe, the Payment Element confirms
 * the SetupIntent in the browser: a card the bank refuses fails there (4000 0000 0000 0002), a card
 * that needs authentication shows the bank's step (4000 0025 0000 3155), and Tally only ever
 * receives a card that was set up. The sandbox has no browser step, so the portal's add-card flow
 * asks this module what Stripe would have answered for the test card:
 * - a card that declines charges is declined at setup, with the bank's words;
 * - a card that asks for authentication (at setup, or always) needs the sandbox's confirm step;
 * - every other test card (4242, …0341 which attaches and fails later, …) is set up.
 */
export type SandboxSetupAnswer = { kind: "succeeds" } | { kind: "declined"; message: string } | { kind: "requires_authentication" };

export function sandboxSetupAnswer(token: string): SandboxSetupAnswer {
  const card = testCardByToken(token);
  // Unknown tokens are refused by the sandbox gateway itself, with its own message.
  if (!card) return { kind: "succeeds" };
  switch (card.behavior.kind) {
    case "declines":
      return { kind: "declined", message: card.behavior.message };
    case "auth_on_setup":
    case "auth_always":
      return { kind: "requires_authentication" };
    default:
      return { kind: "succeeds" };
  }
}

/** How long the sandbox's confirm step stays open. */
export const SETUP_CONFIRMATION_TTL_MS = 15 * 60_000;

function key(): Buffer {
  // Its own label: a signature made here can never be replayed as a payment-confirm link or a session.
  return createHmac("sha256", authSecret()).update("tally/sandbox-card-setup/v1").digest();
}

function sign(body: string): string {
  return createHmac("sha256", key()).update(body).digest("base64url");
}

/**
 * Proof that this customer was shown the confirm step for this card: the confirm button sends it
 * back, so the card is saved only after "authentication", for the customer it was issued to.
 */
export function issueSetupConfirmation(customerId: string, token: string, now: Date): string {
  const expires = Math.floor((now.getTime() + SETUP_CONFIRMATION_TTL_MS) / 1000);
  const body = Buffer.from(JSON.stringify([customerId, token, expires])).toString("base64url");
  return `${body}.${sign(body)}`;
}

export function checkSetupConfirmation(confirmation: string, customerId: string, token: string, now: Date): "ok" | "expired" | "invalid" {
  const [body, signature, extra] = confirmation.split(".");
  if (!body || !signature || extra !== undefined || confirmation.length > 1024) return "invalid";
  const expected = Buffer.from(sign(body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return "invalid";
  }
  if (!Array.isArray(parsed) || parsed[0] !== customerId || parsed[1] !== token || typeof parsed[2] !== "number") return "invalid";
  return parsed[2] * 1000 > now.getTime() ? "ok" : "expired";
}
