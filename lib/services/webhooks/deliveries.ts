import { errorField, log } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { and, eq, sql } from "drizzle-orm";
import { inTextArray, queryPrepared, queryRows, type Db, type Executor } from "@/db/client";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { webhookEventTypes } from "@/lib/events/catalog/events";
import { eventLivemodeOf } from "@/lib/events/livemode";
import { newId } from "@/lib/ids";
import { excerpt, EXCERPT_CHARS, MAX_ATTEMPTS, nextAttemptAt, outcomeOf, signedHeaders, signingSecrets, toEventObject, type AttemptOutcome } from "@/lib/webhooks/delivery";

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;

const webhookTypes: ReadonlySet<string> = new Set(webhookEventTypes);

/**
 * The deliveries of a batch of dispatched events, one per enabled endpoint of the event's mode that
 * wants its type, in one statement (the outbox's beforeBatch). Keyed (endpoint, event): a second
 * dispatch of the same event adds nothing. Returns how many were new.
 */
export async function createDeliveriesFor(db: Db, events: readonly { id: string; type: string }[], now: Date): Promise<number> {
  const ids = events.filter((e) => webhookTypes.has(e.type)).map((e) => e.id);
  if (ids.length === 0) return 0;
  const rows = await queryRows<{ id: string }>(db, sql`
    insert into webhook_deliveries (id, endpoint_id, event_id, event_type, event_created_at, event_seq, customer_id, next_attempt_at, created_at)
    select 'whd_' || md5(w.id || ':' || e.id), w.id, e.id, e.type, e.created_at, e.seq, e.customer_id, ${now}, ${now}
    from outbox_events e
    join webhook_endpoints w on w.status = 'enabled' and w.deleted_at is null
      and (w.enabled_events ? '*' or w.enabled_events ? e.type)
      and (w.livemode = 'live') = ${eventLivemodeOf("e")}
    where ${inTextArray(sql.raw("e.id"), ids)}
    on conflict (endpoint_id, event_id) do nothing
    returning id`);
  return rows.length;
}

export interface DeliverOptions {
  /** Only this endpoint's deliveries (the per-endpoint Inngest function). */
  endpointId?: string;
  /** Endpoints whose lane already holds a full batch in this process: not claimed again. */
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
const DEFAULTS = { perEndpoint: 50, concurrency: 8, timeoutMs: 10_000 };

/**
 * Per (endpoint, customer), events are delivered in order (created, then order of writing): a
 * delivery waits while an earlier one of the same customer to the same endpoint is pending within
 * its first ORDER_HOLD_ATTEMPTS attempts (the first and the retries after 5 s and 5 min: about five
 * minutes). Once that one has failed them all and waits 30 min or more for its next retry, the later
 * ones go on without it: one bad event does not hold its customer for the three days of retries.
 */
export const ORDER_HOLD_ATTEMPTS = 3;

export interface Claimed {
  delivery: { id: string; attempts: number; trigger: WebhookDeliveryRow["trigger"]; customerId: string | null };
  endpoint: { id: string; url: string; secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null };
  event: { id: string; type: string; createdAt: Date; payload: unknown; livemode: boolean };
}

interface ClaimedRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  attempts: number;
  trigger: WebhookDeliveryRow["trigger"];
  customer_id: string | null;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | string | null;
  type: string;
  created_at: Date | string;
  payload: unknown;
  livemode: boolean;
}

/**
 * Claim the due deliveries of enabled endpoints, oldest event first, at most `perEndpoint` each,
 * skipping any that an earlier delivery of its customer holds back (ORDER_HOLD_ATTEMPTS; an earlier
 * one claimed in the same statement does not: the lane sends them in order). One statement: FOR
 * UPDATE SKIP LOCKED and a claim deadline (two deliverers never take the same one), returning what
 * each request needs. Two deliverers never claim for one endpoint at once (the local runner's job
 * is single-flight across processes, Inngest runs one per endpoint), so a customer's order holds.
 */
