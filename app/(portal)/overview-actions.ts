"use server";

import { z } from "zod";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { validatedAction } from "@/lib/actions/validated-action";
import type { SessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { redirectWithNotice } from "@/lib/portal/notice";
import type { ServiceContext } from "@/lib/services/context";
import { pauseResumesAt } from "@/lib/billing/subscriptions/pause";
import { portalSubscription } from "@/lib/services/checkout/portal-subscription";
import { cancelScheduledChange } from "@/lib/services/subscriptions/cancel-scheduled-change";
import { reactivateSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { pauseSubscription, resumeSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { portalFormatter } from "@/lib/portal/formatter";

const subscriptionOnly = z.object({ subscriptionId: z.string().min(1) });

/** The signed-in customer and their own subscription: an id from the form is never trusted alone. */
async function own(user: SessionUser, ctx: ServiceContext, subscriptionId: string) {
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const customer = await findCustomer(ctx.db, user.customerId);
  if (!customer) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const subscription = await portalSubscription(ctx.db, customer.id, subscriptionId);
  return { customer, subscription };
}

/** Back to the overview, which says what happened. */
const done = (notice: string): Promise<never> => redirectWithNotice("/", notice);

export const pauseAction = validatedAction(
  "portal.self",
  subscriptionOnly.extend({ months: z.coerce.number().int().min(1, "Choose 1 to 3 months.").max(3, "Choose 1 to 3 months.") }),
  async (input, user, ctx) => {
    const fmt = await portalFormatter();
    const { customer, subscription } = await own(user, ctx, input.subscriptionId);
    const resumesAt = pauseResumesAt(await customerNow(ctx.db, customer, ctx.now), input.months, customer.timezone);
    await pauseSubscription(ctx, subscription.id, { resumesAt });
    nudgeJob("outbox.dispatch");
    await done(`Your subscription is paused. Billing resumes on ${fmt.date(resumesAt, customer.timezone)}.`);
  },
);

export const resumeAction = validatedAction("portal.self", subscriptionOnly, async (input, user, ctx) => {
  const { subscription } = await own(user, ctx, input.subscriptionId);
  const { invoice } = await resumeSubscription(ctx, subscription.id);
  nudgeJob("outbox.dispatch");
  if (invoice?.status === "open") {
    await redirectWithNotice(`/invoices/${invoice.id}`, "Your subscription has resumed, but the payment didn't go through. Please pay this invoice.", "warning");
  }
  await done("Welcome back! Your subscription is active again.");
});

export const reactivateAction = validatedAction("portal.self", subscriptionOnly, async (input, user, ctx) => {
  const fmt = await portalFormatter();
  const { customer, subscription } = await own(user, ctx, input.subscriptionId);
  const updated = await reactivateSubscription(ctx, subscription.id);
  nudgeJob("outbox.dispatch");
  await done(`Your subscription will continue. It renews on ${fmt.date(updated.trialEnd && updated.status === "trialing" ? updated.trialEnd : updated.currentPeriodEnd, customer.timezone)}.`);
});

export const undoScheduledChangeAction = validatedAction("portal.self", subscriptionOnly, async (input, user, ctx) => {
  const { subscription } = await own(user, ctx, input.subscriptionId);
  await cancelScheduledChange(ctx, subscription.id);
  const name = subscription.items[0]?.plan.name;
  await done(name ? `Scheduled change removed. You stay on ${name}.` : "Scheduled change removed.");
});
