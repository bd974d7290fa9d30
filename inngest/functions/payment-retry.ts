import { getDb } from "@/db/client";
import { systemActor } from "@/lib/actor";
import { retryDuePayment } from "@/lib/services/payments/retries/retry-due-payments";
import { inngest } from "../client";
import { paymentRetryDue } from "../events";

/**
 * One due payment retry (attemptInvoicePayment with `dueBy`: charged only if still due, under the
 * invoice's lock). One at a time per customer; the attempt's idempotency key
 * (`inv_<id>_attempt_<n>`) makes a replayed step answer with the original charge (R2).
 */
export const paymentRetry = inngest.createFunction(
  {
    id: "billing-payment-retry",
    name: "billing/payment.retry",
    triggers: [paymentRetryDue],
    concurrency: [{ key: "event.data.customerId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step }) => {
    const { invoiceId, now } = event.data;
    const outcome = await step.run("attempt", async () =>
      retryDuePayment({ db: await getDb(), actor: systemActor("payment-retries"), now: new Date(now) }, invoiceId),
    );
    return { invoice: invoiceId, ...outcome };
  },
);
