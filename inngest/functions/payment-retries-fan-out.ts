import { cron } from "inngest";
import { getDb } from "@/db/client";
import { FAN_OUT_CHUNK, FAN_OUT_MAX_PAGES } from "@/lib/jobs/inngest-port";
import { selectDuePaymentRetries } from "@/lib/services/payments/retries/retry-due-payments";
import { inngest } from "../client";
import { eventNow, paymentRetryDue, retryEventId } from "../events";

/**
 * Every 5 minutes: one `billing/payment.retry_due` event per open invoice whose retry is due by
 * the tick's time, id `retry:<invoice>:<next_payment_attempt_at>`, in pages of ≤ 500.
 */
export const paymentRetriesFanOut = inngest.createFunction(
  { id: "billing-payment-retries-fan-out", name: "billing/payment-retries.fan-out", triggers: [cron("*/5 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    let after: { nextPaymentAttemptAt: string; id: string } | undefined;
    let sent = 0;
    for (let page = 0; page < FAN_OUT_MAX_PAGES; page++) {
      const cursor = after;
      const events = await step.run(`select-due-${page}`, async () => {
        const rows = await selectDuePaymentRetries(await getDb(), now, {
          limit: FAN_OUT_CHUNK,
          after: cursor && { nextPaymentAttemptAt: new Date(cursor.nextPaymentAttemptAt), id: cursor.id },
        });
        return rows.map((r) => {
          const nextPaymentAttemptAt = r.nextPaymentAttemptAt.toISOString();
          return {
            name: paymentRetryDue.name,
            id: retryEventId(r.id, nextPaymentAttemptAt),
            data: { invoiceId: r.id, customerId: r.customerId, nextPaymentAttemptAt, now: now.toISOString() },
          };
        });
      });
      if (events.length === 0) break;
      await step.sendEvent(`send-due-${page}`, events);
      sent += events.length;
      const last = events[events.length - 1]!;
      after = { nextPaymentAttemptAt: last.data.nextPaymentAttemptAt, id: last.data.invoiceId };
      if (events.length < FAN_OUT_CHUNK) break;
    }
    return { now: now.toISOString(), sent };
  },
);
