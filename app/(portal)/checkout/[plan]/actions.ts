"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress } from "@/lib/http/client-address";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { redirectWithNotice } from "@/lib/portal/notice";
import { checkout } from "@/lib/services/checkout/checkout";
import { startCardSetup } from "@/lib/services/payments/start-card-setup";

const schema = z.object({
  priceId: z.string().min(1),
  token: z.string().optional(),
  promotionCode: z.string().trim().max(40).optional(),
});

export const subscribeAction = validatedAction("portal.self", schema, async (input, user, ctx) => {
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const ip = clientAddress(await headers());
  const result = await checkout(ctx, { customerId: user.customerId, priceId: input.priceId, token: input.token || undefined, promotionCode: input.promotionCode || null, ip });
  nudgeJob("outbox.dispatch");
  // The bank asks for authentication: the customer is here, so they confirm now (the email has the same link).
  if (result.confirmPath) redirect(result.confirmPath);
  if (result.declineMessage || !result.subscription) {
    const message = result.declineMessage ?? "The payment did not go through. Please try another card.";
    return { error: message, fieldErrors: { card: message } };
  }
  const notice = result.subscription.status === "trialing" ? "Your free trial has started." : "You're subscribed. Your receipt is on its way.";
  await redirectWithNotice("/", notice);
});

/** Stripe only: a SetupIntent for the Payment Element; its client secret comes back as `message`. */
export const startCardSetupAction = validatedAction("portal.self", z.object({}), async (_input, user, ctx) => {
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const intent = await startCardSetup(ctx, { customerId: user.customerId, ip: clientAddress(await headers()) });
  return { ok: true, message: intent.clientSecret };
});
