import { z } from "zod";
import { idField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { deletedWebhookEndpointResource, eventResource, webhookDeliveryResource, webhookEndpointResource } from "../resources/webhooks";

const TAGS = ["Webhook endpoints and events"];
const eventParams = z.object({ id: idField("evt") }).strict();
const endpointParams = z.object({ id: idField("we") }).strict();
const events = z.array(z.string().min(1).max(100)).min(1).max(100).meta({ example: ["invoice.paid", "customer.subscription.deleted"], description: '["*"] for every event.' });

export const listEventsOp = defineOperation({
  method: "GET",
  path: "/events",
  operationId: "listEvents",
  summary: "List events, newest first (the types a webhook endpoint may subscribe to)",
  tags: TAGS,
  query: listQuery.extend({ type: z.string().max(100).optional().meta({ description: "Only events of this type.", example: "invoice.paid" }) }),
  response: listOf(eventResource),
});

export const retrieveEventOp = defineOperation({
  method: "GET",
  path: "/events/{id}",
  operationId: "retrieveEvent",
  summary: "Retrieve an event",
  tags: TAGS,
  params: eventParams,
  response: eventResource,
});

export const resendEventOp = defineOperation({
  method: "POST",
  path: "/events/{id}/resend",
  operationId: "resendEvent",
  summary: "Send an event to an endpoint again now, with the same webhook-id",
  tags: TAGS,
  params: eventParams,
  body: z.object({ endpoint: idField("we") }),
  response: webhookDeliveryResource,
});

export const createWebhookEndpointOp = defineOperation({
  method: "POST",
  path: "/webhook_endpoints",
  operationId: "createWebhookEndpoint",
  summary: "Create a webhook endpoint; its signing secret is in this answer only",
  tags: TAGS,
  body: z.object({ url: z.string().min(1).max(2048), enabled_events: events, description: z.string().max(200).nullable().optional() }),
  response: webhookEndpointResource,
});

export const listWebhookEndpointsOp = defineOperation({
  method: "GET",
  path: "/webhook_endpoints",
  operationId: "listWebhookEndpoints",
  summary: "List the webhook endpoints of the key's mode",
  tags: TAGS,
  response: listOf(webhookEndpointResource),
});

export const retrieveWebhookEndpointOp = defineOperation({
  method: "GET",
  path: "/webhook_endpoints/{id}",
  operationId: "retrieveWebhookEndpoint",
  summary: "Retrieve a webhook endpoint",
  tags: TAGS,
  params: endpointParams,
  response: webhookEndpointResource,
});

export const updateWebhookEndpointOp = defineOperation({
  method: "PATCH",
  path: "/webhook_endpoints/{id}",
  operationId: "updateWebhookEndpoint",
  summary: "Change an endpoint's URL, events or description, or disable / enable it",
  tags: TAGS,
  params: endpointParams,
  body: z.object({ url: z.string().min(1).max(2048).optional(), enabled_events: events.optional(), description: z.string().max(200).nullable().optional(), disabled: z.boolean().optional() }),
  response: webhookEndpointResource,
});

export const deleteWebhookEndpointOp = defineOperation({
  method: "DELETE",
  path: "/webhook_endpoints/{id}",
  operationId: "deleteWebhookEndpoint",
  summary: "Delete a webhook endpoint",
  tags: TAGS,
  params: endpointParams,
  response: deletedWebhookEndpointResource,
});

export const rotateWebhookSecretOp = defineOperation({
  method: "POST",
  path: "/webhook_endpoints/{id}/rotate_secret",
  operationId: "rotateWebhookEndpointSecret",
  summary: "Rotate the signing secret: the new one is in this answer only; the previous one also signs for 24 hours",
  tags: TAGS,
  params: endpointParams,
  response: webhookEndpointResource,
});

export const listWebhookDeliveriesOp = defineOperation({
  method: "GET",
  path: "/webhook_endpoints/{id}/deliveries",
  operationId: "listWebhookEndpointDeliveries",
  summary: "List an endpoint's deliveries, newest first",
  tags: TAGS,
  params: endpointParams,
  query: listQuery,
  response: listOf(webhookDeliveryResource),
});

export const webhookOperations = [
  listEventsOp,
  retrieveEventOp,
  resendEventOp,
  createWebhookEndpointOp,
  listWebhookEndpointsOp,
  retrieveWebhookEndpointOp,
  updateWebhookEndpointOp,
  deleteWebhookEndpointOp,
  rotateWebhookSecretOp,
  listWebhookDeliveriesOp,
];
