import { loadTaxSettings } from "../tax/tax-settings";
import { recordAudit } from "@/lib/audit/record";
import { cancellationCredit } from "@/lib/billing/subscriptions/change";
import { nextDue } from "@/lib/billing/subscriptions/lifecycle";
import { usageLines } from "@/lib/billing/subscriptions/usage-lines";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { lockCustomer } from "@/db/queries/customers";
import { recordBalanceTransaction } from "../balance/record-balance-transaction";
import { createCreditNote } from "../credit-notes/create-credit-note";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { issueInvoice } from "../invoices/issue-invoice";
import { previewInvoice } from "../invoices/plan-invoice";
import { voidInvoiceTx } from "../invoices/void-invoice";
import { currentPeriodInvoice } from "./period-invoice";
import { saveSubscriptionState } from "./save-state";
import { withSubscription } from "./with-subscription";
import type { SubscriptionRow } from "@/db/queries/subscriptions";

export interface CancelInput {
  atPeriodEnd: boolean;
  /** Canceling now: credit the unused time (after discount, with tax) to the customer's balance. */
  prorate?: boolean;
  /** With prorate: refund the unused time to the card that paid the period instead of crediting the balance. */
  refund?: boolean;
  reason?: string | null;
}

/** Cancel at the end of the period (reversible until then) or now (optionally crediting unused time). */
export async function cancelSubscription(ctx: ServiceContext, subscriptionId: string, input: CancelInput): Promise<{ subscription: SubscriptionRow; credited: number }> {
  const done = await withSubscription(ctx, subscriptionId, async ({ tx, row, customer, state, now }) => {
    if (row.status === "canceled" || row.status === "incomplete_expired") {
      throw new AppError("conflict", { userMessage: "This subscription has already ended." });
    }
    const reason = input.reason ?? null;
    if (input.atPeriodEnd) {
      if (row.status === "incomplete" || row.status === "paused") {
        throw new AppError("conflict", { param: "at_period_end", userMessage: `A ${row.status} subscription can only be canceled now.` });
      }
      const subscription = await saveSubscriptionState(tx, ctx.actor, row, state, { ...state, cancelAtPeriodEnd: true, pendingChange: null }, now, {
        canceledAt: now,
        extra: { cancellationReason: reason },
      }, ctx.applyMode);
      await recordAudit(tx, ctx.actor, { action: "subscription.cancel_scheduled", entityType: "subscription", entityId: row.id, after: { cancels_at: nextDue(state)?.at ?? state.period.end, reason } }, ctx.now, ctx.requestId);
      await enqueueEvent(tx, { type: "customer.subscription.updated", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id, cancel_at_period_end: true } }, now);
      return { subscription, credited: 0, invoice: null, collect: false, refundFrom: null };
    }
    let credited = 0;
    let invoice: InvoiceRow | null = null;
    let refundFrom: string | null = null;
    // An incomplete subscription never had its first period paid: there is no unused time to credit,
    // and its open first invoice is no longer owed (voided, as when it expires).
    // Unused time is credited only for a period that was paid: a past-due period's invoice stays owed.
    const periodInvoice = await currentPeriodInvoice(tx, row.id, state.period.start);
    const lines = input.prorate && row.status !== "incomplete" && periodInvoice?.status === "paid" ? cancellationCredit(state, now) : [];
    if (row.status === "incomplete" && row.latestInvoiceId) {
      const latest = await lockInvoice(tx, row.latestInvoiceId);
      if (latest?.status === "open") await voidInvoiceTx(tx, ctx.actor, latest.id, now, ctx.requestId, ctx.applyMode);
    }
    // Metered items bill their usage so far (a trial's and a never-paid first period's are not billed).
    const usage = row.status === "trialing" || row.status === "incomplete" ? [] : usageLines(state.items);
    if (lines.length > 0 || state.pendingLines.length > 0 || usage.length > 0) {
      // The credit mirrors what the period was billed at: discounted when its invoice was.
      const discount = periodInvoice?.couponId && periodInvoice.couponId === state.discount?.terms.couponId ? state.discount.terms : null;
      if (state.pendingLines.length > 0 || usage.length > 0) {
        // Usage and prorations still waiting for the next invoice would never be billed: settle them
        // now with the credit on a final invoice (a net credit goes to the balance, a net charge is collected).
        invoice = await issueInvoice(tx, ctx.actor, {
          customer,
          subscription: row,
          billingReason: "subscription_update",
          period: state.period,
          lines: [...usage, ...state.pendingLines, ...lines],
          discount,
          consumesPendingItems: state.pendingLines.length > 0,
          at: now,
        }, ctx.applyMode);
        credited = invoice.excessCredited;
      } else {
        credited = previewInvoice({ ...customer, creditBalance: 0 }, state.currency, lines, discount, now, await loadTaxSettings(tx)).excessCredit;
        if (credited > 0 && input.refund && periodInvoice?.status === "paid") {
          refundFrom = periodInvoice.id; // refunded after commit, through a credit note on that invoice
        } else if (credited > 0) {
          await recordBalanceTransaction(tx, customer, { amount: credited, type: "proration_credit", description: "Unused time after cancellation" }, now, ctx.applyMode);
        }
      }
    }
    const subscription = await saveSubscriptionState(tx, ctx.actor, row, state, { ...state, pendingChange: null }, now, {
      status: { to: "canceled", reason: reason ? `canceled: ${reason}` : "canceled" },
      endedAt: now,
      canceledAt: now,
      extra: invoice ? { cancellationReason: reason, latestInvoiceId: invoice.id } : { cancellationReason: reason },
    }, ctx.applyMode);
    await recordAudit(tx, ctx.actor, { action: "subscription.canceled_now", entityType: "subscription", entityId: row.id, after: { credited, reason } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.subscription.deleted", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id, credited } }, now);
    return { subscription, credited, invoice, collect: row.collectionMethod === "charge_automatically" && customer.defaultPaymentMethodId !== null, refundFrom };
  });
  if (done.invoice?.status === "open" && done.collect) await attemptInvoicePayment(ctx, done.invoice.id);
  if (done.refundFrom) await refundUnusedTime(ctx, done.subscription, done.refundFrom, done.credited);
  return { subscription: done.subscription, credited: done.credited };
}

/**
 * Refund unused time to the card through a credit note on the period's invoice. When the invoice
 * cannot be refunded by card (paid from the balance or outside Tally), the customer keeps the
 * credit on their balance instead: the money is never lost.
 */
async function refundUnusedTime(ctx: ServiceContext, subscription: SubscriptionRow, invoiceId: string, amount: number): Promise<void> {
  try {
    await createCreditNote(ctx, { invoiceId, amount, reason: "order_change", outcome: "refund", memo: `Unused time after canceling ${subscription.id}` });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await ctx.db.transaction(async (tx) => {
      const customer = await lockCustomer(tx, subscription.customerId);
      if (customer) await recordBalanceTransaction(tx, customer, { amount, type: "proration_credit", description: `Unused time after cancellation (not refundable to the card: ${error.userMessage})` }, ctx.now, ctx.applyMode);
    });
  }
}

/** Undo a cancellation scheduled for the period end, before it happens. */
export async function reactivateSubscription(ctx: ServiceContext, subscriptionId: string): Promise<SubscriptionRow> {
  return withSubscription(ctx, subscriptionId, async ({ tx, row, state, now }) => {
    if (row.status === "canceled" || row.status === "incomplete_expired") {
      throw new AppError("conflict", { userMessage: "This subscription has ended. Start a new subscription instead." });
    }
    if (!row.cancelAtPeriodEnd) throw new AppError("conflict", { userMessage: "This subscription is not scheduled to cancel." });
    const subscription = await saveSubscriptionState(tx, ctx.actor, row, state, { ...state, cancelAtPeriodEnd: false }, now, { canceledAt: null, extra: { cancellationReason: null } }, ctx.applyMode);
    await recordAudit(tx, ctx.actor, { action: "subscription.reactivated", entityType: "subscription", entityId: row.id, before: { cancel_at_period_end: true }, after: { cancel_at_period_end: false } }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.subscription.updated", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id, cancel_at_period_end: false } }, now);
    return subscription;
  });
}
