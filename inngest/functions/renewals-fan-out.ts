import { cron } from "inngest";
import { getDb } from "@/db/client";
import { FAN_OUT_CHUNK, FAN_OUT_MAX_PAGES } from "@/lib/jobs/inngest-port";
import { selectDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { inngest } from "../client";
import { eventNow, renewEventId, subscriptionsDue } from "../events";

/**
 * Every 5 minutes: the subscriptions due by the tick's time, in pages of ≤ 500 (keyset on
 * next_due_at, id) — one `step.run` selects a page, one `step.sendEvent` sends it as one
 * `billing/subscriptions.due` event carrying its ids, id `renew:<hash of the page's ids and due
 * instants>` (Inngest drops a duplicate id, so a tick that sees the same due state sends nothing new).
 */
export const renewalsFanOut = inngest.createFunction(
  { id: "billing-renewals-fan-out", name: "billing/renewals.fan-out", triggers: [cron("*/5 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    let after: { nextDueAt: string; id: string } | undefined;
    let sent = 0;
    for (let page = 0; page < FAN_OUT_MAX_PAGES; page++) {
      const cursor = after;
      const due = await step.run(`select-due-${page}`, async () => {
        const rows = await selectDueSubscriptions(await getDb(), now, {
          limit: FAN_OUT_CHUNK,
          after: cursor && { nextDueAt: new Date(cursor.nextDueAt), id: cursor.id },
        });
        return rows.map((r) => ({ id: r.id, nextDueAt: r.nextDueAt.toISOString() }));
      });
      if (due.length === 0) break;
      await step.sendEvent(`send-due-${page}`, [{ name: subscriptionsDue.name, id: renewEventId(due), data: { subscriptionIds: due.map((d) => d.id), now: now.toISOString() } }]);
      sent += due.length;
      after = due[due.length - 1]!;
      if (due.length < FAN_OUT_CHUNK) break;
    }
    return { now: now.toISOString(), sent };
  },
);
