import { eq } from "drizzle-orm";
import { customers, subscriptionItems, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import { customerNow, lockCustomer } from "@/db/queries/customers";
import { findPriceWithPlan } from "@/db/queries/catalog";
import type { InvoiceRow } from "@/db/queries/invoices";
import { recordAudit } from "@/lib/audit/record";
import { draftSubscriptionInvoice } from "@/lib/billing/invoices/draft-subscription-invoice";
import { startSubscription } from "@/lib/billing/subscriptions/start-subscription";
import type { SubscriptionItemTerms } from "@/lib/billing/types";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { australianGst } from "@/lib/tax/au-gst";
import type { ServiceContext } from "../context";
import { finalizeInvoice } from "../invoices/finalize-invoice";
import { insertInvoiceDraft } from "../invoices/insert-draft";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { changeSubscriptionStatus } from "./change-status";
import { toItemTerms } from "./item-terms";

export interface CreateSubscriptionInput {
  customerId: string;
  items: { priceId: string; quantity: number }[];
  trialPeriodDays?: number;
  collectionMethod?: "charge_automatically" | "send_invoice";
  daysUntilDue?: number;
}

export type SubscriptionRow = typeof subscriptions.$inferSelect;

/**
 * Start a subscription: persist it and its first invoice in one transaction, then (outside it)
 * charge that invoice when collection is automatic. A failed first charge leaves it `incomplete`
 * with the decline on the latest invoice's payment.
 */
export async function createSubscription(
  ctx: ServiceContext,
  input: CreateSubscriptionInput,
): Promise<{ subscription: SubscriptionRow; invoice: InvoiceRow | null }> {
  const collectionMethod = input.collectionMethod ?? "charge_automatically";
  const created = await ctx.db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (!customer) throw notFound("customer", "customer");
    const asOf = await customerNow(tx, customer, ctx.now);
    const items: SubscriptionItemTerms[] = [];
    for (const [i, item] of input.items.entries()) {
      const found = await findPriceWithPlan(tx, item.priceId);
      if (!found || !found.price.active) throw notFound("price", `items[${i}].price`);
      if (found.price.currency !== customer.currency) {
        throw new AppError("validation_failed", {
          param: `items[${i}].price`,
          userMessage: `This price is in ${found.price.currency.toUpperCase()} but the customer is billed in ${customer.currency.toUpperCase()}.`,
        });
      }
      items.push(toItemTerms(found.price, found.plan, item.quantity));
    }
    const first = items[0];
    if (!first) throw new AppError("validation_failed", { param: "items", userMessage: "A subscription needs at least one item." });
    const trialDays = input.trialPeriodDays ?? first.plan.trialPeriodDays;
    if (collectionMethod === "charge_automatically" && trialDays === 0 && !customer.defaultPaymentMethodId) {
      throw new AppError("validation_failed", {
        param: "customer",
        userMessage: "The customer has no payment method. Attach one before subscribing, or use collection_method send_invoice.",
      });
    }
    const start = startSubscription({ interval: first.plan.interval, timeZone: customer.timezone, asOf, trialDays });
    const livemode = customer.livemode;
    const [subscription] = await tx
      .insert(subscriptions)
      .values({
        id: newId("subscription"),
        customerId: customer.id,
        status: start.status,
        currency: customer.currency,
        billingCycleAnchor: start.billingCycleAnchor,
        currentPeriodStart: start.currentPeriodStart,
        currentPeriodEnd: start.currentPeriodEnd,
        trialStart: start.trialStart,
        trialEnd: start.trialEnd,
        collectionMethod,
        daysUntilDue: collectionMethod === "send_invoice" ? (input.daysUntilDue ?? 30) : null,
        testClockId: customer.testClockId,
        livemode,
        createdAt: asOf,
      })
      .returning();
    if (!subscription) throw new Error("subscription insert returned nothing");
    await tx.insert(subscriptionItems).values(
      input.items.map((item) => ({ id: newId("subscriptionItem"), subscriptionId: subscription.id, priceId: item.priceId, quantity: item.quantity, createdAt: asOf })),
    );
    await tx.insert(subscriptionStatusHistory).values({ subscriptionId: subscription.id, fromStatus: null, toStatus: start.status, reason: "created", at: asOf });
    await recordAudit(tx, ctx.actor, { action: "subscription.created", entityType: "subscription", entityId: subscription.id, after: { ...subscription, items: input.items } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.subscription.created", customerId: customer.id, entityId: subscription.id, payload: { subscription: subscription.id } }, asOf);
    if (start.status === "trialing") return { subscription, invoice: null, asOf };

    const period = { start: start.currentPeriodStart, end: start.currentPeriodEnd };
    const draft = draftSubscriptionInvoice({ customer, items, period, taxCalculator: australianGst, asOf });
    const inserted = await insertInvoiceDraft(tx, {
      customerId: customer.id,
      subscriptionId: subscription.id,
      billingReason: "subscription_create",
      collectionMethod,
      period,
      draft,
      livemode,
      at: asOf,
    });
    if (draft.creditApplied > 0) {
      await tx.update(customers).set({ creditBalance: customer.creditBalance - draft.creditApplied }).where(eq(customers.id, customer.id));
    }
    const invoice = await finalizeInvoice(tx, ctx.actor, inserted, asOf, subscription.daysUntilDue);
    let current = (await tx.update(subscriptions).set({ latestInvoiceId: invoice.id }).where(eq(subscriptions.id, subscription.id)).returning())[0] ?? subscription;
    // Nothing to collect (a zero invoice, or one paid by invoice later): the subscription starts now.
    if (invoice.status === "paid" || collectionMethod === "send_invoice") {
      current = await changeSubscriptionStatus(tx, ctx.actor, current, "active", invoice.status === "paid" ? "first invoice paid" : "invoice sent", asOf);
    }
    return { subscription: current, invoice, asOf };
  });

  if (created.invoice?.status === "open" && collectionMethod === "charge_automatically") {
    const paid = await attemptInvoicePayment(ctx, created.invoice.id);
    return { subscription: paid.subscription ?? created.subscription, invoice: paid.invoice };
  }
  return { subscription: created.subscription, invoice: created.invoice };
}
