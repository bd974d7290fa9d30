import { eq } from "drizzle-orm";
import { customers, type Address } from "@/db/schema";
import { findPaymentMethod, lockCustomer, type CustomerRow } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { isValidTimeZone } from "@/lib/time";
import type { ServiceContext } from "../context";
import { retryOpenInvoices } from "../payments/retries/retry-open-invoices";

export interface UpdateCustomerInput {
  email?: string;
  name?: string | null;
  timezone?: string;
  address?: Address;
  metadata?: Record<string, string>;
  defaultPaymentMethodId?: string;
}

export async function updateCustomer(ctx: ServiceContext, customerId: string, input: UpdateCustomerInput): Promise<CustomerRow> {
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
    throw new AppError("validation_failed", { param: "timezone", userMessage: "timezone must be an IANA time zone such as Australia/Sydney." });
  }
  const updated = await ctx.db.transaction(async (tx) => {
    const before = await lockCustomer(tx, customerId);
    if (!before) throw notFound("customer", "id");
    if (input.defaultPaymentMethodId !== undefined) {
      const method = await findPaymentMethod(tx, input.defaultPaymentMethodId);
      if (!method || method.customerId !== customerId || method.detachedAt) throw notFound("payment method", "default_payment_method");
    }
    const [after] = await tx
      .update(customers)
      .set({
        email: input.email?.trim().toLowerCase(),
        name: input.name,
        timezone: input.timezone,
        address: input.address ? { ...before.address, ...input.address } : undefined,
        metadata: input.metadata ? { ...before.metadata, ...input.metadata } : undefined,
        defaultPaymentMethodId: input.defaultPaymentMethodId,
      })
      .where(eq(customers.id, customerId))
      .returning();
    if (!after) throw new Error("customer vanished");
    await recordAudit(tx, ctx.actor, { action: "customer.updated", entityType: "customer", entityId: customerId, before, after }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "customer.updated", customerId, entityId: customerId, payload: { customer: customerId } }, ctx.now);
    return after;
  });
  // A new default card pays what is owed at once (after the change committed).
  if (input.defaultPaymentMethodId !== undefined) await retryOpenInvoices(ctx, customerId);
  return updated;
}
