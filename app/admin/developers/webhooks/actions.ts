"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled } from "@/lib/services/webhooks/endpoints";

const done = (message: string) => {
  revalidatePath("/admin/developers/webhooks");
  return { ok: true, message };
};

export const createWebhookEndpointAction = validatedAction(
  "api_keys.manage",
  z.object({ url: z.string().trim().min(1, "Enter the URL Tally should post events to."), description: z.string().max(200).optional(), events: z.string().default("*"), mode: z.enum(["test", "live"]) }),
  async (input, _user, ctx) => {
    const events = input.events.split(",").map((e) => e.trim()).filter(Boolean);
    const endpoint = await createWebhookEndpoint(ctx, { url: input.url, description: input.description, events, livemode: input.mode === "live" });
    return done(`Endpoint added: ${endpoint.url}`);
  },
);

export const setWebhookEndpointEnabledAction = validatedAction("api_keys.manage", z.object({ id: z.string().min(1), enabled: z.enum(["true", "false"]) }), async (input, _user, ctx) => {
  await setWebhookEndpointEnabled(ctx, input.id, input.enabled === "true");
  return done(input.enabled === "true" ? "Endpoint enabled." : "Endpoint disabled: no events are sent to it until you enable it again.");
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
