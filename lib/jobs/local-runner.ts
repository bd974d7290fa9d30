import { sql } from "drizzle-orm";
import { getHandle, getSidePool, queryRows, type Db } from "@/db/client";
import { dispatchOutboxBatches } from "@/lib/events/outbox";
import { processPendingStripeEvents } from "@/lib/payments/webhooks/receive";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { reconcilePayments } from "@/lib/services/payments/reconcile";
import { syncGateway } from "@/lib/services/payments/gateway-sync";
import { retryDuePayments } from "@/lib/services/payments/retries/retry-due-payments";
import { runDunning } from "@/lib/services/dunning/run-dunning";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { sendCardExpiryReminders } from "@/lib/services/notifications/due/card-expiry-reminders";
import { sendTrialEndingReminders } from "@/lib/services/notifications/due/trial-ending-reminders";
import { inngestConfigured } from "./inngest-port";
import { registerNudge } from "./enqueue";
import { listenForCommittedEvents } from "./wake-on-commit";
import { runApiCostAlerts } from "@/lib/services/api-costs/budget-alerts";
import { billLateUsage } from "@/lib/services/usage/bill-late-usage";
import { systemActor } from "@/lib/actor";
import { startWebhookLanes } from "@/lib/services/webhooks/deliveries";
import { runDailyLeakageChecks } from "@/lib/services/leakage/run-leakage-checks";
import { refreshProvidedTax } from "@/lib/services/tax/provided-tax";
import { runRetentionJob } from "@/lib/services/privacy/data-retention";
import { withLogContext } from "@/lib/observability/context";
import { errorField, log } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { recordJobRun } from "./record-run";

export interface Job {
  name: string;
  everyMs: number;
  run: (db: Db, now: Date) => Promise<unknown>;
  /**
   * Runs on a small pool of its own (getSidePool) rather than the requests' pool: frequent
   * background work that must neither queue behind a burst of billing writes for a connection nor
   * take one they need (decision 036: the outbox pass and the webhook lanes).
   */
  pool?: { name: string; max: number };
}

/** The due work the local runner polls. The automation work adds dunning and reminders here. */
export const jobs: Job[] = [
  // Woken when events commit (wake-on-commit.ts), and every 500 ms, batches until empty: webhook deliveries are written here (decision 036).
  { name: "outbox.dispatch", everyMs: 500, pool: { name: "outbox", max: 3 }, run: (db) => dispatchOutboxBatches(db, outboxHandler(db)) },
  { name: "billing.run", everyMs: 60_000, run: (db, now) => runDueSubscriptions(db, now) },
  // The janitor: payments stuck pending (or awaiting authentication for over a day) settled from the gateway.
  { name: "payments.reconcile", everyMs: 5 * 60_000, run: (db, now) => reconcilePayments(db, now) },
  { name: "payments.retry", everyMs: 60_000, run: (db, now) => retryDuePayments(db, now) },
  // The gateway janitor: removed cards detached at Stripe, deleted accounts cleared there, unanswered refunds sent again.
  { name: "payments.gateway_sync", everyMs: 5 * 60_000, run: (db, now) => syncGateway(db, now) },
  // Stripe events acknowledged but not processed (a handler failure, a process that died after answering): retried, at most 10 attempts.
  { name: "stripe.events.process", everyMs: 5_000, run: (db, now) => processPendingStripeEvents(db, now) },
  // Reminders (idempotent per subscription and trial end / card and month): trials ending within 3 days, default cards expiring next month.
  { name: "notifications.trial_ending", everyMs: 60 * 60_000, run: (db, now) => sendTrialEndingReminders(db, now) },
  { name: "notifications.card_expiring", everyMs: 60 * 60_000, run: (db, now) => sendCardExpiryReminders(db, now) },
  // Usage reported after its period was invoiced (or while its renewal was under way): supplemental invoices.
  { name: "usage.late", everyMs: 60_000, run: (db, now) => billLateUsage({ db, now, actor: systemActor("usage.late") }) },
  // Dunning steps (reminder, warning, blocked) for customers whose automatic payment failed.
  { name: "dunning.run", everyMs: 10 * 60_000, run: (db, now) => runDunning(db, now) },
  // API cost budgets and quotas: thresholds reached this month (or quota window) alert once each. Also nudged after costs are recorded.
  { name: "api_costs.alerts", everyMs: 5 * 60_000, run: (db, now) => runApiCostAlerts(db, now) },
  // Revenue leakage checks (decision 034): polled hourly, run once per UTC day.
  { name: "leakage.check", everyMs: 60 * 60_000, run: (db, now) => runDailyLeakageChecks(db, now) },
  // Outbound webhooks (decision 036): each endpoint's lane runs on its own, so this pass never waits for a slow receiver; nudged when deliveries are written and when a lane runs dry.
  // The pass and its lanes use a pool of their own: deliveries never wait behind billing writes for a connection, nor hold one they need.
  { name: "webhooks.deliver", everyMs: 1_000, pool: { name: "webhooks", max: 4 }, run: (db, now) => startWebhookLanes(db, now, () => nudgeJob("webhooks.deliver")) },
  // Data retention (decision 014): daily; applies only when `retention.automatic` is on, otherwise records the dry run's counts.
  { name: "retention.run", everyMs: 24 * 60 * 60_000, run: (db, now) => runRetentionJob(db, now) },
  // Stripe Tax (decision 039): decisions missing, stale or for another place asked again; nothing unless `tax.provider` is stripe_tax.
  { name: "tax.refresh", everyMs: 6 * 60 * 60_000, run: (db, now) => refreshProvidedTax(db, now) },
];

