import { and, asc, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { balanceTransactions, customers, invoiceLines, invoices, payments, pendingInvoiceItems, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import type { InvoiceDraft, LineInput } from "@/lib/billing/types";
import { systemActor } from "@/lib/actor";
import { currentApplyMode } from "./apply-modes";
import type { ServiceContext } from "@/lib/services/context";
import { createTestClock } from "@/lib/services/test-clocks/create-test-clock";
import { advanceTestClock } from "@/lib/services/test-clocks/advance-test-clock";
import { makeCustomer } from "../factories";

export async function ctxAt(now = new Date("2026-11-21T00:00:00Z")): Promise<ServiceContext> {
  return { db: await getDb(), actor: systemActor("scenario"), now, applyMode: currentApplyMode() };
}

/** A test clock at `start` with one customer on it (AU, Sydney by default) and a card. */
export async function clockCustomer(
  start: Date,
  opts: { currency?: string; timezone?: string; country?: string; token?: string | null } = {},
): Promise<{ ctx: ServiceContext; clockId: string; customerId: string; advance: (to: string | Date) => Promise<void> }> {
  const ctx = await ctxAt();
  const clock = await createTestClock(ctx, { frozenTime: start, name: "scenario" });
  const customer = await makeCustomer(ctx, {
    email: `scenario-${clock.id}@example.com`,
    name: null,
    currency: opts.currency ?? "aud",
    timezone: opts.timezone ?? "Australia/Sydney",
    address: { country: opts.country ?? "AU" },
    testClockId: clock.id,
    card: opts.token,
  });
  return {
    ctx,
    clockId: clock.id,
    customerId: customer.id,
    advance: async (to) => {
      await advanceTestClock(ctx, clock.id, typeof to === "string" ? new Date(to) : to);
    },
  };
}

/** Every invoice of a subscription with its lines, oldest first, in minor units. */
export async function invoicesOf(subscriptionId: string) {
  const db = await getDb();
  const rows = await db.select().from(invoices).where(eq(invoices.subscriptionId, subscriptionId)).orderBy(asc(invoices.createdAt), asc(invoices.number));
  return Promise.all(
    rows.map(async (inv) => ({
      ...inv,
      lines: await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, inv.id)).orderBy(asc(invoiceLines.position)),
    })),
  );
}

export async function subscriptionRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, id));
  if (!row) throw new Error(`no subscription ${id}`);
  return row;
}

