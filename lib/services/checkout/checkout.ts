import { desc, eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { findInvoice, type InvoiceRow } from "@/db/queries/invoices";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { attachPaymentMethod } from "../payment-methods/attach-payment-method";
import { createSubscription, type SubscriptionRow } from "../subscriptions/create-subscription";

export interface CheckoutResult {
  subscription: SubscriptionRow;
  invoice: InvoiceRow | null;
  /** The decline, in words the customer can act on, when the first payment failed. */
  declineMessage: string | null;
}

/**
 * The portal's checkout: optionally save a new card as the default, then start the subscription.
 * A customer whose earlier checkout was declined (an `incomplete` subscription for the same price)
 * pays that subscription's open invoice instead of starting a second one.
 */
export async function checkout(ctx: ServiceContext, input: { customerId: string; priceId: string; token?: string; ip?: string | null }): Promise<CheckoutResult> {
  const live = await listLiveSubscriptions(ctx.db, input.customerId);
  const retry = live.find((s) => s.status === "incomplete" && s.items.some((i) => i.price.id === input.priceId));
  const other = live.find((s) => s !== retry);
  if (other) {
    throw new AppError("conflict", { userMessage: "You already have a subscription. Change plans from your billing overview." });
  }
  if (input.token) await attachPaymentMethod(ctx, { customerId: input.customerId, token: input.token, makeDefault: true, ip: input.ip ?? null });

  if (retry?.latestInvoiceId) {
    const attempt = await attemptInvoicePayment(ctx, retry.latestInvoiceId);
    return { subscription: attempt.subscription ?? retry, invoice: attempt.invoice, declineMessage: await declineOf(ctx, attempt.invoice) };
  }
  const { subscription, invoice } = await createSubscription(ctx, { customerId: input.customerId, items: [{ priceId: input.priceId, quantity: 1 }] });
  return { subscription, invoice, declineMessage: await declineOf(ctx, invoice) };
}

async function declineOf(ctx: ServiceContext, invoice: InvoiceRow | null): Promise<string | null> {
  if (!invoice || invoice.status !== "open") return null;
  const fresh = await findInvoice(ctx.db, invoice.id);
  if (fresh?.status !== "open") return null;
  const [last] = await ctx.db.select().from(payments).where(eq(payments.invoiceId, invoice.id)).orderBy(desc(payments.attempt)).limit(1);
  if (!last) return null;
  if (last.status === "requires_action") return "This card needs your bank's authentication, which checkout cannot complete yet. Please use another card.";
  return last.failureMessage ? `${last.failureMessage} Please try another card.` : "The payment did not go through. Please try another card.";
}
