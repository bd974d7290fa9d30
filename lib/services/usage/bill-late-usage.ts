import { and, asc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customerNow, lockCustomer } from "@/db/queries/customers";
import { usageFromRollups } from "@/db/queries/usage";
import { customers, invoiceLines, invoices, pendingInvoiceItems, plans, prices, subscriptions, usageLateChecks } from "@/db/schema";
import { groupBy } from "@/lib/collections";
import { lateUsageLine, type BilledUsage } from "@/lib/billing/subscriptions/usage-lines";
import type { LineInput } from "@/lib/billing/types";
import type { ServiceContext } from "../context";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { issueInvoice } from "../invoices/issue-invoice";
import { toItemTerms } from "../subscriptions/item-terms";

export interface LateUsageResult {
  /** Customers whose note was looked at. */
  checked: number;
  /** Supplemental invoices issued (billing_reason usage_late). */
  invoices: string[];
}

/**
 * Bill usage that missed its invoice (decision 030). Ingest notes a customer when it stores an
 * event from a closed period (late, inside the grace window) or from a period that has ended but
 * may not have been renewed yet. For each note, under the customer's lock: every metered line
 * billed for a window that ends after the note's earliest event (on an invoice that counts — not
 * void — or still pending for the next one) is re-measured, and what the window's usage now costs
 * beyond what its lines billed goes on one supplemental invoice per subscription
 * (`billing_reason: usage_late`), collected like any other. Finalized invoices never change. The
 * note is kept while a period it may concern has ended without its renewal (that renewal will
 * measure the event, or this runs again after it). Idempotent: a second run finds nothing missing.
 *
 * Scope: the customers on one test clock (their clock's advance runs it), or every customer not on
 * a test clock (the job).
 */
export async function billLateUsage(ctx: ServiceContext, scope: { testClockId?: string } = {}): Promise<LateUsageResult> {
  const notes = await ctx.db
    .select({ customerId: usageLateChecks.customerId })
    .from(usageLateChecks)
    .innerJoin(customers, eq(customers.id, usageLateChecks.customerId))
    .where(scope.testClockId ? eq(customers.testClockId, scope.testClockId) : isNull(customers.testClockId))
    .orderBy(asc(usageLateChecks.notedAt), asc(usageLateChecks.customerId))
    .limit(500);
  const result: LateUsageResult = { checked: 0, invoices: [] };
  for (const { customerId } of notes) {
    const issued = await ctx.db.transaction((tx) => billCustomer(ctx, tx, customerId));
    result.checked += 1;
    for (const invoice of issued) {
      result.invoices.push(invoice.id);
      if (invoice.collect) await attemptInvoicePayment(ctx, invoice.id);
    }
  }
  return result;
}

