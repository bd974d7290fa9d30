import type { Db, Tx } from "@/db/client";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { findAttempt, lockAttempt, type CancellationAttemptRow } from "@/db/queries/retention";
import { findSubscription } from "@/db/queries/subscriptions";
import { cancellationAttempts } from "@/db/schema";
import type { RetentionOutcome } from "@/lib/billing/retention/vocabulary";
import { recordAudit } from "@/lib/audit/record";
import type { EventPayload } from "@/lib/events/catalog/events";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../context";
import { applyDiscount } from "../subscriptions/apply-discount";
import { cancelSubscription } from "../subscriptions/cancel-subscription";
import { pauseSubscription } from "../subscriptions/pause-subscription";
import { updateSubscription } from "../subscriptions/update-subscription";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { pauseResumesAt } from "@/lib/billing/subscriptions/pause";
import { retentionCoupon } from "./retention-coupon";

export interface Decided {
  attempt: CancellationAttemptRow;
  subscription: SubscriptionRow | null;
}

interface Decision {
  outcome: RetentionOutcome;
  effectiveAt: Date | null;
  couponId?: string | null;
  subscription: SubscriptionRow | null;
  /** What the outcome did, in the event payload's words. */
  detail?: Partial<Pick<EventPayload<"retention.outcome_recorded">, "coupon" | "months" | "credited" | "plan" | "price" | "at_period_end" | "offer_declined">>;
}

/**
 * Decide an open attempt in one transaction: lock it, run the subscription change through the
 * subscription service (nested, so its own audit entry and events land in this transaction),
 * then record the outcome, audit it and announce it. Either all of it happens or none of it.
 * Only the customer who started the attempt may decide it.
 */
async function decide(
  ctx: ServiceContext,
  customerId: string,
  attemptId: string,
  run: (locked: { tx: Tx; attempt: CancellationAttemptRow; inner: ServiceContext; now: Date; timeZone: string }) => Promise<Decision>,
): Promise<Decided> {
  return ctx.db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, attemptId);
    if (!attempt || attempt.customerId !== customerId) throw notFound("cancellation", "attempt");
    if (attempt.outcome !== null) {
      throw new AppError("conflict", { userMessage: attempt.outcome === "abandoned" ? "This cancellation was started again elsewhere. Please start over." : "You've already made this choice." });
    }
    const customer = await findCustomer(tx, customerId);
    if (!customer) throw notFound("customer");
    const now = await customerNow(tx, customer, ctx.now);
    // The subscription services open their own transaction: on this handle it is a savepoint inside ours.
    const inner: ServiceContext = { ...ctx, db: tx as unknown as Db };
    const decision = await run({ tx, attempt, inner, now, timeZone: customer.timezone });
    const [updated] = await tx
      .update(cancellationAttempts)
      .set({ outcome: decision.outcome, decidedAt: now, effectiveAt: decision.effectiveAt, couponId: decision.couponId ?? null })
      .where(eq(cancellationAttempts.id, attempt.id))
      .returning();
    if (!updated) throw new Error("cancellation attempt vanished");
    const summary = { attempt: attempt.id, reason: attempt.reason, offer: attempt.offer?.terms ?? null, outcome: decision.outcome, effective_at: decision.effectiveAt?.toISOString() ?? null, ...decision.detail };
    await recordAudit(tx, ctx.actor, { action: `retention.${decision.outcome}`, entityType: "subscription", entityId: attempt.subscriptionId, before: { attempt: attempt.id, outcome: null }, after: summary }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "retention.outcome_recorded", customerId, entityId: attempt.subscriptionId, payload: { subscription: attempt.subscriptionId, ...summary } }, now);
    return { attempt: updated, subscription: decision.subscription };
  });
}

function offerOf(attempt: CancellationAttemptRow, kind: string) {
  const offer = attempt.offer;
  if (!offer || offer.terms.kind !== kind) throw new AppError("conflict", { userMessage: "This offer is no longer available." });
  return offer;
}

/** Accept the discount: the retention coupon goes on the subscription and discounts the next invoices. */
export function acceptDiscountOffer(ctx: ServiceContext, customerId: string, attemptId: string): Promise<Decided> {
  return decide(ctx, customerId, attemptId, async ({ tx, attempt, inner, now }) => {
    const offer = offerOf(attempt, "discount");
    if (offer.terms.kind !== "discount" || !offer.periods) throw new AppError("conflict", { userMessage: "This offer is no longer available." });
    const coupon = await retentionCoupon(tx, ctx, { percent: offer.terms.percent, months: offer.terms.months, periods: offer.periods, livemode: attempt.livemode }, now);
    const subscription = await applyDiscount(inner, attempt.subscriptionId, { couponId: coupon.id });
    return { outcome: "accepted_discount", effectiveAt: subscription.currentPeriodEnd, couponId: coupon.id, subscription, detail: { coupon: coupon.id } };
  });
}

