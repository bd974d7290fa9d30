import { z } from "zod";
import type { PortalFlow } from "@/db/schema";
import type { CreatedPortalSession } from "@/lib/services/portal/portal-sessions";
import { idField } from "../fields";
import { defineOperation } from "../operation";

const flowData = z.discriminatedUnion("type", [
  z.object({ type: z.literal("payment_method_update") }).strict(),
  z.object({ type: z.literal("subscription_cancel"), subscription_cancel: z.object({ subscription: idField("sub") }).strict().optional() }).strict(),
  z.object({ type: z.literal("invoice_pay"), invoice_pay: z.object({ invoice: idField("in") }).strict() }).strict(),
]);

export type FlowData = z.infer<typeof flowData>;

export const portalSessionResource = z
  .object({
    id: z.string(),
    object: z.literal("billing_portal.session"),
    customer: z.string(),
    url: z.string(),
    return_url: z.string().nullable(),
    flow: z.object({ type: z.string(), subscription: z.string().optional(), invoice: z.string().optional() }).nullable(),
    expires_at: z.string(),
    created: z.string(),
  })
  .meta({ id: "PortalSession" });

export function toPortalFlow(data: FlowData | undefined): PortalFlow | null {
  if (!data) return null;
  switch (data.type) {
    case "payment_method_update":
      return { type: "payment_method_update" };
    case "subscription_cancel":
      return data.subscription_cancel ? { type: "subscription_cancel", subscription: data.subscription_cancel.subscription } : { type: "subscription_cancel" };
    case "invoice_pay":
      return { type: "invoice_pay", invoice: data.invoice_pay.invoice };
  }
}

export function toPortalSession({ session, url }: CreatedPortalSession): z.input<typeof portalSessionResource> {
  return {
    id: session.id,
    object: "billing_portal.session",
    customer: session.customerId,
    url,
    return_url: session.returnUrl,
    flow: session.flow,
    expires_at: session.expiresAt.toISOString(),
    created: session.createdAt.toISOString(),
  };
}

export const createPortalSessionOp = defineOperation({
  method: "POST",
  path: "/portal_sessions",
  operationId: "createPortalSession",
  summary: "Create a single-use link (15 minutes) that signs the customer into the billing portal, optionally straight into a flow",
  tags: ["Portal sessions"],
  body: z.object({
    customer: idField("cus"),
    return_url: z.string().max(2048).optional(),
    flow_data: flowData.optional(),
  }),
  response: portalSessionResource,
});

export const portalSessionOperations = [createPortalSessionOp];
