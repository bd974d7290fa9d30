import { and, eq, inArray, notInArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, invoices, subscriptions, type Address, type TaxId } from "@/db/schema";
import { findPaymentMethod, lockCustomer, type CustomerRow } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { normalizeCurrency } from "@/lib/money";
import { isValidTimeZone } from "@/lib/time";
import { isTaxIdType, validateTaxId } from "@/lib/tax/tax-id";
import type { ServiceContext } from "../context";
import { retryOpenInvoices } from "../payments/retries/retry-open-invoices";

export interface UpdateCustomerInput {
  email?: string;
  name?: string | null;
  timezone?: string;
  /** BCP 47 tags, best first (checked by the API); an empty list: the business locale. */
  preferredLocales?: string[];
  address?: Address;
  metadata?: Record<string, string>;
  defaultPaymentMethodId?: string;
  /** Replaces the customer's tax IDs; each is validated (lib/tax/tax-id.ts) and stored normalized. */
  taxIds?: { type: string; value: string }[];
  /** The currency their next subscriptions bill in: only between subscriptions (refuseCurrencyChange). */
  currency?: string;
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
    const currency = input.currency === undefined ? undefined : normalizeCurrency(input.currency);
    if (currency !== undefined && currency !== before.currency) await refuseCurrencyChange(tx, before);
    const taxIds = input.taxIds ? checkedTaxIds(input.taxIds, input.address && "country" in input.address ? input.address.country : before.address.country, before.taxIds) : undefined;
    const [after] = await tx
      .update(customers)
      .set({
        email: input.email?.trim().toLowerCase(),
        name: input.name,
        timezone: input.timezone,
        preferredLocales: input.preferredLocales,
        address: input.address ? { ...before.address, ...input.address } : undefined,
        metadata: input.metadata ? { ...before.metadata, ...input.metadata } : undefined,
        defaultPaymentMethodId: input.defaultPaymentMethodId,
        taxIds,
        currency,
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

/**
 * A customer moves to another currency only between subscriptions (as Stripe's customers do): none
 * still running (ended means canceled or incomplete_expired), no invoice draft or open, and no credit
 * balance, which is in the old currency. Their MRR in the old currency has churned by then; the next
 * subscription starts the new currency's (decision 032).
 */
async function refuseCurrencyChange(tx: Executor, customer: CustomerRow): Promise<void> {
  const refuse = (why: string) => {
    throw new AppError("conflict", { param: "currency", userMessage: `The currency can change only between subscriptions: ${why}.` });
  };
  const [running] = await tx.select({ id: subscriptions.id }).from(subscriptions).where(and(eq(subscriptions.customerId, customer.id), notInArray(subscriptions.status, ["canceled", "incomplete_expired"]))).limit(1);
  if (running) refuse(`subscription ${running.id} has not ended`);
  const [open] = await tx.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.customerId, customer.id), inArray(invoices.status, ["draft", "open"]))).limit(1);
  if (open) refuse(`invoice ${open.id} is not settled`);
  if (customer.creditBalance !== 0) refuse("the customer has a credit balance in their current currency");
}

/**
 * Validate and normalize tax IDs (the one validator for the API and the portal). Only the format
 * and check digits are checked here, so `verified` stays false, unless the same number was
 * already stored as verified.
 */
function checkedTaxIds(input: { type: string; value: string }[], country: string | null | undefined, current: TaxId[]): TaxId[] {
  return input.map(({ type, value }, index) => {
    const param = input.length === 1 ? "tax_id" : `tax_ids.${index}`;
    if (!isTaxIdType(type)) throw new AppError("validation_failed", { param, userMessage: `We don't support tax IDs of type “${type}”.` });
    const result = validateTaxId(type, value, { country });
    if (!result.ok) throw new AppError("validation_failed", { param, userMessage: result.message });
    const verified = current.some((t) => t.type === result.type && t.value === result.value && t.verified);
    return { type: result.type, value: result.value, verified };
  });
}
