import { z } from "zod";
import { subscriptionStatuses } from "@/lib/billing/subscriptions/statuses";
import { amountInCurrencyField, dateTimeField, idField, quantityField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { subscriptionResource } from "../resources/subscription";
import { previewLine, upcomingInvoiceResource } from "../resources/upcoming-invoice";

/** Integer minor units of the subscription's currency, never negative; null: none. */
const usageSpendThresholdField = amountInCurrencyField.nullable().meta({
  description: "Notify (usage.threshold_reached, kind spend, and an email) when the period's projected usage cost reaches 80% and 100% of this, in minor units of the subscription's currency; null: none.",
});

export const createSubscriptionOp = defineOperation({
  method: "POST",
  path: "/subscriptions",
  operationId: "createSubscription",
  summary: "Create a subscription",
  description:
    "Charges the first invoice at once when collection is automatic. A failed first charge leaves the subscription `incomplete` with the decline on `latest_invoice`.",
  tags: ["Subscriptions"],
  body: z.object({
    customer: idField("cus"),
    items: z
      .array(z.object({ price: idField("price"), quantity: quantityField.optional() }).strict())
      .min(1)
      .max(20),
    trial_period_days: z.number().int().min(0).max(730).optional(),
    collection_method: z.enum(["charge_automatically", "send_invoice"]).optional(),
    days_until_due: z.number().int().min(0).max(365).optional(),
    coupon: idField("cpn").optional(),
    promotion_code: z.string().min(1).max(255).optional().meta({ description: "A promotion code's id or the code the customer typed." }),
    billing_cycle_anchor: dateTimeField.optional().meta({ description: "A future anchor within one interval; the first period is prorated." }),
    usage_spend_threshold: usageSpendThresholdField.optional(),
  }),
  response: subscriptionResource,
});

export const listSubscriptionsOp = defineOperation({
  method: "GET",
  path: "/subscriptions",
  operationId: "listSubscriptions",
  summary: "List subscriptions, newest first",
  tags: ["Subscriptions"],
  query: listQuery.extend({ customer: idField("cus").optional(), status: z.enum(subscriptionStatuses).optional() }),
  response: listOf(subscriptionResource),
});

export const retrieveSubscriptionOp = defineOperation({
  method: "GET",
  path: "/subscriptions/{id}",
  operationId: "retrieveSubscription",
  summary: "Retrieve a subscription",
  tags: ["Subscriptions"],
  params: z.object({ id: idField("sub") }).strict(),
  response: subscriptionResource,
});

export const setUsageSpendThresholdOp = defineOperation({
  method: "POST",
  path: "/subscriptions/{id}/usage_spend_threshold",
  operationId: "setUsageSpendThreshold",
  summary: "Set or clear the subscription's usage spend threshold",
  description:
    "From the next usage check on, the period's projected usage cost reaching 80% and 100% of `amount` sends `usage.threshold_reached` (kind `spend`) and an email, once per threshold and period. `null` clears it.",
  tags: ["Subscriptions"],
  params: z.object({ id: idField("sub") }).strict(),
  body: z.object({ amount: usageSpendThresholdField }),
  response: subscriptionResource,
});

export const subscriptionOperations = [createSubscriptionOp, listSubscriptionsOp, retrieveSubscriptionOp];

const subIdParams = z.object({ id: idField("sub") }).strict();

const changeBody = z.object({
  items: z
    .array(z.object({ price: idField("price"), quantity: quantityField.optional() }).strict())
    .min(1)
    .max(20)
    .meta({ description: "The complete new set of items (plan, quantity)." }),
  proration_behavior: z.enum(["create_prorations", "always_invoice", "none"]).optional().meta({ description: "Default create_prorations." }),
  effective: z.enum(["now", "period_end"]).optional().meta({ description: "Default now; period_end schedules the change (downgrades)." }),
});

export const updateSubscriptionOp = defineOperation({
  method: "PATCH",
  path: "/subscriptions/{id}",
  operationId: "updateSubscription",
  summary: "Change plan, quantity or interval, now with proration or at the period end",
  tags: ["Subscriptions"],
  params: subIdParams,
  body: changeBody,
  response: subscriptionResource,
});


export const previewResponse = z
  .object({
    object: z.literal("subscription_change_preview"),
    currency: z.string(),
    lines: z.array(previewLine).meta({ description: "Exactly the lines the change will create." }),
    amount_due_now: z.number().int(),
    invoice_now: z.object({ subtotal: z.number().int(), discount_total: z.number().int(), tax: z.number().int(), total: z.number().int(), credit_applied: z.number().int(), amount_due: z.number().int() }).nullable(),
    next_invoice: z
      .object({ date: z.string(), amount_due: z.number().int(), total: z.number().int(), tax: z.number().int(), lines: z.array(previewLine) })
      .nullable(),
  })
  .meta({ id: "SubscriptionChangePreview" });

export const previewSubscriptionOp = defineOperation({
  method: "POST",
  path: "/subscriptions/{id}/preview",
  operationId: "previewSubscriptionChange",
  summary: "Preview a change: the lines it will create, what is due now and the next invoice",
  tags: ["Subscriptions"],
  params: subIdParams,
  body: changeBody,
  response: previewResponse,
});

export const cancelSubscriptionOp = defineOperation({
  method: "POST",
  path: "/subscriptions/{id}/cancel",
  operationId: "cancelSubscription",
  summary: "Cancel now (optionally crediting unused time) or at the period end",
  tags: ["Subscriptions"],
  params: subIdParams,
  body: z.object({
    at_period_end: z.boolean().optional(),
    prorate: z.boolean().optional().meta({ description: "Canceling now: credit the unused time to the customer's balance." }),
    refund: z.boolean().optional().meta({ description: "With prorate: refund the unused time to the card instead." }),
    reason: z.string().max(500).optional(),
  }),
  response: subscriptionResource,
});

export const reactivateSubscriptionOp = defineOperation({
  method: "POST",
  path: "/subscriptions/{id}/reactivate",
  operationId: "reactivateSubscription",
  summary: "Undo a cancellation scheduled for the period end",
  tags: ["Subscriptions"],
  params: subIdParams,
  response: subscriptionResource,
});

export const pauseSubscriptionOp = defineOperation({
  method: "POST",
  path: "/subscriptions/{id}/pause",
  operationId: "pauseSubscription",
  summary: "Pause billing (unused time is credited); resumes on resumes_at, canceled after 90 days paused",
  tags: ["Subscriptions"],
  params: subIdParams,
  body: z.object({ resumes_at: dateTimeField.optional() }),
  response: subscriptionResource,
});

export const resumeSubscriptionOp = defineOperation({
  method: "POST",
  path: "/subscriptions/{id}/resume",
  operationId: "resumeSubscription",
  summary: "Resume now: a new period starts today, billed in full",
  tags: ["Subscriptions"],
  params: subIdParams,
  response: subscriptionResource,
});



export const upcomingInvoiceOp = defineOperation({
  method: "GET",
  path: "/invoices/upcoming",
  operationId: "upcomingInvoice",
  summary: "The invoice the subscription's next renewal will produce (a dry run)",
  tags: ["Invoices"],
  query: z.object({ subscription: idField("sub") }),
  response: upcomingInvoiceResource,
});

export const applyDiscountOp = defineOperation({
  method: "POST",
  path: "/subscriptions/{id}/discount",
  operationId: "applySubscriptionDiscount",
  summary: "Apply a coupon or promotion code to the subscription's next invoices",
  tags: ["Subscriptions"],
  params: subIdParams,
  body: z.object({ coupon: idField("cpn").optional(), promotion_code: z.string().min(1).max(255).optional() }),
  response: subscriptionResource,
});

export const removeDiscountOp = defineOperation({
  method: "DELETE",
  path: "/subscriptions/{id}/discount",
  operationId: "removeSubscriptionDiscount",
  summary: "Remove the subscription's coupon",
  tags: ["Subscriptions"],
  params: subIdParams,
  response: subscriptionResource,
});

export const subscriptionLifecycleOperations = [
  applyDiscountOp,
  removeDiscountOp,
  updateSubscriptionOp,
  previewSubscriptionOp,
  cancelSubscriptionOp,
  reactivateSubscriptionOp,
  pauseSubscriptionOp,
  resumeSubscriptionOp,
  upcomingInvoiceOp,
  setUsageSpendThresholdOp,
];