const ADVISORY_BASE = 727_300;

/**
 * Run one job once, single-flight across processes: on PostgreSQL a transaction-scoped advisory
 * lock per job is held while it runs; PGlite is one process by construction.
 * Records the last run for the admin console.
 */
export async function runJob(job: Job, now: Date): Promise<"ran" | "skipped"> {
  const { driver, db: main } = await getHandle();
  if (driver === "pglite") return execute(main, job, now);
  const db = job.pool ? await getSidePool(job.pool.name, job.pool.max) : main;
  const lockId = ADVISORY_BASE + jobs.indexOf(job);
  const ran = await db.transaction(async (tx) => {
    const [row] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${lockId}) as ok`);
    if (!row?.ok) return "skipped";
    return execute(db, job, now);
  });
  if (ran === "skipped") metrics().jobRuns.inc({ job: job.name, outcome: "skipped" });
  return ran;
}

async function execute(db: Db, job: Job, now: Date): Promise<"ran"> {
  await recordJobRun(db, job.name, now, () => job.run(db, now));
  return "ran";
}

const state = globalThis as unknown as { __tallyRunner?: { timers: NodeJS.Timeout[]; busy: Set<string>; again: Set<string> } };

/**
 * Start polling every job from the server process (instrumentation.ts). Idempotent. Not when
 * Inngest is configured: its functions (inngest/functions) own every one of these jobs, and
 * without a runner nudgeJob is a no-op too.
 */
export function startLocalRunner(): void {
  if (state.__tallyRunner || inngestConfigured()) return;
  const runner = { timers: [] as NodeJS.Timeout[], busy: new Set<string>(), again: new Set<string>() };
  state.__tallyRunner = runner;
  registerNudge(nudgeJob);
  for (const job of jobs) {
    runner.timers.push(setInterval(() => void tick(job), job.everyMs).unref());
  }
  // Events committed by any process wake the outbox pass at once (decision 036); its poll is the fallback.
  void listenForCommittedEvents(() => nudgeJob("outbox.dispatch")).catch((error: unknown) =>
    log.warn({ ...errorField(error) }, "not listening for committed events; the outbox pass polls"),
  );
}

/**
 * Run a job soon, e.g. dispatch the outbox right after a request committed. A nudge while the job
 * runs makes it run once more when it ends (that run may have begun before what the nudge is
 * about was committed). No-op without a runner.
 */
export function nudgeJob(name: string): void {
  const job = jobs.find((j) => j.name === name);
  if (job && state.__tallyRunner) setImmediate(() => void tick(job, true));
}

async function tick(job: Job, nudged = false): Promise<void> {
  const runner = state.__tallyRunner;
  if (!runner) return;
  if (runner.busy.has(job.name)) {
    if (nudged) runner.again.add(job.name);
    return;
  }
  runner.busy.add(job.name);
  try {
    // The job's own context: a nudge from a request does not make the run that request's.
    await withLogContext({ job: job.name }, () => runJob(job, new Date()));
  } catch (error) {
    log.error({ job: job.name, ...errorField(error) }, `job ${job.name} failed to start`);
  } finally {
    runner.busy.delete(job.name);
    if (runner.again.delete(job.name)) setImmediate(() => void tick(job));
  }
}
