import { eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { customerNow, lockCustomer } from "@/db/queries/customers";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import { recordAudit } from "@/lib/audit/record";
import { nextDue, step } from "@/lib/billing/subscriptions/lifecycle";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { issueInvoice } from "../invoices/issue-invoice";
import { voidInvoiceTx } from "../invoices/void-invoice";
import { loadSubscriptionState } from "./load-state";
import { saveSubscriptionState } from "./save-state";

export interface DueOutcome {
  kind: string;
  at: Date;
  invoiceId: string | null;
}

/**
 * Run everything that has fallen due for one subscription up to the customer's now (the test
 * clock's time when attached to one), oldest first. Each step is one transaction holding the
 * subscription's row lock, so two runs at once do each step once; an invoice a step issues is
 * charged after its transaction commits. Running it again for the same now does nothing.
 */
export async function processDueSubscription(ctx: ServiceContext, subscriptionId: string, maxSteps = 500): Promise<DueOutcome[]> {
  const outcomes: DueOutcome[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const done = await ctx.db.transaction(async (tx) => {
      const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for("update");
      if (!row) throw notFound("subscription");
      const customer = await lockCustomer(tx, row.customerId);
      if (!customer) throw notFound("customer");
      const now = await customerNow(tx, customer, ctx.now);
      const before = await loadSubscriptionState(tx, row, customer);
      const due = nextDue(before);
      if (!due || due.at > now) return null;
      const result = step(before);
      if (!result) return null;
      let invoice: InvoiceRow | null = null;
      if (result.invoice) {
        invoice = await issueInvoice(tx, ctx.actor, {
          customer,
          subscription: row,
          billingReason: result.invoice.billingReason,
          period: result.invoice.period,
          lines: result.invoice.lines,
          discount: result.invoice.discounted ? (before.discount?.terms ?? null) : null,
          consumesPendingItems: result.invoice.consumesPendingLines,
          at: result.at,
        });
      }
      const canceled = result.status?.to === "canceled" || result.status?.to === "incomplete_expired";
      // An expired first invoice is no longer owed (Stripe voids it too).
      if (result.status?.to === "incomplete_expired" && row.latestInvoiceId) {
        const latest = await lockInvoice(tx, row.latestInvoiceId);
        if (latest?.status === "open") await voidInvoiceTx(tx, ctx.actor, latest.id, result.at, ctx.requestId);
      }
      await saveSubscriptionState(tx, ctx.actor, row, before, result.state, result.at, {
        status: result.status,
        endedAt: canceled ? result.at : undefined,
        canceledAt: canceled && !row.canceledAt ? result.at : undefined,
        extra: invoice ? { latestInvoiceId: invoice.id } : undefined,
      });
      await recordAudit(tx, ctx.actor, { action: `subscription.${result.kind}`, entityType: "subscription", entityId: row.id, before: { period: before.period, status: before.status }, after: { period: result.state.period, status: result.status?.to ?? before.status, invoice: invoice?.id ?? null } }, result.at, ctx.requestId);
      if (result.appliedPendingChange) {
        await enqueueEvent(tx, { type: "customer.subscription.updated", customerId: row.customerId, entityId: row.id, payload: { subscription: row.id, change: "scheduled_change_applied" } }, result.at);
      }
      return { outcome: { kind: result.kind, at: result.at, invoiceId: invoice?.id ?? null }, invoice, collect: row.collectionMethod === "charge_automatically" && customer.defaultPaymentMethodId !== null };
    });
    if (!done) break;
    outcomes.push(done.outcome);
    if (done.invoice?.status === "open" && done.collect) await attemptInvoicePayment(ctx, done.invoice.id);
  }
  return outcomes;
}
