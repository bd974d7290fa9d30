"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { createWebhookEndpoint, deleteWebhookEndpoint, replayEvents, resendEvent, rotateWebhookSecret, setWebhookEndpointEnabled } from "@/lib/services/webhooks/endpoints";

const done = (message: string, id?: string) => {
  revalidatePath("/admin/developers/webhooks");
  if (id) revalidatePath(`/admin/developers/webhooks/${id}`);
  return { ok: true, message };
};

export const createWebhookEndpointAction = validatedAction(
  "api_keys.manage",
  z.object({ url: z.string().trim().min(1, "Enter the URL Tally should post events to."), description: z.string().max(200).optional(), events: z.string().default("*"), mode: z.enum(["test", "live"]) }),
  async (input, _user, ctx) => {
    const events = input.events.split(",").map((e) => e.trim()).filter(Boolean);
    const endpoint = await createWebhookEndpoint(ctx, { url: input.url, description: input.description, events, livemode: input.mode === "live" });
    revalidatePath("/admin/developers/webhooks");
    // The signing secret goes back to this one response only.
    return { ok: true, message: endpoint.secret };
  },
);

export const setWebhookEndpointEnabledAction = validatedAction("api_keys.manage", z.object({ id: z.string().min(1), enabled: z.enum(["true", "false"]) }), async (input, _user, ctx) => {
  await setWebhookEndpointEnabled(ctx, input.id, input.enabled === "true");
  return done(input.enabled === "true" ? "Endpoint enabled: deliveries waiting for it are sent now." : "Endpoint disabled: no events are sent to it until you enable it again.", input.id);
});

// The new secret goes back to this one response only (the person who rotated it); the list and detail pages never show a secret.
export const rotateWebhookSecretAction = validatedAction("api_keys.manage", z.object({ id: z.string().min(1) }), async (input, _user, ctx) => {
  const { secret } = await rotateWebhookSecret(ctx, input.id);
  revalidatePath(`/admin/developers/webhooks/${input.id}`);
  return { ok: true, message: secret };
});

export const deleteWebhookEndpointAction = validatedAction("api_keys.manage", z.object({ id: z.string().min(1) }), async (input, _user, ctx) => {
  await deleteWebhookEndpoint(ctx, input.id);
  return done("Endpoint deleted.");
});

export const resendEventAction = validatedAction("api_keys.manage", z.object({ endpoint: z.string().min(1), event: z.string().min(1) }), async (input, _user, ctx) => {
  await resendEvent(ctx, input.event, input.endpoint);
  return done(`${input.event} queued to be sent again, with the same webhook-id.`, input.endpoint);
});

/** datetime-local values, read as UTC. */
const utcLocal = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Enter a date and time.")
  .transform((v) => new Date(`${v}Z`));

export const replayEventsAction = validatedAction("api_keys.manage", z.object({ id: z.string().min(1), from: utcLocal, to: utcLocal }), async (input, _user, ctx) => {
  const queued = await replayEvents(ctx, input.id, input.from, input.to);
  return done(queued === 0 ? "No events in that range for this endpoint." : `${queued} ${queued === 1 ? "event" : "events"} queued to be sent again.`, input.id);
});
