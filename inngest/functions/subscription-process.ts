import { getDb } from "@/db/client";
import { systemActor } from "@/lib/actor";
import { processDueSubscription } from "@/lib/services/subscriptions/process-due";
import { inngest } from "../client";
import { subscriptionDue } from "../events";

/**
 * One due subscription: the billing run's per-item work (processDueSubscription, idempotent under
 * the subscription's row lock) at the fan-out's `now`. One at a time per customer; a replayed
 * step charges nothing twice (gateway idempotency keys, RELIABILITY.md R2).
 */
export const subscriptionProcess = inngest.createFunction(
  {
    id: "billing-subscription-process",
    name: "billing/subscription.process",
    triggers: [subscriptionDue],
    concurrency: [{ key: "event.data.customerId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step }) => {
    const { subscriptionId, now } = event.data;
    const outcomes = await step.run("process", async () =>
      processDueSubscription({ db: await getDb(), actor: systemActor("billing-run"), now: new Date(now) }, subscriptionId),
    );
    return { subscription: subscriptionId, steps: outcomes.length };
  },
);