export async function claimDueDeliveries(db: Db, now: Date, options: DeliverOptions = {}): Promise<Map<string, Claimed[]>> {
  const perEndpoint = options.perEndpoint ?? DEFAULTS.perEndpoint;
  const only = options.endpointId ? sql`and d.endpoint_id = ${options.endpointId}` : sql``;
  const exclude = options.exclude?.length ? sql`and not (${inTextArray(sql.raw("d.endpoint_id"), options.exclude)})` : sql``;
  const rows = await queryRows<ClaimedRow>(db, sql`
    with due as (
      select d.id, row_number() over (partition by d.endpoint_id order by d.event_created_at, d.event_seq, d.event_id) as n
      from webhook_deliveries d join webhook_endpoints w on w.id = d.endpoint_id
      where d.status = 'pending' and d.next_attempt_at <= ${now}
        and (d.claimed_until is null or d.claimed_until < ${now})
        and w.status = 'enabled' and w.deleted_at is null ${only} ${exclude}
        and (d.customer_id is null or not exists (
          select 1 from webhook_deliveries p
          where p.endpoint_id = d.endpoint_id and p.customer_id = d.customer_id and p.status = 'pending'
            and (p.event_created_at, p.event_seq, p.event_id) < (d.event_created_at, d.event_seq, d.event_id)
            and p.attempts < ${ORDER_HOLD_ATTEMPTS}
            and not (p.next_attempt_at <= ${now} and (p.claimed_until is null or p.claimed_until < ${now}))
        ))
    ), claimed as (
      update webhook_deliveries set claimed_until = ${new Date(now.getTime() + CLAIM_MS)}
      where id in (
        select id from webhook_deliveries
        where id in (select id from due where n <= ${perEndpoint})
          and (claimed_until is null or claimed_until < ${now})
        for update skip locked
      )
      returning id, endpoint_id, event_id, attempts, trigger, customer_id, event_created_at, event_seq
    )
    select c.id, c.endpoint_id, c.event_id, c.attempts, c.trigger, c.customer_id,
      w.url, w.secret, w.previous_secret, w.previous_secret_expires_at,
      e.type, e.created_at, e.payload, ${eventLivemodeOf("e")} as livemode
    from claimed c
    join webhook_endpoints w on w.id = c.endpoint_id
    join outbox_events e on e.id = c.event_id
    order by c.event_created_at, c.event_seq, c.event_id`);
  const lanes = new Map<string, Claimed[]>();
  for (const r of rows) {
    const lane = lanes.get(r.endpoint_id) ?? [];
    lane.push({
      delivery: { id: r.id, attempts: Number(r.attempts), trigger: r.trigger, customerId: r.customer_id },
      endpoint: { id: r.endpoint_id, url: r.url, secret: r.secret, previousSecret: r.previous_secret, previousSecretExpiresAt: r.previous_secret_expires_at === null ? null : new Date(r.previous_secret_expires_at) },
      event: { id: r.event_id, type: r.type, createdAt: new Date(r.created_at), payload: r.payload, livemode: Boolean(r.livemode) },
    });
    lanes.set(r.endpoint_id, lane);
  }
  return lanes;
}

/** A lane's deliveries as chains: one per customer in event order (sent one after another), one each for deliveries of no customer. */
export function chainsOf(lane: readonly Claimed[]): Claimed[][] {
  const chains: Claimed[][] = [];
  const byCustomer = new Map<string, Claimed[]>();
  for (const claimed of lane) {
    const key = claimed.delivery.customerId;
    const chain = key === null ? undefined : byCustomer.get(key);
    if (chain) chain.push(claimed);
    else {
      const fresh = [claimed];
      chains.push(fresh);
      if (key !== null) byCustomer.set(key, fresh);
    }
  }
  return chains;
}

type Counts = Record<AttemptOutcome, number>;

/**
 * One endpoint's lane: up to `concurrency` requests in flight, each customer's deliveries one after
 * another in event order. A delivery that does not succeed releases the rest of its customer's chain
 * (the next pass holds them back behind it); a 410 stops the lane (the endpoint is disabled) and
 * releases everything not sent. Claims may be added while it runs (the local runner's passes).
 */
