import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import { pgPoolOf, queryRows, type Db } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import type { ServiceContext } from "@/lib/services/context";
import { webhookHandlers } from "./registry";
import { MalformedEvent, type WebhookEvent } from "./types";
import { log } from "@/lib/observability/logger";

export type ReceiveOutcome =
  | { status: "processed" }
  /** Already processed: a redelivery, or a concurrent delivery that finished first. */
  | { status: "duplicate" }
  /** Processed, but it changed nothing (no handler for the type, no matching payment, …); the note is kept on the event row. */
  | { status: "ignored"; note: string };

/**
 * What recording a delivery found: a new row, a row already there but not processed yet (a
 * concurrent delivery still at work, or an earlier attempt that failed), or a processed row.
 */
export type RecordOutcome = "new" | "unprocessed" | "duplicate";

/** The sweeper stops retrying an event after this many attempts; the error stays on the row for staff. */
export const MAX_ATTEMPTS = 10;
/** Rows younger than this are left to the delivery that recorded them (its after-response run). */
export const SWEEP_GRACE_MS = 10_000;
const SWEEP_BATCH = 50;

/**
 * Take one verified event exactly once, awaited: record it, then process it. The sandbox's
 * synthesized disputes and tests call this; the route records, answers, and processes after the
 * response (`recordStripeEvent` + `processStripeEvent`).
 *
 * 1. Record `event.id` first (`insert … on conflict do nothing`). A row whose `processed_at` is
 *    set is a duplicate: acknowledged, nothing else.
 * 2–4. `processStripeEvent`.
 */
export async function receiveStripeEvent(db: Db, event: WebhookEvent, opts: { now?: Date; requestId?: string } = {}): Promise<ReceiveOutcome> {
  const recorded = await recordStripeEvent(db, event, opts);
  if (recorded === "duplicate") return { status: "duplicate" };
  return processStripeEvent(db, event.id, opts);
}

/**
 * Step 1: record the delivery in one statement and one round trip: insert the row unless its id is
 * there (`on conflict do nothing`), and in the same statement read whether an existing row is
 * processed. No other read. `raw` is the body as Stripe signed it, stored as the payload (jsonb)
 * without re-serializing the parsed event; without it (an event Tally synthesized) the event is
 * serialized.
 *
 * On PostgreSQL (the pool behind `db`) it is a named prepared statement: parsed and planned once
 * per connection. Elsewhere (PGlite, a transaction handle) the same statement goes through drizzle.
 * A row inserted by a concurrent delivery that has not committed yet makes the insert wait for it;
 * the read then does not see that row (the statement's snapshot), so this delivery answers
 * "unprocessed" and its run finds the row processed or processes it — exactly-once either way.
 */
export async function recordStripeEvent(db: Db, event: WebhookEvent, opts: { now?: Date; raw?: string } = {}): Promise<RecordOutcome> {
  const payload = opts.raw ?? JSON.stringify(event);
  const receivedAt = (opts.now ?? new Date()).toISOString();
  const pool = pgPoolOf(db);
  const [row] = pool
    ? (await pool.query<RecordRow>({ name: "tally_record_stripe_event", text: RECORD_SQL, values: [event.id, event.type, event.livemode, payload, receivedAt] })).rows
    : await queryRows<RecordRow>(
        db,
        sql`with inserted as (
          insert into stripe_events (id, type, livemode, payload, created_at)
          values (${event.id}, ${event.type}, ${event.livemode}, ${payload}::jsonb, ${receivedAt}::timestamptz)
          on conflict (id) do nothing
          returning 1
        )
        select exists (select 1 from inserted) as inserted, (select processed_at is not null from stripe_events where id = ${event.id}) as processed`,
      );
  if (row?.inserted) return "new";
  return row?.processed ? "duplicate" : "unprocessed";
}

interface RecordRow {
  inserted: boolean;
  processed: boolean | null;
}

/** The statement of `recordStripeEvent` ($1 id, $2 type, $3 livemode, $4 payload text, $5 received at). */
const RECORD_SQL = `with inserted as (
  insert into stripe_events (id, type, livemode, payload, created_at)
  values ($1, $2, $3, $4::jsonb, $5::timestamptz)
  on conflict (id) do nothing
  returning 1
)
select exists (select 1 from inserted) as inserted, (select processed_at is not null from stripe_events where id = $1) as processed`;

