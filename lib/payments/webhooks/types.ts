import type { Db } from "@/db/client";
import type { ServiceContext } from "@/lib/services/context";

/**
 * The part of a Stripe event Tally reads. `Stripe.Event` (from `constructEvent`) satisfies it, and
 * so does an event the sandbox synthesizes (lib/payments/webhooks/sandbox-events.ts).
 */
export interface WebhookEvent {
  id: string;
  type: string;
  /** Unix seconds, when Stripe created the event: orders events about one object. */
  created: number;
  livemode: boolean;
  data: { object: unknown; previous_attributes?: unknown };
}

/** What a handler did: nothing to say, or why the event changed nothing (recorded on the event row). */
export type HandlerOutcome = void | { ignored: string };

/**
 * One per event type (lib/payments/webhooks/handlers/*). `load` does the I/O — re-reading the
 * gateway when order matters — before any transaction is open, so a slow gateway never holds a row
 * lock and an embedded PGlite (one connection) never waits on itself. `apply` writes inside the
 * event's transaction; `ctx.db` is that transaction and the actor is `{ type: "webhook", id: event.id }`.
 */
export interface WebhookHandler<L = unknown> {
  load?: (db: Db, event: WebhookEvent) => Promise<L>;
  apply: (ctx: ServiceContext, event: WebhookEvent, loaded: L) => Promise<HandlerOutcome>;
}

/** Erase the loaded type so handlers of different shapes share one registry. */
export function defineHandler<L>(handler: WebhookHandler<L>): WebhookHandler {
  return handler as WebhookHandler;
}

/** The payload is not the object its event type promises: retrying cannot help, so it is recorded and acknowledged. */
export class MalformedEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedEvent";
  }
}
