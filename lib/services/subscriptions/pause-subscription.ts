import { loadTaxSettings } from "../tax/tax-settings";
import { recordAudit } from "@/lib/audit/record";
import { cancellationCredit } from "@/lib/billing/subscriptions/change";
import { resumeNow } from "@/lib/billing/subscriptions/lifecycle";
import { pauseAutoCancelAt } from "@/lib/billing/subscriptions/pause";
import { canPause } from "@/lib/billing/subscriptions/state-machine";
import { PAUSE_AUTO_CANCEL_DAYS } from "@/lib/billing/subscriptions/state";
import { enqueueEvent } from "@/lib/events/outbox";
import type { InvoiceRow } from "@/db/queries/invoices";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { recordBalanceTransaction } from "../balance/record-balance-transaction";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { previewInvoice } from "../invoices/plan-invoice";
import { applyStep } from "./apply-step";
import { currentPeriodInvoice } from "./period-invoice";
import { saveSubscriptionState } from "./save-state";
import { withSubscription } from "./with-subscription";
import type { SubscriptionRow } from "@/db/queries/subscriptions";

/**
 * Pause: billing stops. The unused part of the current period is credited to the balance (after
 * any discount, with tax), so resuming — which starts a new period billed in full — never charges
 * twice for the same time. Resumes on `resumesAt` if given; canceled after 90 days paused.
 */
export async function pauseSubscription(ctx: ServiceContext, subscriptionId: string, input: { resumesAt?: Date | null }): Promise<{ subscription: SubscriptionRow; credited: number }> {
  return withSubscription(ctx, subscriptionId, async ({ tx, row, customer, state, now }) => {
    if (!canPause(row.status)) {
      throw new AppError("conflict", { userMessage: `A ${row.status.replace("_", " ")} subscription cannot be paused.` });
    }
    const resumesAt = input.resumesAt ?? null;
    if (resumesAt && (resumesAt <= now || resumesAt > pauseAutoCancelAt(now, customer.timezone))) {
      throw new AppError("validation_failed", { param: "resumes_at", userMessage: `resumes_at must be in the future and within ${PAUSE_AUTO_CANCEL_DAYS} days.` });
    }
    // The credit mirrors what the period was billed at: discounted when its invoice was (as when canceling).
    // Unused time is credited only for a period that was paid (a past-due period's invoice stays owed),
    // at what it was billed: discounted when its invoice was.
    const periodInvoice = await currentPeriodInvoice(tx, row.id, state.period.start);
    const discount = periodInvoice?.couponId && periodInvoice.couponId === state.discount?.terms.couponId ? state.discount.terms : null;
    const credit = periodInvoice?.status === "paid" ? cancellationCredit(state, now) : [];
    const credited = previewInvoice({ ...customer, creditBalance: 0 }, state.currency, credit, discount, now, await loadTaxSettings(tx)).excessCredit;
    if (credited > 0) {
      await recordBalanceTransaction(tx, customer, { amount: credited, type: "proration_credit", description: "Unused time while paused" }, now, ctx.applyMode);
    }
    const subscription = await saveSubscriptionState(tx, ctx.actor, row, state, { ...state, pausedAt: now, pauseResumesAt: resumesAt, pendingChange: null }, now, {
      status: { to: "paused", reason: resumesAt ? `paused until ${resumesAt.toISOString()}` : "paused" },
    }, ctx.applyMode);
    await recordAudit(tx, ctx.actor, { action: "subscription.paused", entityType: "subscription", entityId: row.id, after: { resumes_at: resumesAt, credited } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.subscription.paused", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id } }, now);
    return { subscription, credited };
  });
}

/** Resume now: a new period starts today, billed in full (less the balance), charged at once. */
export async function resumeSubscription(ctx: ServiceContext, subscriptionId: string): Promise<{ subscription: SubscriptionRow; invoice: InvoiceRow | null }> {
  const done = await withSubscription(ctx, subscriptionId, async ({ tx, row, customer, state, now }) => {
    if (row.status !== "paused") throw new AppError("conflict", { userMessage: "Only a paused subscription can be resumed." });
    const result = resumeNow(state, now);
    const applied = await applyStep(tx, ctx, row, customer, state, result);
    await enqueueEvent(tx, { type: "customer.subscription.resumed", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id } }, now);
    return { ...applied, collect: row.collectionMethod === "charge_automatically" && customer.defaultPaymentMethodId !== null };
  });
  if (done.invoice?.status === "open" && done.collect) {
    const paid = await attemptInvoicePayment(ctx, done.invoice.id);
    return { subscription: paid.subscription ?? done.subscription, invoice: paid.invoice };
  }
  return { subscription: done.subscription, invoice: done.invoice };
}
