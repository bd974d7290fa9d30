import { toTaxAmounts } from "@/lib/api/resources/invoice";
import { apiRoute } from "@/lib/api/handler";
import { upcomingInvoiceOp } from "@/lib/api/operations/subscriptions";
import { subscriptionForKey } from "@/lib/api/scope";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";

export const dynamic = "force-dynamic";

export const GET = apiRoute(upcomingInvoiceOp, async ({ db, actor, apiKey, now, requestId, query }) => {
  await subscriptionForKey(db, query.subscription, apiKey.livemode);
  const upcoming = await upcomingInvoice({ db, actor, now, requestId }, query.subscription);
  const inv = upcoming.invoice;
  return {
    object: "upcoming_invoice" as const,
    subscription: query.subscription,
    billing_reason: upcoming.billingReason,
    date: upcoming.date.toISOString(),
    period: { start: upcoming.period.start.toISOString(), end: upcoming.period.end.toISOString() },
    currency: inv.currency,
    lines: inv.lines.map((l) => ({
      description: l.description,
      amount: l.amount,
      quantity: l.quantity,
      proration: l.proration,
      price: l.priceId,
      period: { start: l.periodStart?.toISOString() ?? null, end: l.periodEnd?.toISOString() ?? null },
      discount_amount: l.discountAmount,
      tax_amounts: toTaxAmounts(l.taxAmounts),
    })),
    subtotal: inv.subtotal,
    discount_total: inv.discountTotal,
    tax: inv.tax,
    total: inv.total,
    credit_applied: inv.creditApplied,
    amount_due: inv.amountDue,
  };
});
