import type { Db } from "@/db/client";
import type { OutboxEvent } from "@/lib/events/outbox";
import { raiseSandboxDispute } from "@/lib/payments/webhooks/sandbox-events";
import { sendPaymentActionRequired } from "./send-payment-action-required";
import { sendPaymentFailed } from "./send-payment-failed";
import { sendReceipt } from "./send-receipt";
import { systemActor } from "@/lib/actor";
import { retryOpenInvoices } from "../payments/retries/retry-open-invoices";

type Handler = (db: Db, event: OutboxEvent) => Promise<void>;

/** What each event causes after commit. Events without a handler are kept for outbound webhooks. */
const handlers: Record<string, Handler> = {
  // A sandbox payment with the disputed test card (…0259) is then disputed, as Stripe would (lib/payments/webhooks/sandbox-events.ts).
  "invoice.paid": async (db, event) => {
    await sendReceipt(db, event);
    await raiseSandboxDispute(db, event);
  },
  "invoice.payment_action_required": sendPaymentActionRequired,
  "invoice.payment_failed": sendPaymentFailed,
  // A card saved at the gateway (a SetupIntent, the dashboard) became the default: collect what is owed now.
  "customer.default_payment_method.updated": async (db, event) => {
    if (event.customerId) await retryOpenInvoices({ db, actor: systemActor("card-updated"), now: new Date() }, event.customerId);
  },
};

export function outboxHandler(db: Db) {
  return async (event: OutboxEvent): Promise<void> => {
    await handlers[event.type]?.(db, event);
  };
}
