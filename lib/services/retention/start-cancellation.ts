import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { listActivePlansWithPrices } from "@/db/queries/catalog";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { abandonOpenAttempts, offersShown, type CancellationAttemptRow } from "@/db/queries/retention";
import { findSubscription, type SubscriptionView } from "@/db/queries/subscriptions";
import { cancellationAttempts, subscriptions } from "@/db/schema";
import { cancellationReasons, type CancellationReason } from "@/lib/billing/retention/vocabulary";
import { recordAudit } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import { randomToken } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { offerConfigFor } from "./offers";
import { cancelBlocker, chooseOffer, type CatalogPlan, type SubscriptionFacts } from "@/lib/billing/retention/offer-policy";

export interface StartCancellationInput {
  /** The signed-in subscriber's customer: the subscription must be theirs. */
  customerId: string;
  subscriptionId: string;
  reason: CancellationReason;
  reasonText?: string | null;
}

export const MAX_REASON_TEXT = 1000;

/** Attempt ids are unguessable and sort by creation, like the other ids. */
function attemptId(): string {
  return `cxa_${Date.now().toString(36)}${randomToken(14)}`;
}

/**
 * Step 1 of the cancel flow: record why, and decide the offer to show. The attempt stays open
 * (no outcome) until the subscriber accepts the offer or confirms; an earlier open attempt for
 * the same subscription is marked abandoned.
 */
export async function startCancellation(ctx: ServiceContext, input: StartCancellationInput): Promise<CancellationAttemptRow> {
  if (!cancellationReasons.includes(input.reason)) throw new AppError("validation_failed", { param: "reason", userMessage: "Choose a reason." });
  const reasonText = input.reasonText?.trim() || null;
  if (input.reason === "other" && !reasonText) throw new AppError("validation_failed", { param: "reasonText", userMessage: "Tell us a little about why you're leaving." });
  if (reasonText && reasonText.length > MAX_REASON_TEXT) throw new AppError("too_long", { param: "reasonText", userMessage: `Keep it under ${MAX_REASON_TEXT} characters.` });

  return ctx.db.transaction(async (tx) => {
    // Locked so two tabs starting at once serialise (each abandons the other's open attempt in turn).
    await tx.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.id, input.subscriptionId)).for("update");
    const subscription = await findSubscription(tx, input.subscriptionId);
    if (!subscription || subscription.customerId !== input.customerId) throw notFound("subscription", "subscriptionId");
    if (cancelBlocker(subscription)) throw new AppError("conflict", { param: "subscriptionId", userMessage: "This subscription can't be canceled here." });

    // A customer on a test clock lives in the clock's time: the 12-month window is measured there, in the customer's calendar.
    const customer = await findCustomer(tx, subscription.customerId);
    if (!customer) throw notFound("customer");
    const now = await customerNow(tx, customer, ctx.now);
    const config = await offerConfigFor(tx, input.reason);
    const history = await offersShown(tx, subscription.id);
    const catalog = await catalogFor(tx, subscription.currency);
    const decision = chooseOffer({ config, subscription: facts(subscription), history, catalog, now, timeZone: customer.timezone });
    await abandonOpenAttempts(tx, subscription.id, now);
    const [row] = await tx
      .insert(cancellationAttempts)
      .values({
        id: attemptId(),
        customerId: subscription.customerId,
        subscriptionId: subscription.id,
        reason: input.reason,
        reasonText,
        offer: decision.offer,
        offerWithheld: decision.withheld,
        startedAt: now,
        livemode: subscription.livemode,
      })
      .returning();
    if (!row) throw new Error("cancellation attempt insert returned nothing");
    await recordAudit(
      tx,
      ctx.actor,
      { action: "retention.cancel_started", entityType: "subscription", entityId: subscription.id, after: { attempt: row.id, reason: row.reason, offer: row.offer?.terms ?? null, withheld: row.offerWithheld } },
      ctx.now,
      ctx.requestId,
    );
    return row;
  });
}

export function facts(subscription: SubscriptionView): SubscriptionFacts {
  return {
    status: subscription.status,
    hasDiscount: subscription.couponId !== null,
    currency: subscription.currency,
    items: subscription.items.map((i) => ({
      planId: i.plan.id,
      productId: i.plan.productId,
      priceId: i.price.id,
      unitAmount: i.price.billingScheme === "per_unit" ? i.price.unitAmount : null,
      quantity: i.quantity,
      interval: i.plan.interval,
      intervalCount: i.plan.intervalCount,
    })),
  };
}

async function catalogFor(tx: Executor, currency: string): Promise<CatalogPlan[]> {
  return (await listActivePlansWithPrices(tx)).map(({ plan, prices }) => {
    const price = prices.find((p) => p.currency === currency) ?? null;
    return {
      planId: plan.id,
      productId: plan.productId,
      name: plan.name,
      interval: plan.interval,
      intervalCount: plan.intervalCount,
      sortOrder: plan.sortOrder,
      price: price ? { id: price.id, unitAmount: price.unitAmount, billingScheme: price.billingScheme, usageType: price.usageType } : null,
    };
  });
}
