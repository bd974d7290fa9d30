import type { Db } from "@/db/client";
import { processStripeEvent } from "./receive";
import { errorField, log } from "@/lib/observability/logger";

/**
 * The in-process queue between a Stripe delivery's acknowledgement and its processing: the one
 * way an accepted event is processed (accept.ts, behind both the Next route and the
 * STRIPE_WEBHOOK_PORT listener; the sweeper retries what it did not finish).
 *
 * The endpoint records an event and answers; the event's id goes here and is processed soon after,
 * never on the request's own turn of the event loop: the queue starts on `setImmediate`, runs at
 * most `CONCURRENCY` events at a time (so processing holds at most that many of the pool's
 * connections and the acknowledgements keep the rest), and yields to pending I/O between events.
 * An id already queued or running is not queued again (a redelivery of an unprocessed event).
 *
 * Nothing here is needed for correctness: the row in `stripe_events` is. An id dropped because the
 * queue is full, lost with the process, or whose run failed is processed by the sweeper
 * (`stripe.events.process`) once it is older than its grace period, or by a redelivery; the row
 * lock in `processStripeEvent` keeps every run exactly-once.
 */

/** Events processed at once. Each holds one pooled connection while it runs its transaction. */
export const CONCURRENCY = 2;
/** Ids waiting beyond this are left to the sweeper (they are recorded). */
export const MAX_QUEUED = 10_000;

interface Item {
  db: Db;
  type: string;
  requestId?: string;
}

interface QueueState {
  waiting: Map<string, Item>;
  running: Set<string>;
  scheduled: boolean;
  idle: (() => void)[];
}

// One queue per process, even when the route and the runner are bundled into separate chunks.
const registry = globalThis as unknown as { __tallyStripeQueue?: QueueState };
const state: QueueState = (registry.__tallyStripeQueue ??= { waiting: new Map(), running: new Set(), scheduled: false, idle: [] });

/**
 * Queue a recorded event for processing. Returns false when it was not queued because the queue
 * is full (the sweeper takes it). Never throws, never runs anything synchronously.
 */
export function enqueueStripeEvent(db: Db, eventId: string, info: { type: string; requestId?: string }): boolean {
  if (state.waiting.has(eventId) || state.running.has(eventId)) return true;
  if (state.waiting.size >= MAX_QUEUED) return false;
  state.waiting.set(eventId, { db, type: info.type, requestId: info.requestId });
  schedule();
  return true;
}

/** Events waiting or running (for tests and diagnostics). */
export function queuedStripeEvents(): number {
  return state.waiting.size + state.running.size;
}

/** Resolves once nothing is waiting or running (tests, and a graceful shutdown). */
export function stripeQueueIdle(): Promise<void> {
  if (queuedStripeEvents() === 0) return Promise.resolve();
  return new Promise((resolve) => state.idle.push(resolve));
}

function schedule(): void {
  if (state.scheduled || state.running.size >= CONCURRENCY || state.waiting.size === 0) return;
  state.scheduled = true;
  setImmediate(pump);
}

function pump(): void {
  state.scheduled = false;
  while (state.running.size < CONCURRENCY && state.waiting.size > 0) {
    const [eventId, item] = state.waiting.entries().next().value as [string, Item];
    state.waiting.delete(eventId);
    state.running.add(eventId);
    void run(eventId, item).finally(() => {
      state.running.delete(eventId);
      if (queuedStripeEvents() === 0) for (const resolve of state.idle.splice(0)) resolve();
      // Yield to pending I/O (the next acknowledgements) before taking the next event.
      schedule();
    });
  }
}

async function run(eventId: string, item: Item): Promise<void> {
  try {
    await processStripeEvent(item.db, eventId, { requestId: item.requestId });
  } catch (error) {
    log.error({ stripe_event_id: eventId, stripe_event_type: item.type, ...errorField(error) }, "stripe webhook failed after it was acknowledged; the sweeper retries it");
  }
}
