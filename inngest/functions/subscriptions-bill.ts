import { getDb } from "@/db/client";
import { systemActor } from "@/lib/actor";
import { billDueIds } from "@/lib/services/billing-run/bill-due";
import { inngest } from "../client";
import { subscriptionsDue } from "../events";

/**
 * A page of due subscriptions, billed at the fan-out's `now` through the billing run's entry point
 * (billDueIds: the plain renewals as one batch, everything else per subscription, each under its
 * row lock, so a replay or an overlapping run does each step once). A failure on any subscription
 * fails the step, which Inngest retries: what was done is not done again, and a charge replayed
 * with its idempotency key is not made twice (RELIABILITY.md R2).
 */
export const subscriptionsBill = inngest.createFunction(
  {
    id: "billing-subscriptions-bill",
    name: "billing/subscriptions.bill",
    triggers: [subscriptionsDue],
    concurrency: [{ limit: 2 }],
    retries: 5,
  },
  async ({ event, step }) => {
    const { subscriptionIds, now } = event.data;
    const result = await step.run("bill", async () => {
      const billed = await billDueIds({ db: await getDb(), actor: systemActor("billing-run"), now: new Date(now) }, subscriptionIds);
      if (billed.failed.length > 0) throw new Error(`${billed.failed.length} of ${subscriptionIds.length} subscriptions failed: ${billed.failed.map((f) => `${f.subscription}: ${f.error}`).join("; ")}`);
      return { steps: billed.steps, batched: billed.batched, deferred: billed.deferred };
    });
    return { subscriptions: subscriptionIds.length, ...result };
  },
);
