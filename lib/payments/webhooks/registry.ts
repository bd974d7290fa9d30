import type { WebhookHandler } from "./types";
import { chargeDisputeClosed } from "./handlers/charge-dispute-closed";
import { chargeDisputeCreated } from "./handlers/charge-dispute-created";
import { chargeDisputeFundsReinstated } from "./handlers/charge-dispute-funds-reinstated";
import { chargeDisputeFundsWithdrawn } from "./handlers/charge-dispute-funds-withdrawn";
import { chargeDisputeUpdated } from "./handlers/charge-dispute-updated";
import { chargeRefunded } from "./handlers/charge-refunded";
import { paymentIntentCanceled } from "./handlers/payment-intent-canceled";
import { paymentIntentPaymentFailed } from "./handlers/payment-intent-payment-failed";
import { paymentIntentRequiresAction } from "./handlers/payment-intent-requires-action";
import { paymentIntentSucceeded } from "./handlers/payment-intent-succeeded";
import { paymentMethodAttached } from "./handlers/payment-method-attached";
import { paymentMethodAutomaticallyUpdated } from "./handlers/payment-method-automatically-updated";
import { paymentMethodDetached } from "./handlers/payment-method-detached";
import { paymentMethodUpdated } from "./handlers/payment-method-updated";
import { radarEarlyFraudWarningCreated } from "./handlers/radar-early-fraud-warning-created";
import { radarEarlyFraudWarningUpdated } from "./handlers/radar-early-fraud-warning-updated";
import { setupIntentSetupFailed } from "./handlers/setup-intent-setup-failed";
import { setupIntentSucceeded } from "./handlers/setup-intent-succeeded";

/** Event type → handler. A type not listed is recorded and acknowledged (200), never retried. */
export const webhookHandlers: Readonly<Record<string, WebhookHandler>> = {
  "payment_intent.succeeded": paymentIntentSucceeded,
  "payment_intent.payment_failed": paymentIntentPaymentFailed,
  "payment_intent.requires_action": paymentIntentRequiresAction,
  "payment_intent.canceled": paymentIntentCanceled,
  "setup_intent.succeeded": setupIntentSucceeded,
  "setup_intent.setup_failed": setupIntentSetupFailed,
  "payment_method.attached": paymentMethodAttached,
  "payment_method.detached": paymentMethodDetached,
  "payment_method.updated": paymentMethodUpdated,
  "payment_method.automatically_updated": paymentMethodAutomaticallyUpdated,
  "charge.refunded": chargeRefunded,
  "charge.dispute.created": chargeDisputeCreated,
  "charge.dispute.updated": chargeDisputeUpdated,
  "charge.dispute.closed": chargeDisputeClosed,
  "charge.dispute.funds_withdrawn": chargeDisputeFundsWithdrawn,
  "charge.dispute.funds_reinstated": chargeDisputeFundsReinstated,
  "radar.early_fraud_warning.created": radarEarlyFraudWarningCreated,
  "radar.early_fraud_warning.updated": radarEarlyFraudWarningUpdated,
};
export const handledEventTypes = Object.keys(webhookHandlers);
