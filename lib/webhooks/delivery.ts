import { Webhook } from "standardwebhooks";

/**
 * The pure rules of outbound webhook delivery (decision 036): which endpoints hear an event, when a
 * failed attempt is tried again, how a request is signed and what the delivery log keeps.
 */

/** Waits after attempts 1…9 (Standard Webhooks' example schedule): about three days in all, then the delivery fails. */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 14 * 3_600_000, 20 * 3_600_000, 24 * 3_600_000] as const;

/** Attempts in one round: the first and one per retry delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** ±20% jitter, so endpoints that failed together do not all come back at the same instant. */
export const JITTER = 0.2;

/**
 * When attempt `attempts + 1` is due after attempt `attempts` (1-based) failed at `at`; null once the
 * round is spent. `random` in [0, 1) picks the jitter.
 */
export function nextAttemptAt(attempts: number, at: Date, random: number): Date | null {
  const base = RETRY_DELAYS_MS[attempts - 1];
  if (base === undefined) return null;
  const factor = 1 - JITTER + 2 * JITTER * random;
  return new Date(at.getTime() + Math.round(base * factor));
}

/** An endpoint hears an event when it lists its type or "*". */
export function endpointWants(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.includes("*") || enabledEvents.includes(type);
}

/** What the delivery log keeps of a request or response body. */
export const EXCERPT_CHARS = 2_048;

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** The secrets that sign a delivery at `at`: the current one and, during the overlap after a rotation, the previous one. */
export function signingSecrets(endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }, at: Date): string[] {
  const previous = endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > at ? [endpoint.previousSecret] : [];
  return [endpoint.secret, ...previous];
}

/**
 * The Standard Webhooks headers of one request: `webhook-id` (the event id, the same on every
 * attempt), `webhook-timestamp` (Unix seconds at sending) and `webhook-signature` (one `v1,…` per
 * secret, space-separated, so a receiver holding either secret verifies it).
 */
export function signedHeaders(webhookId: string, sentAt: Date, body: string, secrets: readonly string[]): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(webhookId, sentAt, body));
  return {
    "content-type": "application/json",
    "user-agent": "Tally-Webhooks/1",
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}

export type AttemptOutcome = "succeeded" | "failed" | "disabled";

/** Only 2xx is delivered; 410 Gone disables the endpoint; everything else (3xx included, no redirects followed) is retried. */
export function outcomeOf(status: number | null): AttemptOutcome {
  if (status !== null && status >= 200 && status < 300) return "succeeded";
  if (status === 410) return "disabled";
  return "failed";
}

/** The API's Event object (`evt_…`), which is also the body of every delivery. */
export interface EventObject {
  id: string;
  object: "event";
  type: string;
  created: string;
  /** The mode of what caused it: its customer's, or the budget's or provider's (lib/events/livemode.ts). */
  livemode: boolean;
  data: { object: Record<string, unknown> };
}

export function toEventObject(row: { id: string; type: string; createdAt: Date; payload: unknown; livemode: boolean }): EventObject {
  return { id: row.id, object: "event", type: row.type, created: row.createdAt.toISOString(), livemode: row.livemode, data: { object: (row.payload ?? {}) as Record<string, unknown> } };
}
