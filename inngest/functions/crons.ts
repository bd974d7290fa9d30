import { cron } from "inngest";
import { getDb, type Db } from "@/db/client";
import { recordJobRun } from "@/lib/jobs/record-run";
import { dispatchOutboxBatches } from "@/lib/events/outbox";
import { processPendingStripeEvents } from "@/lib/payments/webhooks/receive";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { sendCardExpiryReminders } from "@/lib/services/notifications/due/card-expiry-reminders";
import { sendTrialEndingReminders } from "@/lib/services/notifications/due/trial-ending-reminders";
import { reconcilePayments } from "@/lib/services/payments/reconcile";
import { syncGateway } from "@/lib/services/payments/gateway-sync";
import { billLateUsage } from "@/lib/services/usage/bill-late-usage";
import { systemActor } from "@/lib/actor";
import { runApiCostAlerts } from "@/lib/services/api-costs/budget-alerts";
import { runDailyLeakageChecks } from "@/lib/services/leakage/run-leakage-checks";
import { runRetentionJob } from "@/lib/services/privacy/data-retention";
import { refreshProvidedTax } from "@/lib/services/tax/provided-tax";
import { inngest } from "../client";
import { apiCostAlertsCheck, eventNow, taxRefreshRequested } from "../events";

/**
 * The periodic due work that is not per item: each an idempotent function of (db, now) in one step,
 * recorded under the local runner's job name (job_runs, the job metrics) and passed on when it fails
 * so Inngest retries the step.
 */
const recorded = <T>(db: Db, name: string, now: Date, run: () => Promise<T>) => recordJobRun(db, name, now, run, { rethrow: true }) as Promise<T>;
const withDb = async <T>(name: string, now: Date, run: (db: Db) => Promise<T>) => {
  const db = await getDb();
  return recorded(db, name, now, () => run(db));
};

/** Every minute: deliver the outbox (emails, outbound events), up to 20 batches a tick. */
export const outboxDispatch = inngest.createFunction(
  { id: "outbox-dispatch", name: "outbox/dispatch", triggers: [cron("* * * * *")], concurrency: [{ limit: 1 }] },
  async ({ step }) =>
    step.run("dispatch", async () => {
      const db = await getDb();
      return recorded(db, "outbox.dispatch", new Date(), async () => ({ dispatched: await dispatchOutboxBatches(db, outboxHandler(db)) }));
    }),
);

/** Every 5 minutes: payments stuck pending settled from the gateway. */
export const paymentsReconcile = inngest.createFunction(
  { id: "payments-reconcile", name: "payments/reconcile", triggers: [cron("*/5 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    return step.run("reconcile", async () => withDb("payments.reconcile", now, (db) => reconcilePayments(db, now)));
  },
);

/** Every 5 minutes: what the gateway has not heard yet (removed cards, deleted accounts, unanswered refunds). */
export const paymentsGatewaySync = inngest.createFunction(
  { id: "payments-gateway-sync", name: "payments/gateway.sync", triggers: [cron("*/5 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    return step.run("sync", async () => withDb("payments.gateway_sync", now, (db) => syncGateway(db, now)));
  },
);

/** Every minute: Stripe events acknowledged but not processed, retried. */
export const stripeEventsSweep = inngest.createFunction(
  { id: "stripe-events-sweep", name: "stripe/events.sweep", triggers: [cron("* * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    return step.run("sweep", async () => withDb("stripe.events.process", now, (db) => processPendingStripeEvents(db, now)));
  },
);

/** Hourly: trial-ending (3 days ahead) and card-expiry reminders, each idempotent per subject. */
export const remindersSend = inngest.createFunction(
  { id: "notifications-reminders", name: "notifications/reminders", triggers: [cron("0 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    const trialEnding = await step.run("trial-ending", async () => withDb("notifications.trial_ending", now, (db) => sendTrialEndingReminders(db, now)));
    const cardExpiring = await step.run("card-expiring", async () => withDb("notifications.card_expiring", now, (db) => sendCardExpiryReminders(db, now)));
    return { trialEnding, cardExpiring };
  },
);

/** Every minute: usage reported after its period was invoiced, billed on supplemental invoices (billLateUsage). */
export const usageLate = inngest.createFunction(
  { id: "usage-late", name: "usage/late", triggers: [cron("* * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    return step.run("bill-late-usage", async () => withDb("usage.late", now, (db) => billLateUsage({ db, now, actor: systemActor("usage.late") })));
  },
);

/** Every 5 minutes, and when costs were recorded (one event per minute: lib/jobs/enqueue.ts): API cost budget and quota alerts. */
export const apiCostAlerts = inngest.createFunction(
  { id: "api-costs-alerts", name: "api_costs/alerts", triggers: [cron("*/5 * * * *"), apiCostAlertsCheck], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    return step.run("check", async () => withDb("api_costs.alerts", now, (db) => runApiCostAlerts(db, now)));
  },
);

/** Daily at 02:00 UTC: the revenue leakage checks, once per UTC day (a retry or a second trigger that day finds the snapshot and skips). */
export const leakageCheck = inngest.createFunction(
  { id: "leakage-check", name: "leakage/check", triggers: [cron("0 2 * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    return step.run("check", async () => withDb("leakage.check", now, (db) => runDailyLeakageChecks(db, now)));
  },
);

/** Daily at 03:00 UTC: data retention (decision 014), applied only when `retention.automatic` is on; otherwise the dry run's counts. Idempotent. */
export const retentionRun = inngest.createFunction(
  { id: "retention-run", name: "retention/run", triggers: [cron("0 3 * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    return step.run("retention", async () => withDb("retention.run", now, (db) => runRetentionJob(db, now)));
  },
);

/** Daily at 01:30 UTC: Stripe Tax's decisions asked again where missing, stale or for another place (decision 039); nothing unless `tax.provider` is stripe_tax. */
export const taxRefresh = inngest.createFunction(
  { id: "tax-refresh", name: "tax/refresh", triggers: [cron("30 1 * * *"), taxRefreshRequested], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    return step.run("refresh", async () => withDb("tax.refresh", now, (db) => refreshProvidedTax(db, now)));
  },
);
