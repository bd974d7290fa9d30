import { eventType, staticSchema } from "inngest";

/** A subscription with something due (renewal, trial end, scheduled change…), seen by the fan-out at `now`. */
export const subscriptionDue = eventType("billing/subscription.due", {
  schema: staticSchema<{ subscriptionId: string; customerId: string; nextDueAt: string; now: string }>(),
});

/** An open invoice whose payment retry is due, seen by the fan-out at `now`. */
export const paymentRetryDue = eventType("billing/payment.retry_due", {
  schema: staticSchema<{ invoiceId: string; customerId: string; nextPaymentAttemptAt: string; now: string }>(),
});

/** A customer's oldest failing invoice, from its first failed charge: the per-invoice dunning function's trigger. */
export const invoiceDunning = eventType("billing/invoice.dunning", {
  schema: staticSchema<{ invoiceId: string; customerId: string; firstFailureAt: string }>(),
});

/** Deterministic event ids: the same due state gives the same ids, so Inngest drops a re-sent duplicate. */
export const renewEventId = (subscriptionId: string, nextDueAt: string) => `renew:${subscriptionId}:${nextDueAt}`;
export const retryEventId = (invoiceId: string, nextPaymentAttemptAt: string) => `retry:${invoiceId}:${nextPaymentAttemptAt}`;
export const dunningEventId = (invoiceId: string, firstFailureAt: string) => `dunning:${invoiceId}:${firstFailureAt}`;

/** The instant a cron or fan-out run works at: its triggering event's timestamp, so a replay sees the same `now`. */
export function eventNow(event: { ts?: number }): Date {
  return new Date(event.ts ?? Date.now());
}
