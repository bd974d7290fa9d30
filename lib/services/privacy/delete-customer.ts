import { and, eq, gt, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { cancellationAttempts, customerErasures, customers, emailAttachments, emails, invoiceBillTo, invoices, paymentMethods, portalSessions, users, verificationTokens } from "@/db/schema";
import { findCustomer, lockCustomer } from "@/db/queries/customers";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { gateway } from "@/lib/payments";
import { systemActor } from "@/lib/actor";
import { detachCardAtGateway } from "../payment-methods/detach-at-gateway";
import type { ServiceContext } from "../context";
import { cancelSubscription } from "../subscriptions/cancel-subscription";
import { DELETED_CUSTOMER_NAME, pseudonymousEmail, retentionEnd, retentionYears } from "./retention";
import { errorField, log } from "@/lib/observability/logger";

export interface DeleteCustomerResult {
  customerId: string;
  /** False when the account had already been deleted (this run only finished what was left). */
  deletedNow: boolean;
  erasedAt: Date;
  retainUntil: Date;
  /** Subscriptions this run ended. */
  canceledSubscriptions: string[];
  /** Every saved card is detached at the gateway (false: a call failed; running again retries it). */
  gatewayDetached: boolean;
}

export { detachIdempotencyKey } from "../payment-methods/detach-at-gateway";

/**
 * Delete a customer's account (GDPR art. 17), keeping what the law requires:
 * 1. Every live subscription is canceled now with the cancel service's proration: unused time in a
 *    period that was paid is refunded to the card that paid it (or, when that card cannot take a
 *    refund, credited to the balance); nothing is refunded for a trial or an unpaid period.
 * 2. One transaction pseudonymizes the person: name "Deleted customer", email deleted+<id>@invalid,
 *    address, tax IDs and metadata cleared, cards detached, the default card unset; each user of the
 *    customer gets a pseudonymous email, no name and no password and is deactivated (they cannot
 *    sign in again); pending sign-in links are deleted and unopened portal links expire; emails sent keep their subject, template
 *    and dates but lose their bodies and address; open invoices are no longer retried. Invoices,
 *    payments, refunds and credit notes are kept untouched for the retention period (setting
 *    `retention.financial_records_years`, 7 by default), each invoice
 *    with the bill-to it was issued with. The audit entry names the fields cleared, never their values.
 * 3. After the commit, each saved card is detached at the gateway and the customer there loses its
 *    name and email, each with a stable idempotency key (detachAtGateway).
 * Running it again is safe: a deleted account is not touched again, and gateway steps that failed
 * are retried (so does the gateway janitor, without anyone running it again).
 */
export async function deleteCustomer(ctx: ServiceContext, customerId: string, opts: { reason?: string } = {}): Promise<DeleteCustomerResult> {
  const existing = await findCustomer(ctx.db, customerId);
  if (!existing) throw notFound("customer", "id");
  const [already] = await ctx.db.select().from(customerErasures).where(eq(customerErasures.customerId, customerId));

  const canceledSubscriptions: string[] = [];
  if (!already) {
    for (const sub of await listLiveSubscriptions(ctx.db, customerId)) {
      try {
        await cancelSubscription(ctx, sub.id, { atPeriodEnd: false, prorate: true, refund: true, reason: opts.reason ?? "account deleted" });
        canceledSubscriptions.push(sub.id);
      } catch (error) {
        // Ended meanwhile (a concurrent cancel or deletion): nothing left to do for it.
        if (!(error instanceof AppError && error.code === "conflict")) throw error;
      }
    }
  }

  const { erasure, created } = already ? { erasure: already, created: false } : await eraseCustomer(ctx, customerId);
  const deletedNow = created;
  const gatewayDetached = erasure.gatewayDetachedAt !== null || (await detachAtGateway(ctx, customerId));
  return { customerId, deletedNow, erasedAt: erasure.erasedAt, retainUntil: erasure.retainUntil, canceledSubscriptions, gatewayDetached };
}

type ErasureRow = typeof customerErasures.$inferSelect;

async function eraseCustomer(ctx: ServiceContext, customerId: string): Promise<{ erasure: ErasureRow; created: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, customerId);
    if (!customer) throw notFound("customer", "id");
    // Under the customer's lock: a concurrent deletion that committed first leaves its row here.
    const [done] = await tx.select().from(customerErasures).where(eq(customerErasures.customerId, customerId));
    if (done) return { erasure: done, created: false };

    const at = ctx.now;
    const retainUntil = retentionEnd(at, await retentionYears(tx));
    // Invoices issued before bill-to capture existed keep who they were issued to (legal retention).
    await tx.execute(sql`
      insert into ${invoiceBillTo} (invoice_id, customer_id, name, email, address, tax_ids, captured_at)
      select ${invoices.id}, ${customers.id}, ${customers.name}, ${customers.email}, ${customers.address}, ${customers.taxIds}, ${at}
      from ${invoices} join ${customers} on ${customers.id} = ${invoices.customerId}
      where ${invoices.customerId} = ${customerId} and ${invoices.finalizedAt} is not null
      on conflict (invoice_id) do nothing`);

    const customerEmail = pseudonymousEmail(customerId);
    const cleared = ["name", "email", "address", "tax_ids", "metadata", "default_payment_method"].filter((field) => {
      if (field === "name") return customer.name !== null;
      if (field === "address") return Object.values(customer.address).some((v) => v);
      if (field === "tax_ids") return customer.taxIds.length > 0;
      if (field === "metadata") return Object.keys(customer.metadata).length > 0;
      if (field === "default_payment_method") return customer.defaultPaymentMethodId !== null;
      return true;
    });
    await tx
      .update(customers)
      .set({ name: DELETED_CUSTOMER_NAME, email: customerEmail, address: {}, taxIds: [], metadata: {}, defaultPaymentMethodId: null })
      .where(eq(customers.id, customerId));

    const people = await tx.select().from(users).where(eq(users.customerId, customerId));
    const oldEmails = [customer.email, ...people.map((u) => u.email)];
    for (const user of people) {
      await tx
        .update(users)
        .set({ email: pseudonymousEmail(user.id), name: null, passwordHash: null, emailVerifiedAt: null, deactivatedAt: user.deactivatedAt ?? at })
        .where(eq(users.id, user.id));
      await recordAudit(tx, ctx.actor, { action: "user.erased", entityType: "user", entityId: user.id, before: { cleared: ["email", "name", "password"] }, after: { email: pseudonymousEmail(user.id), deactivated: true } }, at, ctx.requestId);
    }
    await tx.delete(verificationTokens).where(inArray(verificationTokens.identifier, oldEmails));
    // Portal links not yet opened stop working now.
    await tx
      .update(portalSessions)
      .set({ expiresAt: at })
      .where(and(eq(portalSessions.customerId, customerId), isNull(portalSessions.usedAt), gt(portalSessions.expiresAt, at)));

    const detached = await tx
      .update(paymentMethods)
      .set({ detachedAt: at })
      .where(and(eq(paymentMethods.customerId, customerId), isNull(paymentMethods.detachedAt)))
      .returning({ id: paymentMethods.id });
    for (const method of detached) {
      await recordAudit(tx, ctx.actor, { action: "payment_method.detached", entityType: "payment_method", entityId: method.id, before: { detached: false }, after: { detached: true, reason: "account deleted" } }, at, ctx.requestId);
    }

    // What was sent stays on record (when, which template, its subject); the body and address go.
    const erasedEmails = await tx
      .update(emails)
      // One address per email row: (event, template, to) is unique, and two old addresses may have had the same email.
      .set({ to: sql`'deleted+' || lower(${emails.id}) || '@invalid'`, html: "", text: "" })
      .where(or(eq(emails.customerId, customerId), inArray(emails.to, oldEmails)))
      .returning({ id: emails.id });
    // The files they were sent (a receipt's PDF names them) go with the bodies.
    if (erasedEmails.length > 0) await tx.delete(emailAttachments).where(inArray(emailAttachments.emailId, erasedEmails.map((e) => e.id)));

    // What they typed in the cancel survey is theirs; the reason chosen and the outcome stay for the retention figures.
    await tx.update(cancellationAttempts).set({ reasonText: null }).where(and(eq(cancellationAttempts.customerId, customerId), isNotNull(cancellationAttempts.reasonText)));

    // Open invoices stay owed and on record, but no saved card is left to retry them with.
    await tx
      .update(invoices)
      .set({ nextPaymentAttemptAt: null })
      .where(and(eq(invoices.customerId, customerId), isNotNull(invoices.nextPaymentAttemptAt)));

    const [erasure] = await tx
      .insert(customerErasures)
      .values({ customerId, requestedByType: ctx.actor.type, requestedById: ctx.actor.id, erasedAt: at, retainUntil })
      .returning();
    if (!erasure) throw new Error("erasure insert returned nothing");
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: "customer.erased",
        entityType: "customer",
        entityId: customerId,
        before: { cleared },
        after: { name: DELETED_CUSTOMER_NAME, email: customerEmail, users_deactivated: people.length, payment_methods_detached: detached.length, emails_redacted: erasedEmails.length, retain_until: retainUntil },
      },
      at,
      ctx.requestId,
    );
    await enqueueEvent(tx, { type: "customer.deleted", customerId, entityId: customerId, payload: { customer: customerId, retain_until: retainUntil.toISOString() } }, at);
    return { erasure, created: true };
  });
}