/** Pause instead of canceling, for 1 to the offer's maximum months. */
export function acceptPauseOffer(ctx: ServiceContext, customerId: string, attemptId: string, months: number): Promise<Decided> {
  return decide(ctx, customerId, attemptId, async ({ attempt, inner, now, timeZone }) => {
    const offer = offerOf(attempt, "pause");
    if (offer.terms.kind !== "pause") throw new AppError("conflict", { userMessage: "This offer is no longer available." });
    if (!Number.isInteger(months) || months < 1 || months > offer.terms.maxMonths) {
      throw new AppError("validation_failed", { param: "months", userMessage: `Choose a pause of 1 to ${offer.terms.maxMonths} month${offer.terms.maxMonths === 1 ? "" : "s"}.` });
    }
    const resumesAt = pauseResumesAt(now, months, timeZone);
    const { subscription, credited } = await pauseSubscription(inner, attempt.subscriptionId, { resumesAt });
    return { outcome: "paused", effectiveAt: resumesAt, subscription, detail: { months, credited } };
  });
}

/** Move to the cheaper plan at the end of the period (no proration: the current period stays as paid). */
export function acceptCheaperPlanOffer(ctx: ServiceContext, customerId: string, attemptId: string): Promise<Decided> {
  return decide(ctx, customerId, attemptId, async ({ tx, attempt, inner }) => {
    const offer = offerOf(attempt, "cheaper_plan");
    if (!offer.plan) throw new AppError("conflict", { userMessage: "This offer is no longer available." });
    const current = await findSubscription(tx, attempt.subscriptionId);
    const quantity = current?.items[0]?.quantity ?? 1;
    const { subscription } = await updateSubscription(inner, attempt.subscriptionId, { items: [{ priceId: offer.plan.priceId, quantity }], prorationBehavior: "none", effective: "period_end" });
    return { outcome: "switched_plan", effectiveAt: subscription.currentPeriodEnd, subscription, detail: { plan: offer.plan.id, price: offer.plan.priceId } };
  });
}

/** Talk to support instead: nothing changes on the subscription; the choice is recorded. */
export function acceptSupportOffer(ctx: ServiceContext, customerId: string, attemptId: string): Promise<Decided> {
  return decide(ctx, customerId, attemptId, async ({ attempt }) => {
    offerOf(attempt, "contact_support");
    return { outcome: "contacted_support", effectiveAt: null, subscription: null };
  });
}

/**
 * Confirm: cancel at the end of the period (the subscription stays usable until then and is not
 * charged again). Any offer shown was declined.
 */
export function confirmCancellation(ctx: ServiceContext, customerId: string, attemptId: string): Promise<Decided> {
  return decide(ctx, customerId, attemptId, async ({ attempt, inner }) => {
    const reason = attempt.reasonText ? `${attempt.reason}: ${attempt.reasonText}` : attempt.reason;
    const { subscription } = await cancelSubscription(inner, attempt.subscriptionId, { atPeriodEnd: true, reason });
    return { outcome: "canceled", effectiveAt: subscription.nextDueAt ?? subscription.currentPeriodEnd, subscription, detail: { at_period_end: true, offer_declined: attempt.offer !== null } };
  });
}

/** Accept whatever offer the attempt showed (the portal's one "Accept" button). */
export async function acceptRetentionOffer(ctx: ServiceContext, customerId: string, attemptId: string, input: { months?: number | null } = {}): Promise<Decided> {
  const attempt = await findAttempt(ctx.db, attemptId);
  if (!attempt || attempt.customerId !== customerId) throw notFound("cancellation", "attempt");
  switch (attempt.offer?.terms.kind) {
    case "discount":
      return acceptDiscountOffer(ctx, customerId, attemptId);
    case "pause":
      return acceptPauseOffer(ctx, customerId, attemptId, input.months ?? 1);
    case "cheaper_plan":
      return acceptCheaperPlanOffer(ctx, customerId, attemptId);
    case "contact_support":
      return acceptSupportOffer(ctx, customerId, attemptId);
    default:
      throw new AppError("conflict", { userMessage: "There is no offer to accept." });
  }
}
