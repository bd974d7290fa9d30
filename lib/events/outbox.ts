import { eq, sql } from "drizzle-orm";
import { inTextArray, queryRows, type Db, type Executor } from "@/db/client";
import { outboxEvents } from "@/db/schema";
import { newId } from "@/lib/ids";
import { checkEventPayload } from "./catalog/check";
import type { EventPayload, EventType } from "./catalog/events";
import type { EventRowInput } from "./catalog/rows";
import { logContext, withLogContext } from "@/lib/observability/context";
import { errorField, log } from "@/lib/observability/logger";
import { countDispatchedEvents } from "@/lib/observability/outbox-metrics";

export interface OutboxEventInput<T extends EventType> {
  type: T;
  customerId?: string | null;
  entityId?: string | null;
  payload: EventPayload<T>;
  /** The mode of an event about no customer (a customer's events have its mode: lib/events/livemode.ts). Test by default. */
  livemode?: boolean;
}

/** Outside production every payload is checked against its catalog schema (types cannot see spreads of wider objects). */
const checkPayloads = process.env.NODE_ENV !== "production";

/**
 * Write an event in the caller's transaction; it is dispatched only after that transaction commits.
 * Only catalog events (lib/events/catalog/events.ts), each with its payload.
 */
export async function enqueueEvent<T extends EventType>(tx: Executor, event: OutboxEventInput<T>, at: Date): Promise<string> {
  const id = newId("event");
  await tx.insert(outboxEvents).values({ ...eventRow(event, at, id), livemode: event.livemode ?? false });
  return id;
}

/** The outbox row of an event (pure, its payload checked outside production): what enqueueEvent writes and what plans list. */
export function eventRow<T extends EventType>(event: OutboxEventInput<T> & { customerId: string; entityId: string }, at: Date, id: string): EventRowInput;
export function eventRow<T extends EventType>(event: OutboxEventInput<T>, at: Date, id: string): Omit<EventRowInput, "customerId" | "entityId"> & { customerId: string | null; entityId: string | null };
export function eventRow<T extends EventType>(event: OutboxEventInput<T>, at: Date, id: string) {
  if (checkPayloads) checkEventPayload(event.type, event.payload);
  return { id, type: event.type, customerId: event.customerId ?? null, entityId: event.entityId ?? null, payload: event.payload, createdAt: at };
}

export interface OutboxEvent {
  id: string;
  type: string;
  customerId: string | null;
  entityId: string | null;
  payload: Record<string, unknown>;
}

export interface OutboxHandler {
  (event: OutboxEvent): Promise<void>;
  /**
   * Work owed once per claimed batch before the events' own handlers (decision 036: the outbound
   * webhook deliveries of the whole batch, in one statement, so they are not held up by emails).
   * Should it fail, every event of the batch keeps its error and is dispatched again.
   */
  beforeBatch?: (events: readonly OutboxEvent[]) => Promise<void>;
  /**
   * Work owed once per claimed batch rather than once per event (decision 032: each affected
   * customer's MRR refreshed once), run after the events' own handlers with the events whose
   * handler succeeded. Those events are marked dispatched only when it succeeds too; otherwise
   * they stay pending with its error and are dispatched again (handlers are idempotent per event).
   */
  afterBatch?: (events: readonly OutboxEvent[]) => Promise<void>;
}

const MAX_ATTEMPTS = 10;
const CLAIM_SECONDS = 300;

/**
 * Deliver pending events, oldest first. A batch is claimed in one short statement
 * (FOR UPDATE SKIP LOCKED + a claim deadline) so concurrent dispatchers never take the same event
 * and a crashed dispatcher's claim expires; handlers run outside any transaction and are idempotent
 * per event id (an email is unique per (event, template, recipient)).
 */
export async function dispatchOutbox(db: Db, handle: OutboxHandler, batchSize = 50): Promise<number> {
  // request_id: the API request that caused the event, for its log lines (decision 040). The event
  // and its change's audit entry are written in one transaction and share `recorded_at`; the audit
  // entry carries the request's id (one index probe per event: audit_log_recorded_idx).
  const claimed = await queryRows<{ id: string; type: string; customer_id: string | null; entity_id: string | null; payload: Record<string, unknown>; created_at: string; request_id: string | null }>(db, sql`
    update outbox_events set attempts = attempts + 1, claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
    where id in (
      select id from outbox_events
      where dispatched_at is null and attempts < ${MAX_ATTEMPTS}
        and (claimed_until is null or claimed_until < now())
      order by created_at, id
      limit ${batchSize}
      for update skip locked
    )
    returning id, type, customer_id, entity_id, payload, created_at,
      (select a.request_id from audit_log a where a.recorded_at = outbox_events.recorded_at and a.request_id is not null limit 1) as request_id`);
  const rows = [...claimed].sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
  const handled: OutboxEvent[] = [];
  const failed = async (id: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    await db.update(outboxEvents).set({ claimedUntil: null, lastError: message.slice(0, 2000) }).where(eq(outboxEvents.id, id));
  };
  /** A batch hook; should it fail, its events keep the error and stay pending. */
  const batchStep = async (step: ((events: readonly OutboxEvent[]) => Promise<void>) | undefined, events: readonly OutboxEvent[]): Promise<boolean> => {
    if (!step || events.length === 0) return true;
    try {
      await step(events);
      return true;
    } catch (error) {
      for (const event of events) await failed(event.id, error);
      return false;
    }
  };
  const events = rows.map((row) => ({ id: row.id, type: row.type, customerId: row.customer_id, entityId: row.entity_id, payload: row.payload }));
  if (!(await batchStep(handle.beforeBatch, events))) return rows.length;
  const job = logContext()?.job;
  for (const [i, row] of rows.entries()) {
    const event = events[i]!;
    const context = { ...(job ? { job } : {}), ...(row.request_id ? { request_id: row.request_id } : {}), event_id: row.id, event_type: row.type };
    await withLogContext(context, async () => {
      try {
        await handle(event);
        handled.push(event);
        log.debug("outbox event handled");
      } catch (error) {
        log.warn({ ...errorField(error) }, "outbox event failed; it is dispatched again");
        await failed(row.id, error);
      }
    });
  }
  if (!(await batchStep(handle.afterBatch, handled))) return rows.length;
  if (handled.length > 0) {
    await db.update(outboxEvents).set({ dispatchedAt: sql`now()`, claimedUntil: null, lastError: null }).where(inTextArray(outboxEvents.id, handled.map((e) => e.id)));
    await countDispatchedEvents(db, handled);
  }
  return rows.length;
}

/** Batches until the outbox is empty, at most `maxBatches` (the local runner's and Inngest's pass). Returns how many were dispatched. */
export async function dispatchOutboxBatches(db: Db, handle: OutboxHandler, maxBatches = 20, batchSize = 50): Promise<number> {
  let dispatched = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await dispatchOutbox(db, handle, batchSize);
    dispatched += n;
    if (n < batchSize) break;
  }
  return dispatched;
}
