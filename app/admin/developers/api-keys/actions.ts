"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { createApiKey, revokeApiKey } from "@/lib/api/keys";

export const createApiKeyAction = validatedAction(
  "api_keys.manage",
  z.object({ name: z.string().trim().min(1, "Name the key after what uses it, e.g. Production backend.").max(200), mode: z.enum(["test", "live"]) }),
  async (input, _user, ctx) => {
    const created = await createApiKey(ctx.db, { name: input.name, livemode: input.mode === "live", actor: ctx.actor, now: ctx.now });
    revalidatePath("/admin/developers/api-keys");
    // The whole key goes back to this one response only; Tally keeps its hash.
    return { ok: true, message: created.key };
  },
);

export const revokeApiKeyAction = validatedAction("api_keys.manage", z.object({ id: z.string().min(1) }), async (input, _user, ctx) => {
  const revoked = await revokeApiKey(ctx.db, input.id, ctx.actor, ctx.now);
  revalidatePath("/admin/developers/api-keys");
  return { ok: true, message: `${revoked.name} revoked. Requests with it now get 401.` };
});
