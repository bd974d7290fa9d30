import { pendingInvoiceItems } from "@/db/schema";
import type { InvoiceRow } from "@/db/queries/invoices";
import { recordAudit } from "@/lib/audit/record";
import { planChange, type ChangePlan, type ProrationBehavior } from "@/lib/billing/subscriptions/change";
import { discountApplies } from "@/lib/billing/subscriptions/state";
import type { SubscriptionItemTerms } from "@/lib/billing/types";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { issueInvoice } from "../invoices/issue-invoice";
import { itemTerms } from "./load-state";
import { saveSubscriptionState } from "./save-state";
import { withSubscription, type LockedSubscription } from "./with-subscription";
import type { SubscriptionRow } from "@/db/queries/subscriptions";

export interface UpdateSubscriptionInput {
  items: { priceId: string; quantity: number }[];
  prorationBehavior: ProrationBehavior;
  effective: "now" | "period_end";
  /**
   * Prorate as of this instant instead of now (Stripe's proration_date): a preview's instant, so
   * confirming the change charges exactly what the preview showed. Within the current period, never
   * in the future.
   */
  prorationDate?: Date;
}

const CHANGEABLE = new Set(["active", "trialing", "past_due"]);

/** Validate the request against the locked subscription and plan the change (no writes). */
export async function planSubscriptionUpdate(locked: LockedSubscription, input: UpdateSubscriptionInput): Promise<{ items: SubscriptionItemTerms[]; plan: ChangePlan }> {
  const { tx, row, state, now } = locked;
  if (!CHANGEABLE.has(row.status)) {
    throw new AppError("conflict", { userMessage: `A ${row.status.replace("_", " ")} subscription cannot be changed.` });
  }
  if (row.cancelAtPeriodEnd) {
    throw new AppError("conflict", { userMessage: "This subscription cancels at the end of the period. Reactivate it before changing it." });
  }
  if (input.items.length === 0) throw new AppError("validation_failed", { param: "items", userMessage: "A subscription needs at least one item." });
  const items = await itemTerms(tx, input.items.map((i) => ({ price: i.priceId, quantity: i.quantity })));
  for (const [i, item] of items.entries()) {
    if (item.price.currency !== row.currency) {
      throw new AppError("validation_failed", { param: `items[${i}].price`, userMessage: `This price is in ${item.price.currency.toUpperCase()}; the subscription bills in ${row.currency.toUpperCase()}.` });
    }
    const first = items[0]!.plan.interval;
    if (item.plan.interval.unit !== first.unit || item.plan.interval.count !== first.count) {
      throw new AppError("validation_failed", { param: `items[${i}].price`, userMessage: "Every item of a subscription must bill on the same interval." });
    }
  }
  const at = input.prorationDate ?? now;
  if (input.prorationDate && (at > now || at < state.period.start)) {
    throw new AppError("validation_failed", { param: "proration_date", userMessage: "This preview is out of date: the billing period has moved on. Please review the change again." });
  }
  return { items, plan: planChange(state, { items, prorationBehavior: input.prorationBehavior, effective: input.effective, at }) };
}

/**
 * Change plan, quantity or interval, now (with proration) or at the end of the period (scheduled,
 * applied by the renewal). An invoice made now is charged after the transaction commits.
 */
export async function updateSubscription(ctx: ServiceContext, subscriptionId: string, input: UpdateSubscriptionInput): Promise<{ subscription: SubscriptionRow; invoice: InvoiceRow | null }> {
  const done = await withSubscription(ctx, subscriptionId, async (locked) => {
    const { tx, row, customer, state, now } = locked;
    const { plan } = await planSubscriptionUpdate(locked, input);
    for (const line of plan.pendingLines) {
      await tx.insert(pendingInvoiceItems).values({
        id: newId("invoiceItem"),
        customerId: customer.id,
        subscriptionId: row.id,
        description: line.description,
        amount: line.amount,
        quantity: line.quantity,
        unitAmount: line.unitAmount,
        currency: row.currency,
        taxBehavior: line.taxBehavior,
        periodStart: line.periodStart,
        periodEnd: line.periodEnd,
        proration: line.proration,
        priceId: line.priceId,
        createdAt: now,
      });
    }
    let invoice: InvoiceRow | null = null;
    if (plan.invoiceNow && plan.invoiceNow.length > 0) {
      invoice = await issueInvoice(tx, ctx.actor, {
        customer,
        subscription: row,
        billingReason: "subscription_update",
        period: plan.newPeriod ?? { start: now, end: state.period.end },
        lines: plan.invoiceNow,
        discount: discountApplies(state.discount) ? (state.discount?.terms ?? null) : null,
        consumesPendingItems: state.pendingLines.length > 0,
        at: now,
      }, ctx.applyMode);
    }
    const subscription = await saveSubscriptionState(tx, ctx.actor, row, state, plan.state, now, { extra: invoice ? { latestInvoiceId: invoice.id } : undefined }, ctx.applyMode);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: input.effective === "now" ? "subscription.changed" : "subscription.change_scheduled",
        entityType: "subscription",
        entityId: row.id,
        before: { items: state.items.map((i) => ({ price: i.price.id, quantity: i.quantity })) },
        after: { items: input.items, proration_behavior: input.prorationBehavior, effective: input.effective, invoice: invoice?.id ?? null },
      },
      ctx.now,
      ctx.requestId,
    );
    await enqueueEvent(tx, { type: "customer.subscription.updated", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id, effective: input.effective, change: "items", from: state.items.map((i) => ({ price: i.price.id, quantity: i.quantity })), to: input.items.map((i) => ({ price: i.priceId, quantity: i.quantity })), invoice: invoice?.id ?? null } }, now);
    return { subscription, invoice, collect: row.collectionMethod === "charge_automatically" && customer.defaultPaymentMethodId !== null };
  });
  if (done.invoice?.status === "open" && done.collect) {
    const paid = await attemptInvoicePayment(ctx, done.invoice.id);
    return { subscription: paid.subscription ?? done.subscription, invoice: paid.invoice };
  }
  return { subscription: done.subscription, invoice: done.invoice };
}