async function billCustomer(ctx: ServiceContext, tx: Executor, customerId: string): Promise<{ id: string; collect: boolean }[]> {
  const customer = await lockCustomer(tx, customerId);
  const [note] = await tx.select().from(usageLateChecks).where(eq(usageLateChecks.customerId, customerId)).for("update");
  if (!customer || !note) return [];
  const now = await customerNow(tx, customer, ctx.now);

  const windows = await billedWindows(tx, customerId, note.since);
  const linesBySubscription = new Map<string, LineInput[]>();
  for (const w of windows) {
    if (!w.item.price.meterId) continue;
    const [total] = await usageFromRollups(tx, { meterId: w.item.price.meterId, customerId, from: w.from, to: w.to }, null);
    const line = lateUsageLine(w, total?.value ?? "0");
    if (!line) continue;
    linesBySubscription.set(w.subscriptionId, [...(linesBySubscription.get(w.subscriptionId) ?? []), line]);
  }

  const issued: { id: string; collect: boolean }[] = [];
  for (const [subscriptionId, lines] of [...linesBySubscription].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
    if (!subscription) continue;
    const start = lines.reduce((min, l) => (l.periodStart && l.periodStart < min ? l.periodStart : min), lines[0]?.periodStart ?? now);
    const end = lines.reduce((max, l) => (l.periodEnd && l.periodEnd > max ? l.periodEnd : max), lines[0]?.periodEnd ?? now);
    const invoice = await issueInvoice(
      tx,
      ctx.actor,
      { customer, subscription, billingReason: "usage_late", period: { start, end }, lines, discount: null, consumesPendingItems: false, at: now },
      ctx.applyMode,
    );
    issued.push({ id: invoice.id, collect: invoice.status === "open" && invoice.collectionMethod === "charge_automatically" && customer.defaultPaymentMethodId !== null });
  }

  // A period that has ended and is due to be renewed may still be measured by its renewal: keep the
  // note until then (a subscription not due — paused, say — has no renewal coming to wait for).
  const [waiting] = await tx
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.customerId, customerId), sql`${subscriptions.nextDueAt} <= ${now.toISOString()}::timestamptz`, sql`${subscriptions.currentPeriodEnd} <= ${now.toISOString()}::timestamptz`, gt(subscriptions.currentPeriodEnd, note.since)))
    .limit(1);
  if (!waiting) await tx.delete(usageLateChecks).where(and(eq(usageLateChecks.customerId, customerId), eq(usageLateChecks.notedAt, note.notedAt)));
  return issued;
}

/**
 * Every window of metered usage billed for the customer that ends after `since`, with what its
 * lines billed: the lines of invoices that count (not void, not draft) and the pending items a
 * change left for the next invoice, grouped by (subscription, price, window).
 */
async function billedWindows(tx: Executor, customerId: string, since: Date): Promise<(BilledUsage & { subscriptionId: string })[]> {
  const invoiced = await tx
    .select({ subscriptionId: invoices.subscriptionId, price: prices, plan: plans, from: invoiceLines.periodStart, to: invoiceLines.periodEnd, quantity: invoiceLines.quantity, amount: invoiceLines.amount })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .innerJoin(prices, eq(prices.id, invoiceLines.priceId))
    .innerJoin(plans, eq(plans.id, prices.planId))
    .where(and(eq(invoices.customerId, customerId), inArray(invoices.status, ["open", "paid", "uncollectible"]), eq(prices.usageType, "metered"), isNotNull(invoices.subscriptionId), gt(invoiceLines.periodEnd, since)));
  const pending = await tx
    .select({ subscriptionId: pendingInvoiceItems.subscriptionId, price: prices, plan: plans, from: pendingInvoiceItems.periodStart, to: pendingInvoiceItems.periodEnd, quantity: pendingInvoiceItems.quantity, amount: pendingInvoiceItems.amount })
    .from(pendingInvoiceItems)
    .innerJoin(prices, eq(prices.id, pendingInvoiceItems.priceId))
    .innerJoin(plans, eq(plans.id, prices.planId))
    .where(and(eq(pendingInvoiceItems.customerId, customerId), isNull(pendingInvoiceItems.invoiceId), eq(prices.usageType, "metered"), gt(pendingInvoiceItems.periodEnd, since)));
  const rows = [...invoiced, ...pending].flatMap((r) => (r.subscriptionId && r.from && r.to ? [{ ...r, subscriptionId: r.subscriptionId, from: r.from, to: r.to }] : []));
  const groups = groupBy(rows, (r) => `${r.subscriptionId}|${r.price.id}|${r.from.toISOString()}|${r.to.toISOString()}`);
  return [...groups.values()].flatMap((group) => {
    const first = group[0];
    if (!first) return [];
    return [{
      subscriptionId: first.subscriptionId,
      item: toItemTerms(first.price, first.plan, 1),
      from: first.from,
      to: first.to,
      quantity: group.reduce((sum, r) => sum + r.quantity, 0),
      amount: group.reduce((sum, r) => sum + r.amount, 0),
    }];
  });
}
