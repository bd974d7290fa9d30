import { and, eq } from "drizzle-orm";
import { customers, paymentMethods } from "@/db/schema";
import { findCustomer, lockCustomer, type PaymentMethodRow } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { gateway } from "@/lib/payments";
import type { ServiceContext } from "../context";
import type { AttemptResult } from "../invoices/attempt-payment";
import { limitCardSetup, refuseBlocked } from "../payments/card-testing";
import { gatewayCustomerId } from "../payments/gateway-customer";
import { retryOpenInvoices } from "../payments/retries/retry-open-invoices";

/**
 * Save a payment method from a gateway token. The first one (or one saved with makeDefault)
 * becomes the customer's default, so a new subscriber can be charged without a second step.
 * A new default card retries the customer's open invoices at once, after the card is committed.
 */
export async function attachPaymentMethod(ctx: ServiceContext, input: AttachInput): Promise<PaymentMethodRow> {
  return (await saveCard(ctx, input)).method;
}

export interface AttachInput {
  customerId: string;
  token: string;
  makeDefault?: boolean;
  ip?: string | null;
}

export interface SavedCard {
  method: PaymentMethodRow;
  /** Whether this card is now the customer's default (a card saved twice keeps whatever it was). */
  becameDefault: boolean;
  /** The customer's open invoices the new default card was charged for at once, oldest first. */
  retried: AttemptResult[];
}

/** attachPaymentMethod, telling the caller whether the card became the default and what it paid. */
export async function saveCard(ctx: ServiceContext, input: AttachInput): Promise<SavedCard> {
  const gw = gateway();
  const existing = await findCustomer(ctx.db, input.customerId);
  if (!existing) throw notFound("customer", "customer");
  // A customer typing card details (the portal passes the address) is rate limited; API calls are not.
  if (input.ip !== undefined) await limitCardSetup({ customerId: input.customerId, ip: input.ip });
  await refuseBlocked(ctx.db, ctx.actor, { customerId: existing.id, email: existing.email, ip: input.ip ?? null }, ctx.now);
  const customerGatewayId = await gatewayCustomerId(ctx.db, existing);
  const card = await gw.attachPaymentMethod({ customerId: input.customerId, customerGatewayId, token: input.token });
  await refuseBlocked(ctx.db, ctx.actor, { customerId: existing.id, email: existing.email, fingerprint: card.fingerprint }, ctx.now);
  const attached = await ctx.db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (!customer) throw notFound("customer", "customer");
    const [row] = await tx
      .insert(paymentMethods)
      .values({
        id: newId("paymentMethod"),
        customerId: customer.id,
        brand: card.brand,
        last4: card.last4,
        expMonth: card.expMonth,
        expYear: card.expYear,
        fingerprint: card.fingerprint,
        gateway: gw.name,
        gatewayId: card.gatewayId,
        createdAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      // The same gateway card saved already (a webhook got here first, or a double submit).
      const [same] = await tx.select().from(paymentMethods).where(and(eq(paymentMethods.gateway, gw.name), eq(paymentMethods.gatewayId, card.gatewayId)));
      if (!same || same.customerId !== customer.id) throw new AppError("conflict", { param: "token", userMessage: "This card is already saved to another customer." });
      return { row: same, becameDefault: false };
    }
    const becameDefault = !customer.defaultPaymentMethodId || input.makeDefault === true;
    if (becameDefault) {
      await tx.update(customers).set({ defaultPaymentMethodId: row.id }).where(eq(customers.id, customer.id));
    }
    const { gatewayId: _gatewayId, ...visible } = row;
    await recordAudit(tx, ctx.actor, { action: "payment_method.attached", entityType: "payment_method", entityId: row.id, after: visible }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "payment_method.attached", customerId: customer.id, entityId: row.id, payload: { payment_method: row.id } }, ctx.now);
    return { row, becameDefault };
  });
  const retried = attached.becameDefault ? await retryOpenInvoices(ctx, input.customerId) : [];
  return { method: attached.row, becameDefault: attached.becameDefault, retried };
}
