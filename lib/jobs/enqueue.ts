import { inngestConfigured } from "./inngest-port";

/**
 * Ask for a job to run soon, deduplicated by `key` (e.g. the UTC minute): the call only records the
 * wish and returns, so a request that asks never waits for the job. With the local runner the job
 * is nudged (it runs once, after the request); with Inngest an event with the id `name:key` is sent
 * in the background (Inngest drops a second event with the same id). Without either, nothing: the
 * job's own schedule runs it.
 */
type Nudge = (name: string) => void;

const state = globalThis as unknown as { __tallyJobQueue?: { nudge: Nudge | null; lastKey: Map<string, string> } };
function queue() {
  state.__tallyJobQueue ??= { nudge: null, lastKey: new Map() };
  return state.__tallyJobQueue;
}

/** The local runner registers how to nudge a job when it starts (lib/jobs/local-runner.ts). */
export function registerNudge(nudge: Nudge): void {
  queue().nudge = nudge;
}

/** Inngest events that ask for a job, by job name. */
export const jobEventNames: Record<string, string> = { "api_costs.alerts": "api_costs/alerts.check" };

export function enqueueJob(name: string, key: string): void {
  const q = queue();
  if (q.lastKey.get(name) === key) return;
  q.lastKey.set(name, key);
  if (inngestConfigured()) {
    const event = jobEventNames[name];
    if (!event) return;
    void import("@/inngest/client")
      .then(({ inngest }) => inngest.send({ name: event, id: `${name}:${key}`, data: {} }))
      .catch((error: unknown) => console.warn(`[tally] asking Inngest for ${name} failed; its schedule runs it`, error instanceof Error ? error.message : error));
    return;
  }
  q.nudge?.(name);
}
