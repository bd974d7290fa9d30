import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/auth/secret";
import { DAY_MS } from "@/lib/time";

/** How long a confirm link in an email stays usable. */
export const CONFIRM_TOKEN_TTL_MS = 7 * DAY_MS;

const VERSION = "v1";

export type ConfirmTokenCheck =
  | { ok: true; paymentId: string; expiresAt: Date }
  | { ok: false; reason: "malformed" | "forged" | "expired" };

/**
 * The key for confirm links, derived from the auth secret with its own label, so a confirm-link
 * signature can never be replayed as anything else signed with that secret.
 */
function signingKey(): Buffer {
  return createHmac("sha256", authSecret()).update("tally/payment-confirm-link/v1").digest();
}

function sign(body: string): Buffer {
  return createHmac("sha256", signingKey()).update(`${VERSION}.${body}`).digest();
}

/**
 * A link token for one payment that needs the customer's authentication:
 * `base64url(paymentId.expiresAtSeconds).base64url(hmac)`. The payment is only looked up after
 * the signature checks out, so guessing ids gets nowhere.
 */
export function issueConfirmToken(paymentId: string, now: Date, ttlMs = CONFIRM_TOKEN_TTL_MS): { token: string; expiresAt: Date } {
  const expiresAt = new Date(Math.floor((now.getTime() + ttlMs) / 1000) * 1000);
  const body = Buffer.from(`${paymentId}.${expiresAt.getTime() / 1000}`).toString("base64url");
  return { token: `${body}.${sign(body).toString("base64url")}`, expiresAt };
}

/** Check a token's signature in constant time, then its expiry against `now`. */
export function verifyConfirmToken(token: string, now: Date): ConfirmTokenCheck {
  if (token.length > 512) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1] || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) {
    return { ok: false, reason: "malformed" };
  }
  const [body, signature] = parts as [string, string];
  const expected = sign(body);
  const given = Buffer.from(signature, "base64url");
  // Only the one spelling of the signature: base64url's unused low bits in the last character
  // would otherwise let an altered link (…A → …B) verify.
  if (given.length !== expected.length || given.toString("base64url") !== signature || !timingSafeEqual(given, expected)) return { ok: false, reason: "forged" };
  const match = /^([A-Za-z0-9_]+)\.(\d{1,12})$/.exec(Buffer.from(body, "base64url").toString("utf8"));
  if (!match) return { ok: false, reason: "malformed" };
  const expiresAt = new Date(Number(match[2]) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, paymentId: match[1] ?? "", expiresAt };
}

/** The confirm page's path for a token. */
export function confirmPath(token: string): string {
  return `/pay/${token}`;
}