export class Lane {
  readonly counts: Counts = { succeeded: 0, failed: 0, disabled: 0 };
  /** Claimed deliveries not yet finished. */
  size = 0;
  private readonly chains: { now: Date; chain: Claimed[] }[] = [];
  private workers = 0;
  private stopped = false;
  private error: unknown = null;
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: DeliverOptions = {},
  ) {}

  add(now: Date, claimed: readonly Claimed[]): void {
    for (const chain of chainsOf(claimed)) this.chains.push({ now, chain });
    this.size += claimed.length;
    const limit = Math.max(1, this.options.concurrency ?? DEFAULTS.concurrency);
    while (this.workers < Math.min(limit, this.chains.length)) {
      this.workers++;
      void this.work();
    }
  }

  /** Resolves when nothing claimed is left (rejects with the first error, e.g. an abort). */
  idle(): Promise<void> {
    if (this.workers === 0) return this.error ? Promise.reject(this.error) : Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async work(): Promise<void> {
    try {
      for (let next = this.chains.shift(); next; next = this.chains.shift()) await this.runChain(next.now, next.chain);
    } catch (error) {
      this.error ??= error;
      this.stopped = true;
    } finally {
      this.workers--;
      if (this.workers === 0) this.settle();
    }
  }

  private async runChain(now: Date, chain: Claimed[]): Promise<void> {
    for (let i = 0; i < chain.length; i++) {
      if (this.stopped) return this.release(chain.slice(i));
      const outcome = await attempt(this.db, now, chain[i]!, this.options);
      this.counts[outcome]++;
      this.size--;
      if (outcome === "disabled") this.stopped = true;
      if (outcome !== "succeeded") return this.release(chain.slice(i + 1));
    }
  }

  /** Unsent deliveries go back (claim cleared): a later pass takes them, behind the one that did not succeed. */
  private async release(rest: Claimed[]): Promise<void> {
    if (rest.length === 0) return;
    this.size -= rest.length;
    if (this.options.signal?.aborted) return;
    await this.db.update(webhookDeliveries).set({ claimedUntil: null }).where(inTextArray(webhookDeliveries.id, rest.map((c) => c.delivery.id)));
  }

  private settle(): void {
    const waiters = this.waiters.splice(0);
    for (const w of waiters) {
      if (this.error) w.reject(this.error);
      else w.resolve();
    }
  }
}

/** One endpoint's claimed deliveries, run as a lane until done. */
export async function runLane(db: Db, now: Date, lane: Claimed[], options: DeliverOptions = {}): Promise<Counts> {
  const run = new Lane(db, options);
  run.add(now, lane);
  await run.idle();
  return run.counts;
}

/**
 * Deliver what is due at `now`: every endpoint's lane at once, so a slow or failing receiver
 * delays only its own deliveries. Used by the Inngest functions, the tests and the bench; the local
 * runner feeds long-lived lanes instead (startWebhookLanes).
 */
export async function deliverDueWebhooks(db: Db, now: Date, options: DeliverOptions = {}): Promise<Counts & { endpoints: number }> {
  const lanes = await claimDueDeliveries(db, now, options);
  const results = await Promise.all([...lanes.values()].map((lane) => runLane(db, now, lane, options)));
  const total = { succeeded: 0, failed: 0, disabled: 0, endpoints: lanes.size };
  for (const r of results) for (const k of ["succeeded", "failed", "disabled"] as const) total[k] += r[k];
  return total;
}

const running = globalThis as unknown as { __tallyWebhookLanes?: Map<string, Lane> };

/**
 * The local runner's pass: claims due deliveries and hands them to each endpoint's lane in this
 * process without waiting, so the job's next pass serves the other endpoints while a slow one times
 * out. A lane keeps running while passes add to it, up to `perEndpoint` unfinished deliveries (an
 * endpoint with a full lane is not claimed for). `onLaneDone` is told when a lane runs dry: what it
 * delivered may have released a customer's next event.
 */
export async function startWebhookLanes(db: Db, now: Date, onLaneDone: () => void, options: DeliverOptions = {}): Promise<{ started: number; running: number }> {
  const lanes = (running.__tallyWebhookLanes ??= new Map());
  const perEndpoint = options.perEndpoint ?? DEFAULTS.perEndpoint;
  const full = [...lanes].filter(([, lane]) => lane.size >= perEndpoint).map(([id]) => id);
  const claimed = await claimDueDeliveries(db, now, { ...options, exclude: full });
  for (const [endpointId, deliveries] of claimed) {
    let lane = lanes.get(endpointId);
    if (!lane) {
      lane = new Lane(db, options);
      lanes.set(endpointId, lane);
      lane.add(now, deliveries);
      watch(lanes, endpointId, lane, onLaneDone);
      continue;
    }
    lane.add(now, deliveries);
  }
  return { started: claimed.size, running: lanes.size };
}

