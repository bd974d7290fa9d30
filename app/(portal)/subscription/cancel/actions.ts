"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { cancellationReasons } from "@/lib/billing/retention/vocabulary";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { redirectWithNotice } from "@/lib/portal/notice";
import { acceptRetentionOffer, confirmCancellation, type Decided } from "@/lib/services/retention/decide";
import { startCancellation, MAX_REASON_TEXT } from "@/lib/services/retention/start-cancellation";
import { portalFormatter } from "@/lib/portal/formatter";

const reasonSchema = z
  .object({
    subscriptionId: z.string().min(1, "Choose the subscription to cancel."),
    reason: z.enum(cancellationReasons, { error: "Choose the reason that fits best." }),
    reasonText: z.string().trim().max(MAX_REASON_TEXT, `Keep it under ${MAX_REASON_TEXT} characters.`).optional(),
  })
  .refine((input) => input.reason !== "other" || !!input.reasonText, { path: ["reasonText"], message: "Tell us a little about why you're leaving." });

function customerOf(user: { customerId: string | null }): string {
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  return user.customerId;
}

/** Step 1 → step 2 (the offer) or straight to step 3 when there is none. */
export const startCancellationAction = validatedAction("portal.self", reasonSchema, async (input, user, ctx) => {
  const attempt = await startCancellation(ctx, { customerId: customerOf(user), subscriptionId: input.subscriptionId, reason: input.reason, reasonText: input.reasonText ?? null });
  redirect(`/subscription/cancel?attempt=${attempt.id}${attempt.offer ? "" : "&step=confirm"}`);
});

const acceptSchema = z.object({
  attemptId: z.string().min(1),
  months: z.coerce.number().int().min(1, "Choose how long to pause.").max(3, "Choose how long to pause.").optional(),
});

export const acceptOfferAction = validatedAction("portal.self", acceptSchema, async (input, user, ctx) => {
  const customerId = customerOf(user);
  const decided = await acceptRetentionOffer(ctx, customerId, input.attemptId, { months: input.months ?? null });
  nudgeJob("outbox.dispatch");
  if (decided.attempt.outcome === "contacted_support") redirect(`/subscription/cancel?attempt=${decided.attempt.id}&step=support`);
  await redirectWithNotice("/", await notice(customerId, decided));
});

export const confirmCancellationAction = validatedAction("portal.self", z.object({ attemptId: z.string().min(1) }), async (input, user, ctx) => {
  const customerId = customerOf(user);
  const decided = await confirmCancellation(ctx, customerId, input.attemptId);
  nudgeJob("outbox.dispatch");
  await redirectWithNotice("/", await notice(customerId, decided));
});

/** What the overview's notice says happened, with dates in the customer's time zone. */
async function notice(customerId: string, { attempt }: Decided): Promise<string> {
  const fmt = await portalFormatter();
  const customer = await findCustomer(await getDb(), customerId);
  const date = fmt.date(attempt.effectiveAt, customer?.timezone ?? "UTC");
  const offer = attempt.offer;
  switch (attempt.outcome) {
    case "accepted_discount":
      return offer?.terms.kind === "discount"
        ? `Thanks for staying. ${offer.terms.percent}% off applies to your next ${offer.periods === 1 ? "invoice" : `${offer.periods} invoices`}, starting ${date}.`
        : "Thanks for staying. Your discount is applied.";
    case "paused":
      return `Your subscription is paused. Billing resumes on ${date}.`;
    case "switched_plan":
      return `You'll move to ${offer?.plan?.name ?? "the new plan"} on ${date}. Nothing changes until then.`;
    case "canceled":
      return `Your subscription is canceled and stays active until ${date}. You won't be charged again.`;
    default:
      return "Your choice is saved.";
  }
}
