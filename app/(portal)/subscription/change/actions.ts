"use server";

import { z } from "zod";
import { findCustomer } from "@/db/queries/customers";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { redirectWithNotice } from "@/lib/portal/notice";
import { applyPlanChange } from "@/lib/services/checkout/change-plan";
import { portalFormatter } from "@/lib/portal/formatter";

const schema = z.object({
  subscriptionId: z.string().min(1),
  priceId: z.string().min(1),
  quantity: z.coerce.number().int().min(1).max(10_000),
  prorationDate: z.iso.datetime().transform((s) => new Date(s)),
  expectedAmountDue: z.coerce.number().int(),
});

/** Confirm a previewed change: applied with the preview's own terms, for the signed-in customer's subscription only. */
export const applyChangeAction = validatedAction("portal.self", schema, async (input, user, ctx) => {
  const fmt = await portalFormatter();
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const customer = await findCustomer(ctx.db, user.customerId);
  if (!customer) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const { subscription, invoice, kind } = await applyPlanChange(ctx, customer.id, input);
  nudgeJob("outbox.dispatch");
  if (invoice?.status === "open") {
    await redirectWithNotice(`/invoices/${invoice.id}`, "Your plan has changed, but the payment didn't go through. Please pay this invoice.", "warning");
  }
  let notice = "Your plan has changed.";
  if (kind === "downgrade" && subscription.pendingChange) notice = `Your plan changes on ${fmt.date(new Date(subscription.pendingChange.effective_at), customer.timezone)}. Nothing was charged today.`;
  else if (invoice && invoice.amountPaid > 0) notice = `Your plan has changed. We charged ${fmt.money(invoice.amountPaid, invoice.currency)}.`;
  await redirectWithNotice("/", notice);
});
