import { desc, eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import { findSubscription, listLiveSubscriptions } from "@/db/queries/subscriptions";
import { findInvoice, type InvoiceRow } from "@/db/queries/invoices";
import { findPriceWithPlan } from "@/db/queries/catalog";
import { customerNow, findCustomer } from "@/db/queries/customers";
import { AppError, notFound } from "@/lib/errors";
import { isGatewayError } from "@/lib/payments/gateway-error";
import type { ServiceContext } from "../context";
import { resolveDiscount } from "../discounts/resolve-discount";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { attachPaymentMethod } from "../payment-methods/attach-payment-method";
import { declinedAtSetup } from "../payment-methods/add-card";
import { confirmPath, issueConfirmToken } from "../payments/sca/confirm-token";
import { createSubscription } from "../subscriptions/create-subscription";
import type { SubscriptionRow } from "@/db/queries/subscriptions";

export interface CheckoutResult {
  /** Null when the new card was declined at setup: nothing was saved or started. */
  subscription: SubscriptionRow | null;
  invoice: InvoiceRow | null;
  /** The decline, in words the customer can act on, when the first payment failed. */
  declineMessage: string | null;
  /** When the bank asks the customer to authenticate: the confirm page to send them to now. */
  confirmPath: string | null;
}

/**
 * The portal's checkout: optionally save a new card as the default, then start the subscription.
 * A new card the bank declines at setup is not saved and nothing starts (like Stripe Checkout).
 * A customer whose earlier checkout was declined (an `incomplete` subscription for the same price)
 * pays that subscription's open invoice instead of starting a second one.
 */
export interface CheckoutInput {
  customerId: string;
  priceId: string;
  /** A new card to save as the default first (a sandbox test token or a Stripe PaymentMethod id). */
  token?: string;
  /** The code the customer typed: validated again (and redeemed) as the subscription starts. */
  promotionCode?: string | null;
  ip?: string | null;
}

export async function checkout(ctx: ServiceContext, input: CheckoutInput): Promise<CheckoutResult> {
  try {
    return await checkoutOnce(ctx, input);
  } catch (error) {
    // Two submits at once (a double click): the second found the first's subscription under the
    // customer's lock. Answer with that subscription's outcome instead of an error — one charge.
    if (!(error instanceof AppError && error.code === "conflict")) throw error;
    const live = await listLiveSubscriptions(ctx.db, input.customerId);
    const same = live.find((s) => s.items.some((i) => i.price.id === input.priceId));
    if (!same) throw error;
    const invoice = same.latestInvoiceId ? ((await findInvoice(ctx.db, same.latestInvoiceId)) ?? null) : null;
    return { subscription: same, invoice, ...(await outcomeOf(ctx, invoice)) };
  }
}

async function checkoutOnce(ctx: ServiceContext, input: CheckoutInput): Promise<CheckoutResult> {
  const live = await listLiveSubscriptions(ctx.db, input.customerId);
  const retry = live.find((s) => s.status === "incomplete" && s.items.some((i) => i.price.id === input.priceId));
  const other = live.find((s) => s !== retry);
  if (other) {
    throw new AppError("conflict", { userMessage: "You already have a subscription. Change plans from your billing overview." });
  }
  // An unusable code is refused before anything happens (no card saved, nothing charged).
  if (!retry && input.promotionCode?.trim()) await checkPromotionCode(ctx, input.customerId, input.priceId, input.promotionCode.trim());
  // A card that fails at setup is not saved, never becomes the default, and starts nothing.
  if (input.token) {
    const declined = await declinedAtSetup({ customerId: input.customerId, token: input.token, ip: input.ip ?? null });
    if (declined) return { subscription: null, invoice: null, declineMessage: `${declined} Please try another card.`, confirmPath: null };
    try {
      // A new default card retries the customer's open invoices at once, the declined checkout's among them.
      await attachPaymentMethod(ctx, { customerId: input.customerId, token: input.token, makeDefault: true, ip: input.ip ?? null });
    } catch (error) {
      if (!isGatewayError(error, "declined")) throw error;
      return { subscription: null, invoice: null, declineMessage: `${error.userMessage} Please try another card.`, confirmPath: null };
    }
  }

  if (retry?.latestInvoiceId) {
    if (!input.token) await attemptInvoicePayment(ctx, retry.latestInvoiceId);
    const invoice = (await findInvoice(ctx.db, retry.latestInvoiceId)) ?? null;
    const subscription = (await findSubscription(ctx.db, retry.id)) ?? retry;
    return { subscription, invoice, ...(await outcomeOf(ctx, invoice)) };
  }
  const { subscription, invoice } = await createSubscription(ctx, {
    customerId: input.customerId,
    items: [{ priceId: input.priceId, quantity: 1 }],
    promotionCode: input.promotionCode?.trim() || null,
    exclusive: true,
  });
  return { subscription, invoice, ...(await outcomeOf(ctx, invoice)) };
}

async function checkPromotionCode(ctx: ServiceContext, customerId: string, priceId: string, code: string): Promise<void> {
  const [customer, bought] = await Promise.all([findCustomer(ctx.db, customerId), findPriceWithPlan(ctx.db, priceId)]);
  if (!customer) throw notFound("customer", "customer");
  if (!bought) throw notFound("price", "priceId");
  const at = await customerNow(ctx.db, customer, ctx.now);
  await resolveDiscount(ctx.db, { promotionCode: code, planIds: [bought.plan.id], currency: customer.currency, at, livemode: customer.livemode });
}

/** What the customer is told when the first payment did not go through: a decline, or where to authenticate. */
async function outcomeOf(ctx: ServiceContext, invoice: InvoiceRow | null): Promise<Pick<CheckoutResult, "declineMessage" | "confirmPath">> {
  const none = { declineMessage: null, confirmPath: null };
  if (!invoice || invoice.status !== "open") return none;
  const fresh = await findInvoice(ctx.db, invoice.id);
  if (fresh?.status !== "open") return none;
  const [last] = await ctx.db.select().from(payments).where(eq(payments.invoiceId, invoice.id)).orderBy(desc(payments.attempt)).limit(1);
  if (!last) return none;
  if (last.status === "pending") {
    return { declineMessage: "Your bank has not answered yet. We'll email your receipt as soon as the payment goes through; there is no need to pay again.", confirmPath: null };
  }
  if (last.status === "requires_action") {
    return {
      declineMessage: "Your bank asks you to confirm this payment. We've emailed you a link to confirm it.",
      confirmPath: confirmPath(issueConfirmToken(last.id, ctx.now).token),
    };
  }
  return { declineMessage: last.failureMessage ? `${last.failureMessage} Please try another card.` : "The payment did not go through. Please try another card.", confirmPath: null };
}
