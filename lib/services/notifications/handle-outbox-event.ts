import type { Db } from "@/db/client";
import { isEventType, type EventType } from "@/lib/events/catalog/events";
import type { OutboxEvent, OutboxHandler } from "@/lib/events/outbox";
import { raiseSandboxDispute } from "@/lib/payments/webhooks/sandbox-events";
import { sendPaymentActionRequired } from "./send-payment-action-required";
import { sendPaymentFailed } from "./send-payment-failed";
import { sendAccountRestored, sendDunningEmail } from "./send-dunning";
import { restoreCustomerIfSettled } from "../dunning/restore-customer";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { sendCancellationConfirmed } from "./send-cancellation-confirmed";
import { sendInvoiceEmail, sendInvoiceIssued } from "./send-invoice-issued";
import { sendPlanChanged } from "./send-plan-changed";
import { issueAndSendReceipt, sendReceiptForEvent } from "./send-receipt";
import { sendRefundIssued } from "./send-refund-issued";
import { sendSubscriptionPaused } from "./send-subscription-paused";
import { sendSubscriptionResumed } from "./send-subscription-resumed";
import { sendSubscriptionStarted } from "./send-subscription-started";
import { sendUsageThreshold } from "./send-usage-threshold";
import { sendBudgetAlert, sendQuotaWarning } from "./send-api-cost-alert";
import { systemActor } from "@/lib/actor";
import { retryOpenInvoices } from "../payments/retries/retry-open-invoices";
import { detachRemovedCard } from "../payment-methods/detach-at-gateway";
import { refreshCustomerMrr } from "../analytics/mrr";
import { createDeliveriesFor } from "../webhooks/deliveries";
import { nudgeSoon } from "@/lib/jobs/enqueue";
import { askTaxProviderIfStale } from "../tax/provided-tax";
import { errorField, log } from "@/lib/observability/logger";

type Handler = (db: Db, event: OutboxEvent) => Promise<void>;

/** What each event causes after commit. Events without a handler are kept for outbound webhooks. */
const handlers: { [T in EventType]?: Handler } = {
  // A sandbox payment with the disputed test card (…0259) is then disputed, as Stripe would (lib/payments/webhooks/sandbox-events.ts).
  "invoice.paid": async (db, event) => {
    // Paid by a payment: its receipt (decision 043). Paid by a credit note or below the minimum charge: nothing was received, no receipt.
    await issueAndSendReceipt(db, event);
    await raiseSandboxDispute(db, event);
    await restoreAfterPayment(db, event);
  },
  // A manual payment, also a part payment that leaves the invoice open: its receipt (the same one invoice.paid would issue).
  "payment.recorded": issueAndSendReceipt,
  // The receipt email with its PDF: sent where it was issued, else here; and again when staff resend it.
  "receipt.created": sendReceiptForEvent,
  "receipt.resent": sendReceiptForEvent,
  // Dunning steps (lib/services/dunning/run-dunning.ts) and recovery: one email each.
  "customer.dunning.reminder": sendDunningEmail,
  "customer.dunning.warning": sendDunningEmail,
  "customer.dunning.blocked": sendDunningEmail,
  "customer.dunning.restored": sendAccountRestored,
  "invoice.payment_action_required": sendPaymentActionRequired,
  "invoice.payment_failed": sendPaymentFailed,
  // A send_invoice invoice still open: the invoice email with the pay link.
  "invoice.finalized": sendInvoiceIssued,
  // Staff resent an invoice from the console: the same email, again.
  "invoice.resent": (db, event) => sendInvoiceEmail(db, String(event.payload.invoice), event.id),
  "customer.subscription.created": sendSubscriptionStarted,
  // Items changed (payload.change) → plan changed; a cancellation scheduled for the period end → confirmed.
  "customer.subscription.updated": async (db, event) => {
    await sendPlanChanged(db, event);
    await sendCancellationConfirmed(db, event);
  },
  "customer.subscription.deleted": sendCancellationConfirmed,
  "customer.subscription.paused": sendSubscriptionPaused,
  "customer.subscription.resumed": sendSubscriptionResumed,
  // A metered feature reached 80% / 100% of its limit (lib/services/usage/usage-thresholds.ts).
  "usage.threshold_reached": sendUsageThreshold,
  // API cost budgets and quotas (lib/services/api-costs/budget-alerts.ts): the billing admins are told.
  "budget.threshold_reached": sendBudgetAlert,
  "api_cost.quota_warning": sendQuotaWarning,
  // Only a credit note that refunded money to a card sends an email.
  "credit_note.created": sendRefundIssued,
  // Stripe Tax (decision 039): a new customer, or one whose address, tax ids or exemption changed, is asked
  // about now, so its next invoice is taxed by Stripe's decision; should Stripe not answer, the daily refresh asks again.
  "customer.created": (db, event) => askProviderAbout(db, event),
  "customer.updated": (db, event) => askProviderAbout(db, event),
  // A card removed in Tally: detached at the gateway now. Should the gateway not answer, the card
  // stays on the gateway janitor's list (lib/services/payments/gateway-sync.ts), which retries it.
  "payment_method.detached": async (db, event) => {
    if (!event.entityId) return;
    await detachRemovedCard(db, event.entityId, new Date()).catch((error: unknown) => {
      log.warn({ payment_method_id: event.entityId, ...errorField(error) }, "detaching a card at the gateway failed; the gateway janitor retries it");
    });
  },
  // A card saved at the gateway (a SetupIntent, the dashboard) became the default: collect what is owed now.
  "customer.default_payment_method.updated": async (db, event) => {
    if (event.customerId) await retryOpenInvoices({ db, actor: systemActor("card-updated"), now: new Date() }, event.customerId);
  },
};