/** The idempotency key of clearing the customer's name and email at the gateway. */
export function eraseIdempotencyKey(customerId: string): string {
  return `cus_${customerId}_erase`;
}

/**
 * The gateway's side of a deletion, after the commit: every saved card detached at the gateway
 * (detachCardAtGateway, `pm_<id>_detach`), and the customer's name and email cleared there
 * (`POST /v1/customers/{id}` with both emptied, `cus_<id>_erase`, audited as
 * `customer.gateway_erased`). True when all of it is done; `customer_erasures.gateway_detached_at`
 * then records it. Otherwise the gateway janitor (finishGatewayErasures) tries again, with the same
 * keys, until it is — nothing is lost when Stripe is down.
 */
export async function detachAtGateway(ctx: ServiceContext, customerId: string): Promise<boolean> {
  const gw = gateway();
  let ok = true;
  const methods = await ctx.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customerId));
  for (const method of methods) {
    try {
      // A card saved with another gateway than the one in use cannot be reached from here.
      await detachCardAtGateway(ctx, method);
    } catch (error) {
      ok = false;
      log.warn({ payment_method_id: method.id, ...errorField(error) }, "detaching a card at the gateway failed; it is tried again");
    }
  }
  const [customer] = await ctx.db.select({ gatewayCustomerId: customers.gatewayCustomerId }).from(customers).where(eq(customers.id, customerId));
  const [erasure] = await ctx.db.select().from(customerErasures).where(eq(customerErasures.customerId, customerId));
  const gatewayCustomerId = customer?.gatewayCustomerId ?? null;
  if (ok && gatewayCustomerId && !erasure?.gatewayDetachedAt) {
    try {
      const idempotencyKey = eraseIdempotencyKey(customerId);
      await gw.eraseCustomer({ gatewayCustomerId, idempotencyKey });
      await recordAudit(ctx.db, ctx.actor, { action: "customer.gateway_erased", entityType: "customer", entityId: customerId, before: { cleared: ["name", "email"] }, after: { gateway: gw.name, idempotency_key: idempotencyKey } }, ctx.now, ctx.requestId);
    } catch (error) {
      ok = false;
      log.warn({ customer_id: customerId, ...errorField(error) }, "clearing a customer at the gateway failed; it is tried again");
    }
  }
  if (ok) await ctx.db.update(customerErasures).set({ gatewayDetachedAt: ctx.now }).where(and(eq(customerErasures.customerId, customerId), isNull(customerErasures.gatewayDetachedAt)));
  return ok;
}

/** The janitor's part for deletions: those whose gateway side is not done yet, tried again. */
export async function finishGatewayErasures(db: ServiceContext["db"], now: Date, limit = 50): Promise<{ finished: number; pending: string[] }> {
  const due = await db.select().from(customerErasures).where(isNull(customerErasures.gatewayDetachedAt)).limit(limit);
  const ctx: ServiceContext = { db, actor: systemActor("gateway-sync"), now };
  const pending: string[] = [];
  let finished = 0;
  for (const erasure of due) {
    if (await detachAtGateway(ctx, erasure.customerId)) finished += 1;
    else pending.push(erasure.customerId);
  }
  return { finished, pending };
}