/** A lane is dropped when it runs dry (or stops on an error: its claims expire and are retried). */
function watch(lanes: Map<string, Lane>, endpointId: string, lane: Lane, onLaneDone: () => void): void {
  void lane
    .idle()
    .catch((error: unknown) => log.warn({ endpoint_id: endpointId, ...errorField(error) }, "webhook lane stopped; its claims expire and are retried"))
    .finally(() => {
      if (lanes.get(endpointId) === lane) lanes.delete(endpointId);
      onLaneDone();
    });
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
  const logged = {
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
  };
  metrics().webhookDeliveries.inc({ outcome });
  if (outcome !== "succeeded") log.info({ endpoint_id: endpoint.id, event_id: event.id, attempt: attempts, outcome, status_code: status, duration_ms: durationMs }, "webhook delivery attempt did not succeed");
  const nextStatus = outcome === "succeeded" ? "succeeded" : retryAt && attempts < MAX_ATTEMPTS ? "pending" : "failed";
  const update = sql`update webhook_deliveries set attempts = ${attempts}::int, claimed_until = null, last_attempt_at = ${now}::timestamptz,
    last_status_code = ${status}::int, last_error = ${lastError}::text, status = ${nextStatus}::text,
    delivered_at = coalesce(${outcome === "succeeded" ? now : null}::timestamptz, delivered_at),
    next_attempt_at = coalesce(${nextStatus === "pending" ? retryAt : null}::timestamptz, next_attempt_at)
    where id = ${delivery.id}`;
  // The log entry and the outcome in one statement of constant text (one round trip, atomic, parsed once per connection).
  const recordAttempt = (on: Executor) =>
    queryPrepared(on, "webhook_attempt", sql`with logged as (
      insert into webhook_delivery_attempts (id, delivery_id, endpoint_id, event_id, attempt, trigger, attempted_at, outcome, status_code, duration_ms, request_excerpt, response_excerpt, error)
      values (${logged.id}, ${logged.deliveryId}, ${logged.endpointId}, ${logged.eventId}, ${logged.attempt}::int, ${logged.trigger}, ${logged.attemptedAt}::timestamptz, ${logged.outcome},
        ${logged.statusCode}::int, ${logged.durationMs}::int, ${logged.requestExcerpt}, ${logged.responseExcerpt}::text, ${logged.error}::text)
    ) ${update}`);
  if (outcome !== "disabled") {
    await recordAttempt(db);
    return outcome;
  }
  // 410 Gone: the same record, and the endpoint disabled with it (once, audited).
  await db.transaction(async (tx) => {
    await recordAttempt(tx);
    const [was] = await tx.select({ status: webhookEndpoints.status }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)).for("update");
    if (was?.status === "enabled") {
      await tx.update(webhookEndpoints).set({ status: "disabled", disabledAt: now }).where(eq(webhookEndpoints.id, endpoint.id));
      await recordAudit(tx, systemActor("webhooks"), { action: "webhook_endpoint.disabled", entityType: "webhook_endpoint", entityId: endpoint.id, before: { status: "enabled" }, after: { status: "disabled", reason: "410_gone", event: event.id } }, now);
    }
  });
  return outcome;
}

/** The start of a response body (a receiver answering megabytes costs only this much). */
async function readStart(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  // A short answer of known length (the usual "ok") is read at once, without a stream reader.
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (length <= maxBytes) return response.text();
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
    insert into webhook_deliveries (id, endpoint_id, event_id, event_type, event_created_at, event_seq, customer_id, next_attempt_at, created_at, trigger)
    select 'whd_' || md5(w.id || ':' || e.id), w.id, e.id, e.type, e.created_at, e.seq, e.customer_id, ${now}, ${now}, ${trigger}
    from outbox_events e
    join webhook_endpoints w on w.id = ${endpointId} and (w.enabled_events ? '*' or w.enabled_events ? e.type)
      and (w.livemode = 'live') = ${eventLivemodeOf("e")}
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
