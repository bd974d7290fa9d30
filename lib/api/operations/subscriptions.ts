import { z } from "zod";
import { subscriptionStatuses } from "@/db/schema";
import { idField, quantityField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { subscriptionResource } from "../resources/subscription";

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

export const subscriptionOperations = [createSubscriptionOp, listSubscriptionsOp, retrieveSubscriptionOp];
