import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { openingMrr } from "@/db/queries/mrr-series";
import { Gauge, type Registry } from "prom-client";
import { errorField, log } from "./logger";

/**
 * Figures read from the database when Prometheus scrapes (not counted in this process): the
 * backlogs and the MRR. Every instance reports the same values; aggregate them with max(), not sum().
 * Each is one indexed statement; the MRR (one aggregate over mrr_movements) is kept for a minute.
 */
export interface DatabaseFigures {
  outbox: { pending: number; oldestAgeSeconds: number; gaveUp: number };
  webhooks: { due: number; oldestDueAgeSeconds: number };
  jobs: { name: string; sinceFinishedSeconds: number | null; failed: boolean; running: boolean }[];
}

const MRR_TTL_MS = 60_000;

export async function readDatabaseFigures(db: Db): Promise<DatabaseFigures> {
  const [[outbox], [webhooks], jobs] = await Promise.all([
    queryRows<{ pending: string; oldest: string | null; gave_up: string }>(db, sql`
      select count(*) filter (where attempts < 10)::text as pending,
             extract(epoch from now() - min(recorded_at) filter (where attempts < 10))::text as oldest,
             count(*) filter (where attempts >= 10)::text as gave_up
      from outbox_events where dispatched_at is null`),
    queryRows<{ due: string; oldest: string | null }>(db, sql`
      select count(*)::text as due, extract(epoch from now() - min(next_attempt_at))::text as oldest
      from webhook_deliveries where status = 'pending' and next_attempt_at <= now()`),
    queryRows<{ name: string; since: string | null; last_status: string | null }>(db, sql`
      select name, extract(epoch from now() - last_finished_at)::text as since, last_status from job_runs`),
  ]);
  return {
    outbox: { pending: Number(outbox?.pending ?? 0), oldestAgeSeconds: Math.max(0, Number(outbox?.oldest ?? 0)), gaveUp: Number(outbox?.gave_up ?? 0) },
    webhooks: { due: Number(webhooks?.due ?? 0), oldestDueAgeSeconds: Math.max(0, Number(webhooks?.oldest ?? 0)) },
    jobs: jobs.map((j) => ({ name: j.name, sinceFinishedSeconds: j.since === null ? null : Math.max(0, Number(j.since)), failed: j.last_status === "error", running: j.last_status === "running" })),
  };
}

/** Each currency's MRR today in minor units, live and test mode (decision 032's movements summed). */
export async function readMrr(db: Db, now: Date): Promise<{ currency: string; livemode: boolean; minor: number }[]> {
  const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const [live, test] = await Promise.all([openingMrr(db, true, tomorrow), openingMrr(db, false, tomorrow)]);
  return [...[...live].map(([currency, minor]) => ({ currency, livemode: true, minor })), ...[...test].map(([currency, minor]) => ({ currency, livemode: false, minor }))];
}

interface Gauges {
  registry: Registry;
  outboxPending: Gauge;
  outboxOldest: Gauge;
  outboxGaveUp: Gauge;
  webhooksDue: Gauge;
  webhooksOldest: Gauge;
  jobSinceFinish: Gauge<"job">;
  jobFailed: Gauge<"job">;
  mrr: Gauge<"currency" | "livemode">;
}

const state = globalThis as unknown as { __tallyDatabaseGauges?: Gauges; __tallyMrrCache?: { at: number; rows: Awaited<ReturnType<typeof readMrr>> } };

function gauges(registry: Registry): Gauges {
  if (state.__tallyDatabaseGauges?.registry === registry) return state.__tallyDatabaseGauges;
  const registers = [registry];
  const created: Gauges = {
    registry,
    outboxPending: new Gauge({ name: "tally_outbox_pending_events", help: "Outbox events not yet dispatched (emails, webhooks, follow-up work).", registers }),
    outboxOldest: new Gauge({ name: "tally_outbox_oldest_pending_age_seconds", help: "Age of the oldest outbox event not yet dispatched (0 when none): the dispatcher's lag.", registers }),
    outboxGaveUp: new Gauge({ name: "tally_outbox_gave_up_events", help: "Outbox events that failed 10 times and are no longer dispatched (their last_error says why).", registers }),
    webhooksDue: new Gauge({ name: "tally_webhook_deliveries_due", help: "Outbound webhook deliveries due now and not yet sent: the webhook backlog.", registers }),
    webhooksOldest: new Gauge({ name: "tally_webhook_delivery_oldest_due_age_seconds", help: "How long the oldest due webhook delivery has waited (0 when none).", registers }),
    jobSinceFinish: new Gauge({ name: "tally_job_seconds_since_last_finish", help: "Seconds since each job last finished (job_runs, any instance): a stuck or stopped runner grows it.", labelNames: ["job"], registers }),
    jobFailed: new Gauge({ name: "tally_job_last_run_failed", help: "1 when a job's last run ended in an error (job_runs.last_error says which), else 0.", labelNames: ["job"], registers }),
    mrr: new Gauge({ name: "tally_mrr_minor_units", help: "MRR today per currency in minor units (1099 = 10.99), live and test mode; read at most once a minute.", labelNames: ["currency", "livemode"], registers }),
  };
  state.__tallyDatabaseGauges = created;
  return created;
}

/**
 * Set the scrape-time gauges on `registry` from the database (registered on first use). A database
 * that does not answer leaves them as they were and is logged: the process's own metrics still render.
 */
export async function updateDatabaseGauges(registry: Registry, db: Db, now: Date): Promise<void> {
  const g = gauges(registry);
  try {
    const f = await readDatabaseFigures(db);
    g.outboxPending.set(f.outbox.pending);
    g.outboxOldest.set(f.outbox.oldestAgeSeconds);
    g.outboxGaveUp.set(f.outbox.gaveUp);
    g.webhooksDue.set(f.webhooks.due);
    g.webhooksOldest.set(f.webhooks.oldestDueAgeSeconds);
    g.jobSinceFinish.reset();
    g.jobFailed.reset();
    for (const j of f.jobs) {
      if (j.sinceFinishedSeconds !== null) g.jobSinceFinish.set({ job: j.name }, j.sinceFinishedSeconds);
      g.jobFailed.set({ job: j.name }, j.failed ? 1 : 0);
    }
    let cached = state.__tallyMrrCache;
    if (!cached || now.getTime() - cached.at > MRR_TTL_MS || now.getTime() < cached.at) {
      cached = { at: now.getTime(), rows: await readMrr(db, now) };
      state.__tallyMrrCache = cached;
    }
    g.mrr.reset();
    for (const r of cached.rows) g.mrr.set({ currency: r.currency, livemode: String(r.livemode) }, r.minor);
  } catch (error) {
    log.warn({ ...errorField(error) }, "metrics: reading the database figures failed");
  }
}

