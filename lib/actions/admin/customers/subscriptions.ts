"use server";

import { z } from "zod";
import type { Executor } from "@/db/client";
import { findPriceWithPlan } from "@/db/queries/catalog";
import { findSubscription, type SubscriptionView } from "@/db/queries/subscriptions";
import { validatedAction, type ActionState } from "@/lib/actions/validated-action";
import { AppError, notFound } from "@/lib/errors";
import { cancelSubscription, reactivateSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { applyDiscount } from "@/lib/services/subscriptions/apply-discount";
import { setUsageSpendThreshold } from "@/lib/services/subscriptions/usage-spend-threshold";
import { pauseSubscription, resumeSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { previewSubscriptionUpdate } from "@/lib/services/subscriptions/preview";
import { itemsWithPlan } from "@/lib/services/subscriptions/plan-item";
import { updateSubscription, type UpdateSubscriptionInput } from "@/lib/services/subscriptions/update-subscription";
import type { ChangePreviewView } from "./change-preview";
import { assertOwned, customerField, idField, parseAmount, refreshCustomer } from "./helpers";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const changeSchema = z.object({
  customerId: customerField,
  subscriptionId: idField,
  priceId: z.string().min(1, "Choose a plan."),
  quantity: z.coerce.number({ message: "Enter a whole number." }).int("Enter a whole number.").min(1, "At least 1.").max(10_000, "At most 10,000."),
  effective: z.enum(["now", "period_end"]),
  prorationBehavior: z.enum(["create_prorations", "always_invoice", "none"]),
});

/**
 * The change as the engine takes it: the subscription's plan item replaced by the chosen price, its
 * metered add-ons kept with their prices so they keep measuring (decision 030); a subscription with
 * several licensed items is refused (change those through the API, item by item).
 */
async function changeInput(db: Executor, subscription: SubscriptionView, input: z.infer<typeof changeSchema>): Promise<UpdateSubscriptionInput> {
  const found = await findPriceWithPlan(db, input.priceId);
  if (!found) throw notFound("price", "priceId");
  const items = itemsWithPlan(subscription.items, { priceId: found.price.id, quantity: input.quantity, usageType: found.price.usageType });
  return { items, effective: input.effective, prorationBehavior: input.prorationBehavior };
}

async function ownedSubscription(db: Executor, input: { subscriptionId: string; customerId: string }): Promise<SubscriptionView> {
  await assertOwned(db, "subscription", input.subscriptionId, input.customerId);
  const subscription = await findSubscription(db, input.subscriptionId);
  if (!subscription) throw new AppError("not_found", { userMessage: "No such subscription." });
  return subscription;
}

/** The proration preview the change itself would run, formatted for the confirmation. */
export const previewChangeAction = validatedAction("subscriptions.write", changeSchema, async (input, _user, ctx): Promise<ActionState & { preview?: ChangePreviewView }> => {
  const fmt = await consoleFormatter();
  const subscription = await ownedSubscription(ctx.db, input);
  const preview = await previewSubscriptionUpdate(ctx, input.subscriptionId, await changeInput(ctx.db, subscription, input));
  const money = (n: number) => fmt.money(n, preview.currency);
  const periodEnd = fmt.date(subscription.currentPeriodEnd);
  return {
    ok: true,
    preview: {
      lines: preview.lines.map((l) => ({ description: l.description, amount: money(l.amount), proration: l.proration })),
      dueNow: money(preview.amountDueNow),
      dueNowMinor: preview.amountDueNow,
      next: preview.next
        ? { amount: money(preview.next.invoice.amountDue), date: fmt.date(preview.next.date), credit: preview.next.invoice.creditApplied > 0 ? money(preview.next.invoice.creditApplied) : null }
        : null,
      timing:
        input.effective === "period_end"
          ? `The change takes effect at the end of the current period (${periodEnd}).`
          : input.prorationBehavior === "create_prorations"
            ? "The prorations are added to the next invoice."
            : input.prorationBehavior === "always_invoice"
              ? "The prorations are invoiced and charged now."
              : "No proration: the new price applies from the next period.",
    },
  };
});

export const changePlanAction = validatedAction("subscriptions.write", changeSchema, async (input, _user, ctx) => {
  const subscription = await ownedSubscription(ctx.db, input);
  const { invoice } = await updateSubscription(ctx, input.subscriptionId, await changeInput(ctx.db, subscription, input));
  refreshCustomer(input.customerId);
  const charged = invoice ? ` Invoice ${invoice.number ?? invoice.id} is ${invoice.status}.` : "";
  return { ok: true, message: input.effective === "now" ? `Plan changed.${charged}` : "Plan change scheduled for the end of the period." };
});

const subscriptionSchema = z.object({ customerId: customerField, subscriptionId: idField });

export const cancelSubscriptionAction = validatedAction(
  "subscriptions.write",
  subscriptionSchema.extend({
    when: z.enum(["period_end", "now"]),
    unused: z.enum(["none", "credit", "refund"]).default("none"),
    reason: z.string().max(500).optional(),
  }),
  async (input, _user, ctx) => {
    await assertOwned(ctx.db, "subscription", input.subscriptionId, input.customerId);
    const atPeriodEnd = input.when === "period_end";
    const { credited } = await cancelSubscription(ctx, input.subscriptionId, {
      atPeriodEnd,
      prorate: !atPeriodEnd && input.unused !== "none",
      refund: !atPeriodEnd && input.unused === "refund",
      reason: input.reason?.trim() || null,
    });
    refreshCustomer(input.customerId);
    return { ok: true, message: atPeriodEnd ? "The subscription will cancel at the end of the period." : credited > 0 ? "Subscription canceled; unused time returned." : "Subscription canceled." };
  },
);

export const pauseSubscriptionAction = validatedAction(
  "subscriptions.write",
  subscriptionSchema.extend({ resumesOn: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, "Pick a date.").optional() }),
  async (input, _user, ctx) => {
    await assertOwned(ctx.db, "subscription", input.subscriptionId, input.customerId);
    const resumesAt = input.resumesOn ? new Date(`${input.resumesOn}T00:00:00Z`) : null;
    const { credited } = await pauseSubscription(ctx, input.subscriptionId, { resumesAt });
    refreshCustomer(input.customerId);
    return { ok: true, message: credited > 0 ? "Subscription paused; unused time credited to the balance." : "Subscription paused." };
  },
);

export const resumeSubscriptionAction = validatedAction("subscriptions.write", subscriptionSchema, async (input, _user, ctx) => {
  await assertOwned(ctx.db, "subscription", input.subscriptionId, input.customerId);
  const { invoice } = await resumeSubscription(ctx, input.subscriptionId);
  refreshCustomer(input.customerId);
  return { ok: true, message: invoice ? `Subscription resumed. Invoice ${invoice.number ?? invoice.id} is ${invoice.status}.` : "Subscription resumed." };
});

export const reactivateSubscriptionAction = validatedAction("subscriptions.write", subscriptionSchema, async (input, _user, ctx) => {
  await assertOwned(ctx.db, "subscription", input.subscriptionId, input.customerId);
  await reactivateSubscription(ctx, input.subscriptionId);
  refreshCustomer(input.customerId);
  return { ok: true, message: "The scheduled cancellation is undone." };
});

export const applyCouponAction = validatedAction(
  "subscriptions.write",
  subscriptionSchema.extend({ couponId: z.string().max(100).optional(), promotionCode: z.string().max(100).optional() }),
  async (input, _user, ctx) => {
    await assertOwned(ctx.db, "subscription", input.subscriptionId, input.customerId);
    const couponId = input.couponId?.trim() || null;
    const promotionCode = input.promotionCode?.trim() || null;
    if (!couponId && !promotionCode) throw new AppError("validation_failed", { param: "couponId", userMessage: "Choose a coupon or enter a promotion code." });
    await applyDiscount(ctx, input.subscriptionId, couponId ? { couponId } : { promotionCode });
    refreshCustomer(input.customerId);
    return { ok: true, message: "Coupon applied to the next invoices." };
  },
);

/**
 * The usage spend threshold (decision 030): an amount in the subscription's currency, or empty to
 * clear it. The service checks, audits and drops the customer's cached entitlements.
 */
export const setUsageSpendThresholdAction = validatedAction(
  "subscriptions.write",
  subscriptionSchema.extend({ amount: z.string().max(30).optional() }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    const subscription = await ownedSubscription(ctx.db, input);
    const typed = input.amount?.trim() ?? "";
    const amount = typed === "" ? null : parseAmount(typed, subscription.currency);
    await setUsageSpendThreshold(ctx, input.subscriptionId, amount);
    refreshCustomer(input.customerId);
    return { ok: true, message: amount === null ? "Usage spend threshold cleared." : `Usage spend threshold set to ${fmt.money(amount, subscription.currency)}.` };
  },
);
