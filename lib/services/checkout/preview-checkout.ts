import type { Db } from "@/db/client";
import type { CustomerRow } from "@/db/queries/customers";
import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import { draftSubscriptionInvoice } from "@/lib/billing/invoices/draft-subscription-invoice";
import { startSubscription } from "@/lib/billing/subscriptions/start-subscription";
import type { InvoiceDraft } from "@/lib/billing/types";
import { australianGst } from "@/lib/tax/au-gst";
import { customerNow } from "@/db/queries/customers";
import { toItemTerms } from "../subscriptions/item-terms";

/**
 * What checkout will charge, computed by the same engine call the subscription will make:
 * the first period's invoice (or, with a trial, the invoice after it) and the amount due today.
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
  const invoice = draftSubscriptionInvoice({
    customer,
    items,
    period: { start: start.currentPeriodStart, end: start.currentPeriodEnd },
    taxCalculator: australianGst,
    asOf,
  });
  return { invoice, dueToday: start.status === "trialing" ? 0 : invoice.amountDue, trialDays: plan.trialPeriodDays };
}
