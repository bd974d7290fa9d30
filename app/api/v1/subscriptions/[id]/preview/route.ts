import { apiRoute } from "@/lib/api/handler";
import { previewSubscriptionOp } from "@/lib/api/operations/subscriptions";
import { subscriptionForKey } from "@/lib/api/scope";
import { toPreviewLine } from "@/lib/api/resources/upcoming-invoice";
import { previewSubscriptionUpdate } from "@/lib/services/subscriptions/preview";

export const dynamic = "force-dynamic";

export const POST = apiRoute(previewSubscriptionOp, async ({ db, actor, apiKey, now, requestId, params, body }) => {
  await subscriptionForKey(db, params.id, apiKey.livemode);
  const preview = await previewSubscriptionUpdate({ db, actor, now, requestId }, params.id, {
    items: body.items.map((i) => ({ priceId: i.price, quantity: i.quantity ?? 1 })),
    prorationBehavior: body.proration_behavior ?? "create_prorations",
    effective: body.effective ?? "now",
  });
  const inv = preview.invoiceNow;
  return {
    object: "subscription_change_preview" as const,
    currency: preview.currency,
    lines: preview.lines.map(toPreviewLine),
    amount_due_now: preview.amountDueNow,
    invoice_now: inv ? { subtotal: inv.subtotal, discount_total: inv.discountTotal, tax: inv.tax, total: inv.total, credit_applied: inv.creditApplied, amount_due: inv.amountDue } : null,
    next_invoice: preview.next
      ? {
          date: preview.next.date.toISOString(),
          amount_due: preview.next.invoice.amountDue,
          total: preview.next.invoice.total,
          tax: preview.next.invoice.tax,
          lines: preview.next.invoice.lines.map(toPreviewLine),
        }
      : null,
  };
});
