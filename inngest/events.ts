import { createHash } from "node:crypto";
import { eventType, staticSchema } from "inngest";

/** A page (≤ 500) of subscriptions with something due (renewal, trial end, scheduled change…), seen by the fan-out at `now`. */
export const subscriptionsDue = eventType("billing/subscriptions.due", {
  schema: staticSchema<{ subscriptionIds: string[]; now: string }>(),
});

/** An open invoice whose payment retry is due, seen by the fan-out at `now`. */
export const paymentRetryDue = eventType("billing/payment.retry_due", {
  schema: staticSchema<{ invoiceId: string; customerId: string; nextPaymentAttemptAt: string; now: string }>(),
});

/** A customer's oldest failing invoice, from its first failed charge: the per-invoice dunning function's trigger. */
export const invoiceDunning = eventType("billing/invoice.dunning", {
  schema: staticSchema<{ invoiceId: string; customerId: string; firstFailureAt: string }>(),
});

/** Costs were recorded: check the API cost budgets and quotas (sent with the id `api_costs.alerts:<UTC minute>`, so at most one a minute). */
export const apiCostAlertsCheck = eventType("api_costs/alerts.check", { schema: staticSchema<Record<string, never>>() });

/** Stripe Tax was switched on: the tax refresh runs now instead of at its next day. */
export const taxRefreshRequested = eventType("tax/refresh.requested", { schema: staticSchema<Record<string, never>>() });

/** Webhook deliveries were written (an event dispatched, a resend, a replay): the fan-out runs now instead of at its next minute. */
export const webhooksDeliverRequested = eventType("webhooks/deliver.requested", { schema: staticSchema<Record<string, never>>() });

/** One endpoint with deliveries due at `now`: its lane runs alone (concurrency 1 per endpoint). */
export const webhookEndpointDue = eventType("webhooks/endpoint.due", { schema: staticSchema<{ endpointId: string; now: string }>() });

/** Deterministic event ids: the same due state gives the same ids, so Inngest drops a re-sent duplicate (a page of renewals: its subscriptions and their due instants). */
export const renewEventId = (due: readonly { id: string; nextDueAt: string }[]) =>
  `renew:${createHash("sha256").update(due.map((d) => `${d.id}@${d.nextDueAt}`).join(",")).digest("hex").slice(0, 32)}`;
export const retryEventId = (invoiceId: string, nextPaymentAttemptAt: string) => `retry:${invoiceId}:${nextPaymentAttemptAt}`;
export const dunningEventId = (invoiceId: string, firstFailureAt: string) => `dunning:${invoiceId}:${firstFailureAt}`;

/** The instant a cron or fan-out run works at: its triggering event's timestamp, so a replay sees the same `now`. */
export function eventNow(event: { ts?: number }): Date {
  return new Date(event.ts ?? Date.now());
}
