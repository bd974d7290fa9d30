import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Tally's Prometheus metrics: one registry per process, kept on globalThis so Next's module
 * reloading never registers a metric twice. Code counts through the helpers below; `/metrics`
 * (app/metrics/route.ts) renders the registry, adding the figures read from the database at scrape
 * time (lib/observability/database-gauges.ts).
 */
export interface TallyMetrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status_class">;
  invoices: Counter<"billing_reason" | "status">;
  payments: Counter<"outcome">;
  webhookDeliveries: Counter<"outcome">;
  jobRuns: Counter<"job" | "outcome">;
  jobDuration: Histogram<"job">;
  billingRunSubscriptions: Counter<"outcome">;
  usageEvents: Counter<"outcome">;
  apiCostEvents: Counter<"outcome">;
}

function create(): TallyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: "tally_http_request_duration_seconds",
      help: "API requests by route template (not the raw path), method and status class.",
      labelNames: ["method", "route", "status_class"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    invoices: new Counter({
      name: "tally_invoices_total",
      help: "Invoices reaching a status (finalized, paid, void, uncollectible), by billing reason; counted once their change has committed.",
      labelNames: ["billing_reason", "status"],
      registers,
    }),
    payments: new Counter({
      name: "tally_payments_total",
      help: "Payment results by outcome (succeeded, failed, requires_action, manual); counted once their change has committed.",
      labelNames: ["outcome"],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: "tally_webhook_delivery_attempts_total",
      help: "Outbound webhook delivery attempts by outcome (succeeded, failed, disabled).",
      labelNames: ["outcome"],
      registers,
    }),
    jobRuns: new Counter({
      name: "tally_job_runs_total",
      help: "Local job runner runs by job and outcome (ok, error, skipped: another instance held the job).",
      labelNames: ["job", "outcome"],
      registers,
    }),
    jobDuration: new Histogram({
      name: "tally_job_run_duration_seconds",
      help: "How long each local job run took.",
      labelNames: ["job"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    }),
    billingRunSubscriptions: new Counter({
      name: "tally_billing_run_subscriptions_total",
      help: "Subscriptions the billing run handled, by outcome (billed, failed).",
      labelNames: ["outcome"],
      registers,
    }),
    usageEvents: new Counter({
      name: "tally_usage_events_total",
      help: "Usage events received by the ingest API, by outcome (accepted, duplicate, rejected).",
      labelNames: ["outcome"],
      registers,
    }),
    apiCostEvents: new Counter({
      name: "tally_api_cost_events_total",
      help: "API cost events received, by outcome (accepted, duplicate, rejected).",
      labelNames: ["outcome"],
      registers,
    }),
  };
}

const state = globalThis as unknown as { __tallyMetrics?: TallyMetrics };

export function metrics(): TallyMetrics {
  return (state.__tallyMetrics ??= create());
}

/** "2xx", "4xx", …: the status label (a status per label value would multiply series for nothing). */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  metrics().httpDuration.observe({ method: method.toUpperCase(), route, status_class: statusClass(status) }, seconds);
}

/** Add ingest outcomes (e.g. `{ accepted: 3, rejected: 1 }`) to a counter; zero counts are skipped. */
export function countOutcomes(counter: Counter<"outcome">, outcomes: Record<string, number>): void {
  for (const [outcome, n] of Object.entries(outcomes)) if (n > 0) counter.inc({ outcome }, n);
}

/** A batch answer's counts added to an ingest counter (usage events, API costs). */
export function countBatch(counter: Counter<"outcome">, counts: { accepted: number; duplicates: number; rejected: readonly unknown[] }): void {
  countOutcomes(counter, { accepted: counts.accepted, duplicate: counts.duplicates, rejected: counts.rejected.length });
}

/** One event's ingest outcome: rejected with a problem, accepted when stored now, else a duplicate. */
export function countOne(counter: Counter<"outcome">, result: { problem: unknown } | { created: boolean }): void {
  counter.inc({ outcome: "problem" in result ? "rejected" : result.created ? "accepted" : "duplicate" });
}
