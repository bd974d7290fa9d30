"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { cardLabel } from "@/lib/services/payment-methods/card-display";
import { removePaymentMethod } from "@/lib/services/payment-methods/remove-payment-method";
import { setDefaultPaymentMethod } from "@/lib/services/payment-methods/set-default-payment-method";
import { describeRetried } from "@/components/portal/retried-invoices";
import { portalFormatter } from "@/lib/portal/formatter";

const cardInput = z.object({ payment_method: z.string().min(1).max(64) });

function ownCustomer(customerId: string | null | undefined): string {
  if (!customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  return customerId;
}

/** The card is always looked up within the signed-in customer's own cards (never by the id alone). */
export const makeDefaultAction = validatedAction("portal.self", cardInput, async (input, user, ctx) => {
  const fmt = await portalFormatter();
  const result = await setDefaultPaymentMethod(ctx, { customerId: ownCustomer(user.customerId), paymentMethodId: input.payment_method });
  nudgeJob("outbox.dispatch");
  revalidatePath("/payment-methods");
  const lines = [`${cardLabel(result.method)} is now your default card.`, ...result.invoices.map((i) => describeRetried(i, fmt).text)];
  // ok: everything it was charged for is paid (the page shows a warning otherwise).
  return { ok: result.invoices.every((i) => i.outcome === "paid"), message: lines.join(" ") };
});

export const removeCardAction = validatedAction("portal.self", cardInput, async (input, user, ctx) => {
  const { removed, effect } = await removePaymentMethod(ctx, { customerId: ownCustomer(user.customerId), paymentMethodId: input.payment_method });
  nudgeJob("outbox.dispatch");
  revalidatePath("/payment-methods");
  const message = effect.kind === "last_card" ? `${cardLabel(removed)} was removed. You have no saved cards now.` : `${cardLabel(removed)} was removed.`;
  return { ok: true, message };
});
