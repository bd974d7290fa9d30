import { cron } from "inngest";
import { getDb } from "@/db/client";
import { deliverDueWebhooks, endpointsWithDueDeliveries } from "@/lib/services/webhooks/deliveries";
import { inngest } from "../client";
import { eventNow, webhookEndpointDue, webhooksDeliverRequested } from "../events";

/**
 * Every minute, and when deliveries are written: one `webhooks/endpoint.due` event per endpoint
 * with deliveries due (id `webhooks:<endpoint>:<now>`), so each endpoint's lane runs on its own
 * (decision 036). The same claim and delivery code as the local runner.
 */
export const webhooksFanOut = inngest.createFunction(
  { id: "webhooks-fan-out", name: "webhooks/fan-out", triggers: [cron("* * * * *"), webhooksDeliverRequested], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    const events = await step.run("select-due-endpoints", async () =>
      (await endpointsWithDueDeliveries(await getDb(), now)).map((endpointId) => ({
        name: webhookEndpointDue.name,
        id: `webhooks:${endpointId}:${now.toISOString()}`,
        data: { endpointId, now: now.toISOString() },
      })),
    );
    if (events.length) await step.sendEvent("send-due-endpoints", events);
    return { now: now.toISOString(), endpoints: events.length };
  },
);

/** One endpoint's due deliveries, a batch per step, one run per endpoint at a time; a full batch asks for another run. */
export const webhookEndpointDeliver = inngest.createFunction(
  { id: "webhooks-endpoint-deliver", name: "webhooks/endpoint.deliver", triggers: [webhookEndpointDue], concurrency: [{ key: "event.data.endpointId", limit: 1 }], retries: 3 },
  async ({ event, step }) => {
    const { endpointId, now } = event.data;
    const totals = { succeeded: 0, failed: 0, disabled: 0 };
    for (let batch = 0; batch < 10; batch++) {
      const result = await step.run(`deliver-${batch}`, async () => deliverDueWebhooks(await getDb(), new Date(now), { endpointId }));
      totals.succeeded += result.succeeded;
      totals.failed += result.failed;
      totals.disabled += result.disabled;
      if (result.endpoints === 0 || result.disabled > 0) break;
    }
    return { endpoint: endpointId, ...totals };
  },
);
