"use server";

import { z } from "zod";
import { findCustomer } from "@/db/queries/customers";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { deleteCustomer } from "@/lib/services/privacy/delete-customer";
import { portalFormatter } from "@/lib/portal/formatter";

const schema = z.object({ confirm: z.string().trim().min(1, "Type your email address or DELETE to confirm.").max(320) });

/**
 * Delete the signed-in subscriber's own account (never one named by the form). The typed
 * confirmation must be their email address or DELETE. The client signs the browser out after.
 */
export const deleteAccountAction = validatedAction("portal.self", schema, async (input, user, ctx) => {
  const fmt = await portalFormatter();
  if (!user.customerId) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const customer = await findCustomer(ctx.db, user.customerId);
  if (!customer) throw new AppError("not_found", { userMessage: "Your account has no billing profile." });
  const typed = input.confirm.trim();
  const matches = typed === "DELETE" || [user.email, customer.email].some((e) => e.toLowerCase() === typed.toLowerCase());
  if (!matches) {
    const message = `That doesn't match. Type your email address (${user.email}) or DELETE.`;
    return { error: message, fieldErrors: { confirm: message } };
  }
  const result = await deleteCustomer(ctx, customer.id, { reason: "account deleted by the customer" });
  nudgeJob("outbox.dispatch");
  return { ok: true, message: fmt.date(result.retainUntil, customer.timezone) };
});
