"use server";

import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { validatedAction } from "@/lib/actions/validated-action";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { refundPayment } from "@/lib/services/payments/refund-payment";
import { escalateRefund } from "@/lib/services/payments/escalate-refund";
import { grantCredit } from "@/lib/services/balance/grant-credit";
import { AppError } from "@/lib/errors";
import { payments } from "@/db/schema";
import { customerField, idField, parseAmount, refreshCustomer } from "./helpers";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const refundSchema = z.object({
  customerId: customerField,
  paymentId: idField,
  amount: z.string().min(1, "Enter an amount."),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).default("requested_by_customer"),
});

/** The refund form's payment, if it is this customer's, and the amount typed in its currency. */
async function refundRequest(db: Executor, input: z.infer<typeof refundSchema>) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, input.paymentId));
  if (!payment || payment.customerId !== input.customerId) throw new AppError("not_found", { param: "paymentId", userMessage: "No such payment for this customer." });
  return { payment, amount: parseAmount(input.amount, payment.currency) };
}

export const refundAction = validatedAction("refunds.create", refundSchema, async (input, _user, ctx) => {
  const fmt = await consoleFormatter();
  const { payment, amount } = await refundRequest(ctx.db, input);
  // The service enforces support's limit; the amount error lands next to the field.
  const refunds = await refundPayment(ctx, { paymentId: payment.id, amount, reason: input.reason });
  refreshCustomer(input.customerId);
  const total = refunds.reduce((sum, r) => sum + r.amount, 0);
  return { ok: true, message: `Refunded ${fmt.money(total, payment.currency)}.` };
});

/** The same form as a refund, sent to billing admins instead: for a refund above the requester's limit. */
export const escalateRefundAction = validatedAction("customers.escalate", refundSchema, async (input, _user, ctx) => {
  const fmt = await consoleFormatter();
  const { payment, amount } = await refundRequest(ctx.db, input);
  const { escalation, created } = await escalateRefund(ctx, { paymentId: payment.id, customerId: input.customerId, amount, reason: input.reason });
  refreshCustomer(input.customerId);
  const requested = escalation.refundAmount !== null ? fmt.money(escalation.refundAmount, payment.currency) : "a refund";
  return {
    ok: true,
    message: created ? `Sent to billing admins: refund ${requested}.` : `Already with billing admins: refund ${requested}, sent ${fmt.dateTime(escalation.createdAt, (await viewerZone()).timeZone, { zoneName: true })}. Nothing new was sent.`,
  };
});

export const grantCreditAction = validatedAction(
  "credit.grant",
  z.object({ customerId: customerField, amount: z.string().min(1, "Enter an amount."), reason: z.string().trim().min(1, "Say why, for the customer's ledger.").max(300) }),
  async (input, _user, ctx) => {
    const fmt = await consoleFormatter();
    const customer = await findCustomer(ctx.db, input.customerId);
    if (!customer) throw new AppError("not_found", { userMessage: "No such customer." });
    const entry = await grantCredit(ctx, { customerId: customer.id, amount: parseAmount(input.amount, customer.currency), currency: customer.currency, reason: input.reason });
    refreshCustomer(customer.id);
    return { ok: true, message: `Granted ${fmt.money(entry.amount, customer.currency)}; the balance is now ${fmt.money(entry.endingBalance, customer.currency)}.` };
  },
);
