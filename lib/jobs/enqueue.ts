import { inngestConfigured } from "./inngest-port";
import { errorField, log } from "@/lib/observability/logger";

/**
 * Ask for a job to run soon, deduplicated by `key` (the UTC minute, minuteKey): the call only
 * records the wish and returns, so a request that asks never waits for the job. The first ask of a
 * minute runs the job now; later asks in the same minute leave one trailing run a minute on, so the
 * last change is seen within about a minute while the job runs at most about twice a minute. With
 * the local runner the job is nudged (after the request); with Inngest an event with the id
 * `name:key` is sent in the background (Inngest drops a second event with the same id). Without
 * either, nothing: the job's own schedule runs it.
 */
type Nudge = (name: string) => void;

const state = globalThis as unknown as { __tallyJobQueue?: { nudge: Nudge | null; lastKey: Map<string, string>; trailing: Set<string> } };
function queue() {
  state.__tallyJobQueue ??= { nudge: null, lastKey: new Map(), trailing: new Set() };
  return state.__tallyJobQueue;
}

/** The local runner registers how to nudge a job when it starts (lib/jobs/local-runner.ts). */
export function registerNudge(nudge: Nudge): void {
  queue().nudge = nudge;
}

/** Inngest events that ask for a job, by job name. */
export const jobEventNames: Record<string, string> = { "api_costs.alerts": "api_costs/alerts.check", "webhooks.deliver": "webhooks/deliver.requested", "tax.refresh": "tax/refresh.requested" };

/**
 * Ask for a job to run right away, without the per-minute deduplication of enqueueJob (webhook
 * deliveries, due within a second): the local runner is nudged; with Inngest an event is sent (its id
 * the UTC second, so a burst sends one).
 */
export function nudgeSoon(name: string, at = new Date()): void {
  ask(name, at.toISOString().slice(0, 19), 0);
}

export function enqueueJob(name: string, key: string): void {
  const q = queue();
  if (q.lastKey.get(name) !== key) {
    q.lastKey.set(name, key);
    q.trailing.delete(name);
    ask(name, key, 0);
    return;
  }
  if (q.trailing.has(name)) return;
  q.trailing.add(name);
  ask(name, `${key}+`, 60_000);
}

function ask(name: string, id: string, delayMs: number): void {
  const q = queue();
  if (inngestConfigured()) {
    const event = jobEventNames[name];
    if (!event) return;
    void import("@/inngest/client")
      .then(({ inngest }) => inngest.send({ name: event, id: `${name}:${id}`, data: {}, ...(delayMs > 0 ? { ts: Date.now() + delayMs } : {}) }))
      .catch((error: unknown) => log.warn({ job: name, ...errorField(error) }, `asking Inngest for ${name} failed; its schedule runs it`));
    return;
  }
  if (delayMs === 0) {
    q.nudge?.(name);
    return;
  }
  setTimeout(() => {
    q.trailing.delete(name);
    q.nudge?.(name);
  }, delayMs).unref();
}
