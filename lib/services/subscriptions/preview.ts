import type { TaxSettings } from "@/lib/tax/engine";
import { loadTaxSettings } from "../tax/tax-settings";
import type { CustomerRow } from "@/db/queries/customers";
import { resumeNow, step } from "@/lib/billing/subscriptions/lifecycle";
import { discountApplies, type SubscriptionState } from "@/lib/billing/subscriptions/state";
import type { InvoiceDraft, LineInput } from "@/lib/billing/types";
import { AppError } from "@/lib/errors";
import { isBelowMinimumCharge } from "@/lib/payments/charge-minimums";
import type { ServiceContext } from "../context";
import { previewInvoice } from "../invoices/plan-invoice";
import { planSubscriptionUpdate, type UpdateSubscriptionInput } from "./update-subscription";
import { withSubscription } from "./with-subscription";

export interface UpcomingInvoice {
  date: Date;
  billingReason: string;
  period: { start: Date; end: Date };
  invoice: InvoiceDraft;
}

/**
 * The invoice the next renewal will produce, computed by the same lifecycle step the renewal runs
 * (R10: the upcoming invoice equals the real one). Null when nothing will be billed.
 */
export function nextInvoiceOf(customer: CustomerRow, state: SubscriptionState, tax?: TaxSettings): UpcomingInvoice | null {
  const next = step(state);
  if (!next?.invoice) return null;
  const discount = next.invoice.discounted ? (state.discount?.terms ?? null) : null;
  return {
    date: next.at,
    billingReason: next.invoice.billingReason,
    period: next.invoice.period,
    invoice: previewInvoice(customer, state.currency, next.invoice.lines, discount, next.at, tax),
  };
}

export async function upcomingInvoice(ctx: ServiceContext, subscriptionId: string): Promise<UpcomingInvoice> {
  return withSubscription(ctx, subscriptionId, async ({ tx, customer, state }) => {
    const upcoming = nextInvoiceOf(customer, state, await loadTaxSettings(tx));
    if (!upcoming) throw new AppError("not_found", { param: "subscription", userMessage: "This subscription has no upcoming invoice." });
    return upcoming;
  }, { lock: false });
}

/**
 * The balance the next invoice will see once `invoice` is finalized: credit used, a debit collected,
 * unused time returned, and an amount due below the minimum charge carried (carryBelowMinimum).
 */
export function balanceAfterInvoice(balance: number, invoice: InvoiceDraft): number {
  const carried = isBelowMinimumCharge(invoice.amountDue, invoice.currency) ? invoice.amountDue : 0;
  return balance - invoice.creditApplied + invoice.debitApplied + invoice.excessCredit - carried;
}

export interface ChangePreview {
  currency: string;
  /** Exactly the lines the change will create (invoiced now, or added to the next invoice). */
  lines: LineInput[];
  invoiceNow: InvoiceDraft | null;
  amountDueNow: number;
  next: UpcomingInvoice | null;
}

/** What a change would do, without doing it: the same planning the change itself runs. */
export async function previewSubscriptionUpdate(ctx: ServiceContext, subscriptionId: string, input: UpdateSubscriptionInput): Promise<ChangePreview> {
  return withSubscription(ctx, subscriptionId, async (locked) => {
    const { customer, state, now } = locked;
    const tax = await loadTaxSettings(locked.tx);
    const { plan } = await planSubscriptionUpdate(locked, input);
    const discount = discountApplies(state.discount) ? (state.discount?.terms ?? null) : null;
    const invoiceNow = plan.invoiceNow && plan.invoiceNow.length > 0 ? previewInvoice(customer, state.currency, plan.invoiceNow, discount, now, tax) : null;
    const balanceAfter = invoiceNow ? balanceAfterInvoice(customer.creditBalance, invoiceNow) : customer.creditBalance;
    return {
      currency: state.currency,
      lines: plan.invoiceNow ?? plan.pendingLines,
      invoiceNow,
      amountDueNow: invoiceNow?.amountDue ?? 0,
      next: nextInvoiceOf({ ...customer, creditBalance: balanceAfter }, plan.state, tax),
    };
  }, { lock: false });
}

/** What resuming a paused subscription now would invoice: a new period from now, billed in full less the balance. */
export async function previewResume(ctx: ServiceContext, subscriptionId: string): Promise<UpcomingInvoice | null> {
  return withSubscription(ctx, subscriptionId, async ({ tx, customer, state, now }) => {
    if (state.status !== "paused") throw new AppError("conflict", { userMessage: "Only a paused subscription can be resumed." });
    const result = resumeNow(state, now);
    if (!result.invoice) return null;
    const discount = result.invoice.discounted ? (state.discount?.terms ?? null) : null;
    return { date: now, billingReason: result.invoice.billingReason, period: result.invoice.period, invoice: previewInvoice(customer, state.currency, result.invoice.lines, discount, now, await loadTaxSettings(tx)) };
  }, { lock: false });
}
