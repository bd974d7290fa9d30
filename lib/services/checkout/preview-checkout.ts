import { customerFormatter } from "@/lib/services/readers/formatters";
import { loadTaxSettings } from "../tax/tax-settings";
import type { Db } from "@/db/client";
import { customerNow, type CustomerRow } from "@/db/queries/customers";
import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import { firstPeriodLines, periodLines } from "@/lib/billing/subscriptions/period-lines";
import { startSubscription } from "@/lib/billing/subscriptions/start-subscription";
import type { InvoiceDraft } from "@/lib/billing/types";
import { resolveDiscount } from "../discounts/resolve-discount";
import { previewInvoice } from "../invoices/plan-invoice";
import { couponTerms } from "../subscriptions/load-state";
import { toItemTerms } from "../subscriptions/item-terms";
import { describeCoupon } from "./describe-discount";

export interface CheckoutPreview {
  /** The first invoice that charges money: today's, or (with a trial) the one when the trial ends. */
  invoice: InvoiceDraft;
  /** What the customer pays today: nothing during a trial. */
  dueToday: number;
  trialDays: number;
  /** When the trial ends and the first invoice above is charged; null without a trial. */
  trialEnd: Date | null;
  /** The promotion code that discounts it, as the customer typed it, and what it takes off. */
  discount: { code: string; summary: string } | null;
}

/**
 * What checkout will charge, computed by the same calls the subscription will make: the first
 * period's invoice (or, with a trial, the invoice after it), discounted by the promotion code when
 * one is given, and the amount due today. An unusable code throws the same AppError the checkout
 * would (a 404 or 422 naming `promotion_code`), so the page shows it next to the field before paying.
 */
export async function previewCheckout(
  db: Db,
  customer: CustomerRow,
  plan: PlanRow,
  price: PriceRow,
  now: Date,
  opts: { promotionCode?: string | null } = {},
): Promise<CheckoutPreview> {
  const asOf = await customerNow(db, customer, now);
  const fmt = await customerFormatter(db, customer);
  const items = [toItemTerms(price, plan, 1)];
  const code = opts.promotionCode?.trim() || null;
  const resolved = code
    ? await resolveDiscount(db, { promotionCode: code, planIds: [plan.id], currency: customer.currency, at: asOf, livemode: customer.livemode })
    : null;
  const discount = resolved ? couponTerms(resolved.coupon) : null;
  const start = startSubscription({ interval: { unit: plan.interval, count: plan.intervalCount }, timeZone: customer.timezone, asOf, trialDays: plan.trialPeriodDays });
  const period = { start: start.currentPeriodStart, end: start.currentPeriodEnd };
  const trialing = start.status === "trialing";
  // A trial's first invoice bills a whole period when it ends; without one, the first period as the subscription bills it.
  const lines = trialing ? periodLines(items, period) : firstPeriodLines(items, period, start.billingCycleAnchor, customer.timezone);
  const invoice = previewInvoice(customer, customer.currency, lines, discount, trialing ? (start.trialEnd ?? asOf) : asOf, await loadTaxSettings(db));
  return {
    invoice,
    dueToday: trialing ? 0 : invoice.amountDue,
    trialDays: plan.trialPeriodDays,
    trialEnd: trialing ? start.trialEnd : null,
    discount: resolved ? { code: resolved.promotionCode?.code ?? code ?? "", summary: describeCoupon(resolved.coupon, { unit: plan.interval, count: plan.intervalCount }, fmt) } : null,
  };
}
