import type { Db } from "@/db/client";
import { customerNow, type CustomerRow } from "@/db/queries/customers";
import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import { periodLines } from "@/lib/billing/subscriptions/period-lines";
import { startSubscription } from "@/lib/billing/subscriptions/start-subscription";
import type { InvoiceDraft } from "@/lib/billing/types";
import { previewInvoice } from "../invoices/issue-invoice";
import { toItemTerms } from "../subscriptions/item-terms";

/**
 * What checkout will charge, computed by the same calls the subscription will make: the first
 * period's invoice (or, with a trial, the invoice after it) and the amount due today.
 */
export async function previewCheckout(
  db: Db,
  customer: CustomerRow,
  plan: PlanRow,
  price: PriceRow,
  now: Date,
): Promise<{ invoice: InvoiceDraft; dueToday: number; trialDays: number }> {
  const asOf = await customerNow(db, customer, now);
  const items = [toItemTerms(price, plan, 1)];
  const start = startSubscription({ interval: { unit: plan.interval, count: plan.intervalCount }, timeZone: customer.timezone, asOf, trialDays: plan.trialPeriodDays });
  const invoice = previewInvoice(customer, customer.currency, periodLines(items, { start: start.currentPeriodStart, end: start.currentPeriodEnd }), null, asOf);
  return { invoice, dueToday: start.status === "trialing" ? 0 : invoice.amountDue, trialDays: plan.trialPeriodDays };
}
