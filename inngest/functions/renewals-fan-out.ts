import { cron } from "inngest";
import { getDb } from "@/db/client";
import { FAN_OUT_CHUNK, FAN_OUT_MAX_PAGES } from "@/lib/jobs/inngest-port";
import { selectDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { inngest } from "../client";
import { eventNow, renewEventId, subscriptionDue } from "../events";

/**
 * Every 5 minutes: one `billing/subscription.due` event per subscription due by the tick's time,
 * id `renew:<subscription>:<next_due_at>` (Inngest drops a duplicate id), in pages of ≤ 500 —
 * one `step.run` to select a page (keyset on next_due_at, id) and one `step.sendEvent` to send it.
 */
export const renewalsFanOut = inngest.createFunction(
  { id: "billing-renewals-fan-out", name: "billing/renewals.fan-out", triggers: [cron("*/5 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    let after: { nextDueAt: string; id: string } | undefined;
    let sent = 0;
    for (let page = 0; page < FAN_OUT_MAX_PAGES; page++) {
      const cursor = after;
      const events = await step.run(`select-due-${page}`, async () => {
        const rows = await selectDueSubscriptions(await getDb(), now, {
          limit: FAN_OUT_CHUNK,
          after: cursor && { nextDueAt: new Date(cursor.nextDueAt), id: cursor.id },
        });
        return rows.map((r) => {
          const nextDueAt = r.nextDueAt.toISOString();
          return {
            name: subscriptionDue.name,
            id: renewEventId(r.id, nextDueAt),
            data: { subscriptionId: r.id, customerId: r.customerId, nextDueAt, now: now.toISOString() },
          };
        });
      });
      if (events.length === 0) break;
      await step.sendEvent(`send-due-${page}`, events);
      sent += events.length;
      const last = events[events.length - 1]!;
      after = { nextDueAt: last.data.nextDueAt, id: last.data.subscriptionId };
      if (events.length < FAN_OUT_CHUNK) break;
    }
    return { now: now.toISOString(), sent };
  },
);
