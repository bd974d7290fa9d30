import { apiCostAlerts, leakageCheck, retentionRun, taxRefresh, outboxDispatch, paymentsGatewaySync, paymentsReconcile, remindersSend, stripeEventsSweep, usageLate } from "./crons";
import { dunningRun, invoiceDunningFlow } from "./dunning";
import { paymentRetriesFanOut } from "./payment-retries-fan-out";
import { paymentRetry } from "./payment-retry";
import { renewalsFanOut } from "./renewals-fan-out";
import { subscriptionsBill } from "./subscriptions-bill";
import { webhookEndpointDeliver, webhooksFanOut } from "./webhooks";

/** Every function served at /api/inngest. */
export const functions = [
  renewalsFanOut,
  subscriptionsBill,
  paymentRetriesFanOut,
  paymentRetry,
  outboxDispatch,
  paymentsReconcile,
  paymentsGatewaySync,
  stripeEventsSweep,
  dunningRun,
  invoiceDunningFlow,
  remindersSend,
  usageLate,
  apiCostAlerts,
  leakageCheck,
  webhooksFanOut,
  webhookEndpointDeliver,
  retentionRun,
  taxRefresh,
];