async function askProviderAbout(db: Db, event: OutboxEvent): Promise<void> {
  if (!event.customerId) return;
  await askTaxProviderIfStale(db, event.customerId, new Date()).catch((error: unknown) => {
    log.warn({ customer_id: event.customerId, ...errorField(error) }, "asking Stripe Tax about a customer failed; the daily tax refresh asks again");
  });
}

/** An invoice paid another way than a charge (manual payment, credit note) can also end the customer's dunning. */
async function restoreAfterPayment(db: Db, event: OutboxEvent): Promise<void> {
  const customer = event.customerId ? await findCustomer(db, event.customerId) : null;
  if (!customer || customer.status === "active") return;
  const at = await customerNow(db, customer, new Date());
  await db.transaction((tx) => restoreCustomerIfSettled(tx, systemActor("dunning"), customer.id, at, typeof event.payload.invoice === "string" ? event.payload.invoice : null));
}

/**
 * What can move a customer's MRR (decision 032): an invoice issued or voided, a subscription
 * created, changed, paused, resumed or ended. Its movements are recomputed from its rows.
 */
export const MRR_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  "invoice.finalized",
  "invoice.voided",
  "invoice.marked_uncollectible",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.paused",
  "customer.subscription.resumed",
  "customer.subscription.deleted",
]);

/** The customers whose MRR the given events can move, each once. */
export function mrrCustomersOf(events: readonly OutboxEvent[]): string[] {
  return [...new Set(events.flatMap((e) => (isEventType(e.type) && MRR_EVENTS.has(e.type) && e.customerId ? [e.customerId] : [])))];
}

/**
 * The batch's webhook deliveries first; then each event's own handler; then, once per dispatched batch, the MRR of every customer an event
 * of the batch concerns, refreshed together (one statement for the batch, not one per event).
 */
export function outboxHandler(db: Db): OutboxHandler {
  const handle = async (event: OutboxEvent): Promise<void> => {
    if (!isEventType(event.type)) return;
    await handlers[event.type]?.(db, event);
  };
  return Object.assign(handle, {
    // Outbound webhooks first (decision 036): the whole batch's deliveries in one statement, sent by their own job, never in this dispatch.
    beforeBatch: async (events: readonly OutboxEvent[]) => {
      if ((await createDeliveriesFor(db, events, new Date())) > 0) nudgeSoon("webhooks.deliver");
    },
    afterBatch: async (events: readonly OutboxEvent[]) => {
      const customers = mrrCustomersOf(events);
      if (customers.length > 0) await refreshCustomerMrr(db, customers);
    },
  });
}
