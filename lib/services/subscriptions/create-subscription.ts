import { eq } from "drizzle-orm";
import { entitlementsChanged } from "../customers/entitlements-cache";
import { subscriptionItems, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import { customerNow, findCustomer, lockCustomer } from "@/db/queries/customers";
import { listLiveSubscriptions, type SubscriptionRow } from "@/db/queries/subscriptions";
import type { InvoiceRow } from "@/db/queries/invoices";
import { recordAudit } from "@/lib/audit/record";
import { nextDue } from "@/lib/billing/subscriptions/lifecycle";
import { firstPeriodLines } from "@/lib/billing/subscriptions/period-lines";
import { startSubscription } from "@/lib/billing/subscriptions/start-subscription";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { isGatewayError } from "@/lib/payments/gateway-error";
import type { ServiceContext } from "../context";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { issueInvoice } from "../invoices/issue-invoice";
import { gatewayCustomerId } from "../payments/gateway-customer";
import { changeSubscriptionStatus } from "./change-status";
import { resolveDiscount, redeemDiscount } from "../discounts/resolve-discount";
import { couponTerms, itemTerms } from "./load-state";
import { checkUsageSpendThreshold } from "./usage-spend-threshold";

export interface CreateSubscriptionInput {
  customerId: string;
  items: { priceId: string; quantity: number }[];
  trialPeriodDays?: number;
  collectionMethod?: "charge_automatically" | "send_invoice";
  daysUntilDue?: number;
  billingCycleAnchor?: Date | null;
  couponId?: string | null;
  /** A promotion code's id or the code the customer typed. */
  promotionCode?: string | null;
  /** Notify at 80% and 100% of this projected usage cost per period (minor units of the customer's currency); null or absent: none. */
  usageSpendThreshold?: number | null;
  /**
   * Refuse when the customer already has a live subscription — checked under the customer's row
   * lock, so two checkouts submitted at once (a double click) start one subscription.
   */
  exclusive?: boolean;
}

/**
 * Start a subscription: persist it and its first invoice in one transaction, then (outside it)
 * charge that invoice when collection is automatic. A failed first charge leaves it `incomplete`
 * with the decline on the latest invoice's payment — and so does Stripe's refusal of the charge
 * request, with Stripe's reason; a gateway that does not answer leaves the payment pending for
 * reconciliation. The customer's id at the gateway is made before anything is written, so a
 * refusal there creates nothing (docs/decisions/022).
 */
export async function createSubscription(
  ctx: ServiceContext,
  input: CreateSubscriptionInput,
): Promise<{ subscription: SubscriptionRow; invoice: InvoiceRow | null }> {
  const collectionMethod = input.collectionMethod ?? "charge_automatically";
  // The customer at the gateway first: when the gateway refuses it (or does not answer) nothing is created.
  if (collectionMethod === "charge_automatically") await ensureGatewayCustomer(ctx, input.customerId);
  const created = await ctx.db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (!customer) throw notFound("customer", "customer");
    if (input.exclusive && (await listLiveSubscriptions(tx, customer.id)).length > 0) {
      throw new AppError("conflict", { userMessage: "You already have a subscription. Change plans from your billing overview." });
    }
    const asOf = await customerNow(tx, customer, ctx.now);
    const usageSpendThreshold = checkUsageSpendThreshold(input.usageSpendThreshold, customer.currency, "usage_spend_threshold");
    if (input.items.length === 0) throw new AppError("validation_failed", { param: "items", userMessage: "A subscription needs at least one item." });
    const items = await itemTerms(tx, input.items.map((i) => ({ price: i.priceId, quantity: i.quantity })));
    for (const [i, item] of items.entries()) {
      if (item.price.currency !== customer.currency) {
        throw new AppError("validation_failed", {
          param: `items[${i}].price`,
          userMessage: `This price is in ${item.price.currency.toUpperCase()} but the customer is billed in ${customer.currency.toUpperCase()}.`,
        });
      }
      const first = items[0]!.plan.interval;
      if (item.plan.interval.unit !== first.unit || item.plan.interval.count !== first.count) {
        throw new AppError("validation_failed", { param: `items[${i}].price`, userMessage: "Every item of a subscription must bill on the same interval." });
      }
    }
    const first = items[0]!;
    const trialDays = input.trialPeriodDays ?? first.plan.trialPeriodDays;
    if (collectionMethod === "charge_automatically" && trialDays === 0 && !customer.defaultPaymentMethodId) {
      throw new AppError("validation_failed", {
        param: "customer",
        userMessage: "The customer has no payment method. Attach one before subscribing, or use collection_method send_invoice.",
      });
    }
    const resolved = await resolveDiscount(tx, {
      couponId: input.couponId,
      promotionCode: input.promotionCode,
      planIds: items.map((i) => i.plan.id),
      currency: customer.currency,
      at: asOf,
      livemode: customer.livemode,
    });
    const start = startSubscription({ interval: first.plan.interval, timeZone: customer.timezone, asOf, trialDays, billingCycleAnchor: input.billingCycleAnchor ?? null });
    const period = { start: start.currentPeriodStart, end: start.currentPeriodEnd };
    const [subscription] = await tx
      .insert(subscriptions)
      .values({
        id: newId("subscription"),
        customerId: customer.id,
        status: start.status,
        currency: customer.currency,
        billingCycleAnchor: start.billingCycleAnchor,
        currentPeriodStart: period.start,
        currentPeriodEnd: period.end,
        trialStart: start.trialStart,
        trialEnd: start.trialEnd,
        collectionMethod,
        daysUntilDue: collectionMethod === "send_invoice" ? (input.daysUntilDue ?? 30) : null,
        testClockId: customer.testClockId,
        usageSpendThreshold,
        livemode: customer.livemode,
        couponId: resolved?.coupon.id ?? null,
        promotionCodeId: resolved?.promotionCode?.id ?? null,
        discountStart: resolved ? asOf : null,
        nextDueAt: nextDue({ status: start.status, period, trialEnd: start.trialEnd, cancelAtPeriodEnd: false, pausedAt: null, pauseResumesAt: null, timeZone: customer.timezone })?.at ?? null,
        createdAt: asOf,
      })
      .returning();
    if (!subscription) throw new Error("subscription insert returned nothing");
    await tx.insert(subscriptionItems).values(
      input.items.map((item, position) => ({ id: newId("subscriptionItem"), subscriptionId: subscription.id, priceId: item.priceId, quantity: item.quantity, position, createdAt: asOf })),
    );
    if (resolved) await redeemDiscount(tx, resolved.coupon, resolved.promotionCode);
    await tx.insert(subscriptionStatusHistory).values({ subscriptionId: subscription.id, fromStatus: null, toStatus: start.status, reason: "created", at: asOf });
    await recordAudit(tx, ctx.actor, { action: "subscription.created", entityType: "subscription", entityId: subscription.id, after: { ...subscription, items: input.items } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.subscription.created", customerId: customer.id, entityId: subscription.id, payload: { subscription: subscription.id } }, asOf);
    if (start.status === "trialing") return { subscription, invoice: null };

    const invoice = await issueInvoice(tx, ctx.actor, {
      customer,
      subscription,
      billingReason: "subscription_create",
      period,
      lines: firstPeriodLines(items, period, start.billingCycleAnchor, customer.timezone),
      discount: resolved ? couponTerms(resolved.coupon) : null,
      consumesPendingItems: false,
      at: asOf,
    }, ctx.applyMode);
    const [withInvoice] = await tx
      .update(subscriptions)
      .set({ latestInvoiceId: invoice.id, discountPeriodsApplied: resolved ? 1 : 0 })
      .where(eq(subscriptions.id, subscription.id))
      .returning();
    let current = withInvoice ?? subscription;
    // Nothing to collect now (a zero invoice, or one the customer pays by bank transfer): it starts now.
    if (invoice.status === "paid" || collectionMethod === "send_invoice") {
      current = await changeSubscriptionStatus(tx, ctx.actor, current, "active", invoice.status === "paid" ? "first invoice paid" : "invoice sent", asOf);
    }
    return { subscription: current, invoice };
  });
  entitlementsChanged(input.customerId);

  if (created.invoice?.status === "open" && collectionMethod === "charge_automatically") {
    try {
      const paid = await attemptInvoicePayment(ctx, created.invoice.id);
      return { subscription: paid.subscription ?? created.subscription, invoice: paid.invoice };
    } catch (error) {
      // No answer from the gateway: the subscription stays incomplete with its first payment
      // pending under its key, which reconciliation settles (paid → active) or fails later.
      if (!isGatewayError(error, "unavailable")) throw error;
      return { subscription: created.subscription, invoice: created.invoice };
    }
  }
  return { subscription: created.subscription, invoice: created.invoice };
}

async function ensureGatewayCustomer(ctx: ServiceContext, customerId: string): Promise<void> {
  const customer = await findCustomer(ctx.db, customerId);
  if (!customer) throw notFound("customer", "customer");
  await gatewayCustomerId(ctx.db, customer);
}
