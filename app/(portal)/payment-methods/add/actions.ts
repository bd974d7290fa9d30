"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { clientAddress } from "@/lib/http/client-address";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { testCardByToken } from "@/lib/payments/sandbox/test-cards";
import { addCard } from "@/lib/services/payment-methods/add-card";
import { cardLabel } from "@/lib/services/payment-methods/card-display";
import { startCardSetup } from "@/lib/services/payments/start-card-setup";
import type { AddCardFormState } from "@/components/portal/AddCardForm";
import { describeRetried } from "@/components/portal/retried-invoices";
import { portalFormatter } from "@/lib/portal/formatter";

type AddCardState = AddCardFormState;

const schema = z.object({
  token: z.string({ error: "Enter your card details." }).min(1, "Enter one of the test card numbers listed below.").max(255),
  make_default: z.string().optional(),
  confirmation: z.string().max(1024).optional(),
});

/** Saves a card; answers with the bank's confirm step (sandbox), a decline in words, or what the new card paid. */
export const addCardAction = validatedAction<typeof schema, AddCardState>("portal.self", schema, async (input, user, ctx): Promise<AddCardState> => {
  const fmt = await portalFormatter();
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const makeDefault = input.make_default === "on" || input.make_default === "true";
  const result = await addCard(ctx, {
    customerId: user.customerId,
    token: input.token,
    makeDefault,
    ip: clientAddress(await headers()),
    confirmation: input.confirmation || undefined,
  });
  nudgeJob("outbox.dispatch");
  switch (result.status) {
    case "declined":
      return { error: result.message, fieldErrors: { card: result.message } };
    case "requires_confirmation": {
      const card = testCardByToken(input.token);
      return { confirm: { confirmation: result.confirmation, token: input.token, makeDefault, cardLabel: card ? cardLabel({ brand: card.brand, last4: card.number.slice(-4) }) : "Your card" } };
    }
    case "saved":
      revalidatePath("/payment-methods");
      revalidatePath("/");
      return { ok: true, saved: { label: cardLabel(result.method), isDefault: result.isDefault, invoices: result.invoices.map((i) => describeRetried(i, fmt)) } };
  }
});

/** Stripe only: a SetupIntent for the Payment Element; its client secret comes back as `message`. */
export const startCardSetupAction = validatedAction("portal.self", z.object({}), async (_input, user, ctx) => {
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const intent = await startCardSetup(ctx, { customerId: user.customerId, ip: clientAddress(await headers()) });
  return { ok: true, message: intent.clientSecret };
});