/** Local calendar date in a zone, e.g. "2026-02-28". */
export function localDate(at: Date | null, timeZone: string): string {
  if (!at) return "—";
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

// ---------------------------------------------------------------------------------------------
// Views for exact assertions: every invoice and line reduced to what a person checks on paper.

type InvoiceWithLines = Awaited<ReturnType<typeof invoicesOf>>[number];
type LineRow = InvoiceWithLines["lines"][number];

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/** A line as asserted: description, amount, quantity, proration flag, period and its tax, in minor units. */
export interface LineView {
  description: string;
  amount: number;
  quantity: number;
  proration: boolean;
  periodStart: string | null;
  periodEnd: string | null;
  tax: number;
}

export function lineView(line: Pick<LineRow, "description" | "amount" | "quantity" | "proration" | "periodStart" | "periodEnd" | "taxAmounts">): LineView {
  return {
    description: line.description,
    amount: line.amount,
    quantity: line.quantity,
    proration: line.proration,
    periodStart: iso(line.periodStart),
    periodEnd: iso(line.periodEnd),
    tax: line.taxAmounts.reduce((sum, t) => sum + t.amount, 0),
  };
}

/** An invoice as asserted: reason, status, period, money and every line. */
export function invoiceView(inv: InvoiceWithLines) {
  return {
    billingReason: inv.billingReason,
    status: inv.status,
    periodStart: iso(inv.periodStart),
    periodEnd: iso(inv.periodEnd),
    subtotal: inv.subtotal,
    discountTotal: inv.discountTotal,
    tax: inv.tax,
    total: inv.total,
    creditApplied: inv.creditApplied,
    amountDue: inv.amountDue,
    amountPaid: inv.amountPaid,
    lines: inv.lines.map(lineView),
  };
}

/** The money of a preview (InvoiceDraft) in the same shape as a persisted invoice, for R10 comparisons. */
export function draftMoney(draft: InvoiceDraft) {
  return {
    subtotal: draft.subtotal,
    discountTotal: draft.discountTotal,
    tax: draft.tax,
    total: draft.total,
    creditApplied: draft.creditApplied,
    amountDue: draft.amountDue,
    excessCredited: draft.excessCredit,
    lines: draft.lines.map((l) => ({ ...lineView(l), unitAmount: l.unitAmount, priceId: l.priceId, discountAmount: l.discountAmount, taxAmounts: l.taxAmounts })),
  };
}

/** The money of a persisted invoice in the shape of draftMoney. */
export function invoiceMoney(inv: InvoiceWithLines) {
  return {
    subtotal: inv.subtotal,
    discountTotal: inv.discountTotal,
    tax: inv.tax,
    total: inv.total,
    creditApplied: inv.creditApplied,
    amountDue: inv.amountDue,
    excessCredited: inv.excessCredited,
    lines: inv.lines.map((l) => ({ ...lineView(l), unitAmount: l.unitAmount, priceId: l.priceId, discountAmount: l.discountAmount, taxAmounts: l.taxAmounts })),
  };
}

/** A priced line before tax (a change preview's `lines`), comparable with a persisted line or pending item. */
export function pricedLine(line: Pick<LineInput, "description" | "amount" | "quantity" | "proration" | "periodStart" | "periodEnd" | "priceId" | "unitAmount">) {
  return {
    description: line.description,
    amount: line.amount,
    quantity: line.quantity,
    proration: line.proration,
    periodStart: iso(line.periodStart),
    periodEnd: iso(line.periodEnd),
    priceId: line.priceId,
    unitAmount: line.unitAmount,
  };
}

export async function customerRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(customers).where(eq(customers.id, id));
  if (!row) throw new Error(`no customer ${id}`);
  return row;
}

export async function balanceOf(customerId: string): Promise<number> {
  return (await customerRow(customerId)).creditBalance;
}

/** The customer's balance ledger, oldest first — by (created, id), the ledger's own order (ids sort by creation): [type, amount, ending balance]. */
export async function balanceLedger(customerId: string) {
  const db = await getDb();
  const rows = await db.select().from(balanceTransactions).where(eq(balanceTransactions.customerId, customerId)).orderBy(asc(balanceTransactions.createdAt), asc(balanceTransactions.id));
  return rows.map((r) => ({ type: r.type, amount: r.amount, endingBalance: r.endingBalance, invoiceId: r.invoiceId }));
}

/** Payments of one invoice, oldest attempt first. */
export async function paymentsOfInvoice(invoiceId: string) {
  const db = await getDb();
  return db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.attempt));
}

/** Pending invoice items of a subscription (prorations waiting for the next invoice), in invoice order. */
export async function pendingItemsOf(subscriptionId: string, opts: { open?: boolean } = {}) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(pendingInvoiceItems)
    .where(opts.open ? and(eq(pendingInvoiceItems.subscriptionId, subscriptionId), isNull(pendingInvoiceItems.invoiceId)) : eq(pendingInvoiceItems.subscriptionId, subscriptionId))
    // The engine's order of pending lines (orderPendingLines): start instant, credits first, description, price.
    .orderBy(asc(pendingInvoiceItems.periodStart), asc(pendingInvoiceItems.amount), asc(pendingInvoiceItems.description), asc(pendingInvoiceItems.priceId));
  return rows;
}

/** Status transitions of a subscription, oldest first. */
export async function statusHistory(subscriptionId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select().from(subscriptionStatusHistory).where(eq(subscriptionStatusHistory.subscriptionId, subscriptionId)).orderBy(asc(subscriptionStatusHistory.id));
  return rows.map((r) => `${r.fromStatus ?? "∅"}→${r.toStatus}`);
}
