import { errorField, log } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { outboxEvents, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { webhookEventTypes } from "@/lib/events/catalog/events";
import { newId } from "@/lib/ids";
import { excerpt, EXCERPT_CHARS, MAX_ATTEMPTS, nextAttemptAt, outcomeOf, signedHeaders, signingSecrets, toEventObject, type AttemptOutcome } from "@/lib/webhooks/delivery";

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;

const webhookTypes: ReadonlySet<string> = new Set(webhookEventTypes);

/**
 * The event's deliveries, one per enabled endpoint that wants its type, written when the outbox
 * dispatches it. Keyed (endpoint, event): a second dispatch of the same event adds nothing.
 * Returns how many were new.
 */
export async function createDeliveries(db: Db, event: { id: string; type: string }, now: Date): Promise<number> {
  if (!webhookTypes.has(event.type)) return 0;
  const rows = await queryRows<{ id: string }>(db, sql`
    insert into webhook_deliveries (id, endpoint_id, event_id, event_type, event_created_at, next_attempt_at, created_at)
    select 'whd_' || md5(w.id || ':' || e.id), w.id, e.id, e.type, e.created_at, ${now}, ${now}
    from outbox_events e
    join webhook_endpoints w on w.status = 'enabled' and w.deleted_at is null
      and (w.enabled_events ? '*' or w.enabled_events ? e.type)
    where e.id = ${event.id}
    on conflict (endpoint_id, event_id) do nothing
    returning id`);
  return rows.length;
}

export interface DeliverOptions {
  /** Only this endpoint's deliveries (the per-endpoint Inngest function). */
  endpointId?: string;
  /** Endpoints whose lane is still running in this process: not claimed again. */
  exclude?: readonly string[];
  /** At most this many deliveries per endpoint per pass. */
  perEndpoint?: number;
  /** Requests in flight per endpoint. */
  concurrency?: number;
  /** A request not answered within this is a failed attempt. */
  timeoutMs?: number;
  /** Aborting stops the pass where it is, recording nothing more (a process killed mid-delivery). */
  signal?: AbortSignal;
  /** The wall clock of the `webhook-timestamp` header (receivers check it against theirs); defaults to real time. */
  signedAt?: () => Date;
  /** Picks the retry jitter; Math.random by default. */
  random?: () => number;
}

/** A claim outlives the longest pass (perEndpoint / concurrency × timeout); a crashed pass's deliveries are taken again after it. */
export const CLAIM_MS = 5 * 60_000;
const DEFAULTS = { perEndpoint: 50, concurrency: 4, timeoutMs: 10_000 };

interface Claimed {
  delivery: WebhookDeliveryRow;
  endpoint: typeof webhookEndpoints.$inferSelect;
  event: { id: string; type: string; createdAt: Date; payload: unknown };
}

/**
 * Claim the due deliveries of enabled endpoints, oldest event first, at most `perEndpoint` each
 * (FOR UPDATE SKIP LOCKED and a claim deadline: two deliverers never take the same one).
 */
export async function claimDueDeliveries(db: Db, now: Date, options: DeliverOptions = {}): Promise<Map<string, Claimed[]>> {
  const perEndpoint = options.perEndpoint ?? DEFAULTS.perEndpoint;
  const only = options.endpointId ? sql`and d.endpoint_id = ${options.endpointId}` : sql``;
  const exclude = options.exclude?.length ? sql`and d.endpoint_id not in (${sql.join(options.exclude.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const claimed = await queryRows<{ id: string }>(db, sql`
    update webhook_deliveries set claimed_until = ${new Date(now.getTime() + CLAIM_MS)}
    where id in (
      select id from webhook_deliveries
      where id in (
        select id from (
          select d.id, row_number() over (partition by d.endpoint_id order by d.event_created_at, d.event_id) as n
          from webhook_deliveries d join webhook_endpoints w on w.id = d.endpoint_id
          where d.status = 'pending' and d.next_attempt_at <= ${now}
            and (d.claimed_until is null or d.claimed_until < ${now})
            and w.status = 'enabled' and w.deleted_at is null ${only} ${exclude}
        ) due where n <= ${perEndpoint}
      )
      and (claimed_until is null or claimed_until < ${now})
      for update skip locked
    )
    returning id`);
  const lanes = new Map<string, Claimed[]>();
  if (claimed.length === 0) return lanes;
  const rows = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: { id: outboxEvents.id, type: outboxEvents.type, createdAt: outboxEvents.createdAt, payload: outboxEvents.payload } })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .where(inArray(webhookDeliveries.id, claimed.map((c) => c.id)))
    .orderBy(asc(webhookDeliveries.eventCreatedAt), asc(webhookDeliveries.eventId));
  for (const row of rows) {
    const lane = lanes.get(row.endpoint.id) ?? [];
    lane.push(row);
    lanes.set(row.endpoint.id, lane);
  }
  return lanes;
}

/** One endpoint's claimed deliveries, `concurrency` at a time; a 410 stops the lane (the endpoint is disabled). */
export async function runLane(db: Db, now: Date, lane: Claimed[], options: DeliverOptions = {}): Promise<Record<AttemptOutcome, number>> {
  const counts: Record<AttemptOutcome, number> = { succeeded: 0, failed: 0, disabled: 0 };
  const queue = [...lane];
  let stopped = false;
  const worker = async () => {
    for (let next = queue.shift(); next && !stopped; next = queue.shift()) {
      const outcome = await attempt(db, now, next, options);
      counts[outcome]++;
      if (outcome === "disabled") stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? DEFAULTS.concurrency) }, worker));
  if (stopped && queue.length) {
    // Released: the disabled endpoint's deliveries wait, pending, until it is enabled again.
    await db.update(webhookDeliveries).set({ claimedUntil: null }).where(inArray(webhookDeliveries.id, queue.map((c) => c.delivery.id)));
  }
  return counts;
}

/**
 * Deliver what is due at `now`: every endpoint's lane at once, so a slow or failing receiver
 * delays only its own deliveries. Used by the Inngest functions, the tests and the bench; the local
 * runner starts the same lanes without waiting for them (startWebhookLanes).
 */
export async function deliverDueWebhooks(db: Db, now: Date, options: DeliverOptions = {}): Promise<Record<AttemptOutcome, number> & { endpoints: number }> {
  const lanes = await claimDueDeliveries(db, now, options);
  const results = await Promise.all([...lanes.values()].map((lane) => runLane(db, now, lane, options)));
  const total = { succeeded: 0, failed: 0, disabled: 0, endpoints: lanes.size };
  for (const r of results) for (const k of ["succeeded", "failed", "disabled"] as const) total[k] += r[k];
  return total;
}

const running = globalThis as unknown as { __tallyWebhookLanes?: Map<string, Promise<unknown>> };

/**
 * The local runner's pass: claims for endpoints without a running lane and starts their lanes
 * without waiting, so the job's next tick serves the other endpoints while a slow one times out.
 * `onLaneDone` is told when a lane that had a full batch ends (there may be more).
 */
export async function startWebhookLanes(db: Db, now: Date, onLaneDone: () => void, options: DeliverOptions = {}): Promise<{ started: number; running: number }> {
  const lanes = (running.__tallyWebhookLanes ??= new Map());
  const claimed = await claimDueDeliveries(db, now, { ...options, exclude: [...lanes.keys()] });
  for (const [endpointId, lane] of claimed) {
    const full = lane.length >= (options.perEndpoint ?? DEFAULTS.perEndpoint);
    const run = runLane(db, now, lane, options)
      .catch((error: unknown) => log.warn({ endpoint_id: endpointId, ...errorField(error) }, "webhook lane stopped; its claims expire and are retried"))
      .finally(() => {
        lanes.delete(endpointId);
        if (full) onLaneDone();
      });
    lanes.set(endpointId, run);
  }
  return { started: claimed.size, running: lanes.size };
}

/** One attempt: sign, post, record the outcome and the log entry, schedule the next attempt or end the round. */
async function attempt(db: Db, now: Date, { delivery, endpoint, event }: Claimed, options: DeliverOptions): Promise<AttemptOutcome> {
  const body = JSON.stringify(toEventObject(event));
  const sentAt = options.signedAt?.() ?? new Date();
  const headers = signedHeaders(event.id, sentAt, body, signingSecrets(endpoint, now));
  const started = performance.now();
  let status: number | null = null;
  let responseText: string | null = null;
  let error: string | null = null;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULTS.timeoutMs);
  try {
    const response = await fetch(endpoint.url, { method: "POST", headers, body, redirect: "manual", signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout });
    status = response.status;
    responseText = await readStart(response, EXCERPT_CHARS + 64);
  } catch (caught) {
    if (options.signal?.aborted) throw caught;
    error = timeout.aborted ? `No answer within ${options.timeoutMs ?? DEFAULTS.timeoutMs} ms` : caught instanceof Error ? `${caught.message}${caught.cause instanceof Error ? `: ${caught.cause.message}` : ""}` : String(caught);
  }
  if (options.signal?.aborted) throw new Error("delivery aborted");
  const durationMs = Math.round(performance.now() - started);
  const outcome = outcomeOf(status);
  const attempts = delivery.attempts + 1;
  const retryAt = outcome === "failed" ? nextAttemptAt(attempts, now, (options.random ?? Math.random)()) : null;
  const lastError = error ?? (outcome === "succeeded" ? null : `HTTP ${status}`);
  await db.transaction(async (tx) => {
    await tx.insert(webhookDeliveryAttempts).values({
      id: newId("webhookAttempt"),
      deliveryId: delivery.id,
      endpointId: endpoint.id,
      eventId: event.id,
      attempt: attempts,
      trigger: delivery.trigger,
      attemptedAt: now,
      outcome,
      statusCode: status,
      durationMs,
      requestExcerpt: excerpt(body),
      responseExcerpt: responseText === null ? null : excerpt(responseText),
      error,
    });
    await tx
      .update(webhookDeliveries)
      .set({
        attempts,
        claimedUntil: null,
        lastAttemptAt: now,
        lastStatusCode: status,
        lastError,
        ...(outcome === "succeeded" ? { status: "succeeded" as const, deliveredAt: now } : retryAt && attempts < MAX_ATTEMPTS ? { nextAttemptAt: retryAt } : { status: "failed" as const }),
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    if (outcome === "disabled") {
      const [was] = await tx.select({ status: webhookEndpoints.status }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)).for("update");
      if (was?.status === "enabled") {
        await tx.update(webhookEndpoints).set({ status: "disabled", disabledAt: now }).where(eq(webhookEndpoints.id, endpoint.id));
        await recordAudit(tx, systemActor("webhooks"), { action: "webhook_endpoint.disabled", entityType: "webhook_endpoint", entityId: endpoint.id, before: { status: "enabled" }, after: { status: "disabled", reason: "410_gone", event: event.id } }, now);
      }
    }
  });
  metrics().webhookDeliveries.inc({ outcome });
  if (outcome !== "succeeded") log.info({ endpoint_id: endpoint.id, event_id: event.id, attempt: attempts, outcome, status_code: status, duration_ms: durationMs }, "webhook delivery attempt did not succeed");
  return outcome;
}

/** The start of a response body (a receiver answering megabytes costs only this much). */
async function readStart(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).toString("utf8");
}

/** The deliveries of these events to this endpoint start a new round now (a resend or a replay); missing ones are created. */
export async function requeueDeliveries(db: Db, endpointId: string, where: { eventIds?: string[]; from?: Date; to?: Date }, trigger: "resend" | "replay", now: Date): Promise<number> {
  const events = where.eventIds
    ? sql`e.id in (${sql.join(where.eventIds.map((id) => sql`${id}`), sql`, `)})`
    : sql`e.created_at >= ${where.from} and e.created_at < ${where.to}`;
  const types = sql.join(webhookEventTypes.map((t) => sql`${t}`), sql`, `);
  const rows = await queryRows<{ id: string }>(db, sql`
    insert into webhook_deliveries (id, endpoint_id, event_id, event_type, event_created_at, next_attempt_at, created_at, trigger)
    select 'whd_' || md5(w.id || ':' || e.id), w.id, e.id, e.type, e.created_at, ${now}, ${now}, ${trigger}
    from outbox_events e
    join webhook_endpoints w on w.id = ${endpointId} and (w.enabled_events ? '*' or w.enabled_events ? e.type)
    where ${events} and e.type in (${types})
    on conflict (endpoint_id, event_id) do update
      set status = 'pending', attempts = 0, trigger = excluded.trigger, next_attempt_at = excluded.next_attempt_at, claimed_until = null
    returning id`);
  return rows.length;
}

/** Endpoints (enabled) with a delivery due at `now` and not claimed: the Inngest fan-out's list. */
export async function endpointsWithDueDeliveries(db: Db, now: Date): Promise<string[]> {
  const rows = await queryRows<{ endpoint_id: string }>(db, sql`
    select distinct d.endpoint_id from webhook_deliveries d join webhook_endpoints w on w.id = d.endpoint_id
    where d.status = 'pending' and d.next_attempt_at <= ${now} and (d.claimed_until is null or d.claimed_until < ${now})
      and w.status = 'enabled' and w.deleted_at is null
    order by d.endpoint_id`);
  return rows.map((r) => r.endpoint_id);
}

/** The delivery log of an endpoint, newest attempt first, with each event's type. */
export async function listDeliveryAttempts(db: Db, endpointId: string, limit = 50): Promise<(WebhookDeliveryAttemptRow & { eventType: string })[]> {
  const rows = await db
    .select({ attempt: webhookDeliveryAttempts, eventType: webhookDeliveries.eventType })
    .from(webhookDeliveryAttempts)
    .innerJoin(webhookDeliveries, eq(webhookDeliveries.id, webhookDeliveryAttempts.deliveryId))
    .where(eq(webhookDeliveryAttempts.endpointId, endpointId))
    .orderBy(sql`${webhookDeliveryAttempts.attemptedAt} desc, ${webhookDeliveryAttempts.id} desc`)
    .limit(limit);
  return rows.map((r) => ({ ...r.attempt, eventType: r.eventType }));
}

/** How many deliveries of an endpoint are in each state. */
export async function deliveryCounts(db: Db, endpointId: string): Promise<Record<WebhookDeliveryRow["status"], number>> {
  const rows = await db
    .select({ status: webhookDeliveries.status, n: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId)))
    .groupBy(webhookDeliveries.status);
  const counts = { pending: 0, succeeded: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** The attempt whose 410 disabled the endpoint, if that is why it is disabled. */
export async function disablingAttempt(db: Db, endpointId: string): Promise<WebhookDeliveryAttemptRow | null> {
  const [row] = await db
    .select()
    .from(webhookDeliveryAttempts)
    .where(and(eq(webhookDeliveryAttempts.endpointId, endpointId), eq(webhookDeliveryAttempts.outcome, "disabled")))
    .orderBy(sql`${webhookDeliveryAttempts.attemptedAt} desc`)
    .limit(1);
  return row ?? null;
}