/**
 * Process a recorded event (steps 2–4), from its stored payload. Safe to call any number of times,
 * concurrently: the first to commit processes it, the others answer duplicate.
 *
 * 2. The handler's `load` (gateway re-reads) runs outside any transaction.
 * 3. One transaction: lock the event row (`select … for update` — a concurrent run for the same
 *    id waits here, then sees `processed_at` and answers duplicate), re-check, apply the handler,
 *    set `processed_at` and count the attempt. All of it commits together, or none of it does.
 * 4. A failure rolls the handler's writes back, leaves `processed_at` null with the error on the
 *    row (attempts + 1), and is rethrown. The sweeper (`processPendingStripeEvents`) or a
 *    redelivery runs the handler again — a crashed attempt never turns a retry into a no-op.
 */
export async function processStripeEvent(db: Db, eventId: string, opts: { now?: Date; requestId?: string } = {}): Promise<ReceiveOutcome> {
  const now = opts.now ?? new Date();
  const [stored] = await db.select({ payload: stripeEvents.payload, processedAt: stripeEvents.processedAt }).from(stripeEvents).where(eq(stripeEvents.id, eventId));
  if (!stored) throw new Error(`stripe event ${eventId} is not recorded`);
  if (stored.processedAt) return { status: "duplicate" };
  const event = stored.payload as WebhookEvent;

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
      await tx
        .update(stripeEvents)
        .set({ processedAt: now, error: note ? `ignored: ${note}` : null, attempts: sql`${stripeEvents.attempts} + 1` })
        .where(eq(stripeEvents.id, event.id));
      return note ? ({ status: "ignored", note } as const) : ({ status: "processed" } as const);
    });
  } catch (error) {
    if (error instanceof MalformedEvent) {
      // Retrying cannot fix the payload: record why, and let staff look.
      await db
        .update(stripeEvents)
        .set({ processedAt: now, error: `malformed: ${error.message}`.slice(0, 2000), attempts: sql`${stripeEvents.attempts} + 1` })
        .where(and(eq(stripeEvents.id, event.id), isNull(stripeEvents.processedAt)));
      return { status: "ignored", note: error.message };
    }
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(stripeEvents)
      .set({ error: message.slice(0, 2000), attempts: sql`${stripeEvents.attempts} + 1` })
      .where(and(eq(stripeEvents.id, event.id), isNull(stripeEvents.processedAt)))
      .catch(() => undefined);
    throw error;
  }
}

export interface SweepResult {
  processed: number;
  failed: number;
  /** Events that just used their last attempt: the error stays on the row for staff. */
  gaveUp: string[];
}

/**
 * The sweeper (local-runner job `stripe.events.process`): process recorded events that are still
 * unprocessed — a handler failure, a process that died before its after-response run, a run
 * that never started — oldest first, one at a time, at most `MAX_ATTEMPTS` attempts per event.
 * Rows received in the last `SWEEP_GRACE_MS` are left to their own delivery's run.
 */
export async function processPendingStripeEvents(db: Db, now: Date = new Date()): Promise<SweepResult> {
  const due = await db
    .select({ id: stripeEvents.id, attempts: stripeEvents.attempts })
    .from(stripeEvents)
    .where(and(isNull(stripeEvents.processedAt), lt(stripeEvents.attempts, MAX_ATTEMPTS), lt(stripeEvents.receivedAt, new Date(now.getTime() - SWEEP_GRACE_MS))))
    .orderBy(asc(stripeEvents.receivedAt))
    .limit(SWEEP_BATCH);
  const result: SweepResult = { processed: 0, failed: 0, gaveUp: [] };
  for (const row of due) {
    try {
      await processStripeEvent(db, row.id);
      result.processed += 1;
    } catch (error) {
      result.failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      if (row.attempts + 1 >= MAX_ATTEMPTS) {
        result.gaveUp.push(row.id);
        log.error({ stripe_event_id: row.id, attempts: MAX_ATTEMPTS, error: message }, `stripe event failed ${MAX_ATTEMPTS} times; left for staff (stripe_events.error)`);
      } else {
        log.warn({ stripe_event_id: row.id, attempt: row.attempts + 1, error: message }, `stripe event failed (attempt ${row.attempts + 1} of ${MAX_ATTEMPTS})`);
      }
    }
  }
  return result;
}
