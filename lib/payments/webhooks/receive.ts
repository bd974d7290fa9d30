import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import type { ServiceContext } from "@/lib/services/context";
import { webhookHandlers } from "./registry";
import { MalformedEvent, type WebhookEvent } from "./types";

export type ReceiveOutcome =
  | { status: "processed" }
  /** Already processed: a redelivery, or a concurrent delivery that finished first. */
  | { status: "duplicate" }
  /** Processed, but it changed nothing (no handler for the type, no matching payment, …); the note is kept on the event row. */
  | { status: "ignored"; note: string };

/**
 * Take one verified event exactly once.
 *
 * 1. Record `event.id` first (`insert … on conflict do nothing`). A row whose `processed_at` is
 *    set is a duplicate: acknowledged, nothing else.
 * 2. The handler's `load` (gateway re-reads) runs outside any transaction.
 * 3. One transaction: lock the event row (`select … for update` — a concurrent delivery of the
 *    same id waits here, then sees `processed_at` and answers duplicate), re-check, apply the
 *    handler, set `processed_at`. All of it commits together, or none of it does.
 * 4. A failure rolls the handler's writes back, leaves `processed_at` null with the error on the
 *    row, and is rethrown (the route answers 500): Stripe's retry finds an unprocessed row and runs
 *    the handler again — a crashed first delivery never turns the retry into a no-op.
 */
export async function receiveStripeEvent(db: Db, event: WebhookEvent, opts: { now?: Date; requestId?: string } = {}): Promise<ReceiveOutcome> {
  const now = opts.now ?? new Date();
  const inserted = await db
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type, livemode: event.livemode, payload: event, receivedAt: now })
    .onConflictDoNothing({ target: stripeEvents.id })
    .returning({ id: stripeEvents.id });
  if (inserted.length === 0) {
    const [row] = await db.select({ processedAt: stripeEvents.processedAt }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
    if (row?.processedAt) return { status: "duplicate" };
  }

  const handler = webhookHandlers[event.type];
  const actor: Actor = { type: "webhook", id: event.id };
  try {
    const loaded = handler?.load ? await handler.load(db, event) : undefined;
    return await db.transaction(async (tx) => {
      const [row] = await tx.select({ processedAt: stripeEvents.processedAt }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).for("update");
      if (!row) throw new Error(`stripe event ${event.id} vanished`);
      if (row.processedAt) return { status: "duplicate" } as const;
      let note: string | null = handler ? null : `no handler for ${event.type}`;
      if (handler) {
        // The transaction is the service context's database: handlers' own transactions become savepoints.
        const ctx: ServiceContext = { db: tx as unknown as Db, actor, now, requestId: opts.requestId };
        const outcome = await handler.apply(ctx, event, loaded);
        if (outcome) note = outcome.ignored;
      }
      await tx.update(stripeEvents).set({ processedAt: now, error: note ? `ignored: ${note}` : null }).where(eq(stripeEvents.id, event.id));
      return note ? ({ status: "ignored", note } as const) : ({ status: "processed" } as const);
    });
  } catch (error) {
    if (error instanceof MalformedEvent) {
      // Retrying cannot fix the payload: record why, acknowledge, and let staff look.
      await db.update(stripeEvents).set({ processedAt: now, error: `malformed: ${error.message}`.slice(0, 2000) }).where(and(eq(stripeEvents.id, event.id), isNull(stripeEvents.processedAt)));
      return { status: "ignored", note: error.message };
    }
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(stripeEvents)
      .set({ error: message.slice(0, 2000) })
      .where(and(eq(stripeEvents.id, event.id), isNull(stripeEvents.processedAt)))
      .catch(() => undefined);
    throw error;
  }
}
