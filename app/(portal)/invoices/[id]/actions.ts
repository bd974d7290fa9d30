"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { findPaymentMethod } from "@/db/queries/customers";
import { findInvoice } from "@/db/queries/invoices";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { redirectWithNotice } from "@/lib/portal/notice";
import { payInvoice } from "@/lib/services/invoices/pay-invoice";
import { confirmPath, issueConfirmToken } from "@/lib/services/payments/sca/confirm-token";
import { portalFormatter } from "@/lib/portal/formatter";

const schema = z.object({
  invoiceId: z.string().min(1).max(100),
  paymentMethodId: z.string().max(100).optional(),
});

const noSuchInvoice = () => new AppError("not_found", { userMessage: "We couldn't find that invoice on your account." });

/**
 * Pay one of the signed-in customer's open invoices now, with their default card or another saved
 * card of theirs. Both ids come from the form, so both are checked against the session's customer.
 */
export const payInvoiceAction = validatedAction("portal.self", schema, async (input, user, ctx) => {
  const fmt = await portalFormatter();
  if (!user.customerId) throw noSuchInvoice();
  const invoice = await findInvoice(ctx.db, input.invoiceId);
  if (!invoice || invoice.customerId !== user.customerId || invoice.status === "draft") throw noSuchInvoice();
  const paymentMethodId = input.paymentMethodId || undefined;
  if (paymentMethodId) {
    const method = await findPaymentMethod(ctx.db, paymentMethodId);
    if (!method || method.customerId !== user.customerId || method.detachedAt) {
      throw new AppError("not_found", { param: "paymentMethodId", userMessage: "Choose one of your saved cards." });
    }
  }
  const path = `/invoices/${invoice.id}`;
  let carried = false;
  try {
    carried = (await payInvoice(ctx, invoice.id, { paymentMethodId })).payment === null;
  } catch (error) {
    if (error instanceof AppError && error.code === "validation_failed" && error.param === "payment_method") {
      return { error: "You have no saved card to pay with. Add a card, then pay this invoice.", fieldErrors: { paymentMethodId: "Add a card first." } };
    }
    if (!(error instanceof AppError) || error.code !== "payment_failed") throw error;
    nudgeJob("outbox.dispatch");
    revalidatePath(path);
    const paymentId = typeof error.extra?.payment === "string" ? error.extra.payment : null;
    // The bank wants the customer to authenticate, and they are here: straight to the confirm step.
    if (error.extra?.decline_code === "authentication_required" && paymentId) redirect(confirmPath(issueConfirmToken(paymentId, ctx.now).token));
    const message = `${error.userMessage.replace(/\.?$/, ".")} Nothing was charged. Please try another card.`;
    return { error: message, fieldErrors: { paymentMethodId: message } };
  }
  nudgeJob("outbox.dispatch");
  revalidatePath(path);
  revalidatePath("/invoices");
  const amount = fmt.money(invoice.amountRemaining, invoice.currency);
  // Below the minimum card charge: nothing was charged, the amount moved to the next invoice.
  const notice = carried ? `${amount} is below the smallest card charge, so it was added to your next invoice instead.` : `Payment of ${amount} received. Thank you!`;
  await redirectWithNotice(path, notice, carried ? "info" : "success");
});
