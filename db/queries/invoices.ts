import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { invoiceLines, invoiceNumberSeries, invoices } from "../schema";

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceWithLines = InvoiceRow & { lines: InvoiceLineRow[] };

export async function findInvoice(tx: Executor, id: string): Promise<InvoiceWithLines | undefined> {
  const rows = await tx.select().from(invoices).where(eq(invoices.id, id));
  return (await withLines(tx, rows))[0];
}

/** The invoice behind a hosted link (its unguessable token), with lines. */
export async function findInvoiceByHostedToken(tx: Executor, token: string): Promise<InvoiceWithLines | undefined> {
  const rows = await tx.select().from(invoices).where(eq(invoices.hostedToken, token));
  return (await withLines(tx, rows))[0];
}

/** Invoices with their lines in position order: one statement for the lines of all of them. */
export async function withLines(tx: Executor, rows: readonly InvoiceRow[]): Promise<InvoiceWithLines[]> {
  if (rows.length === 0) return [];
  const lines = await tx
    .select()
    .from(invoiceLines)
    .where(inArray(invoiceLines.invoiceId, rows.map((r) => r.id)))
    .orderBy(asc(invoiceLines.position));
  const byInvoice = new Map<string, InvoiceLineRow[]>();
  for (const line of lines) byInvoice.set(line.invoiceId, [...(byInvoice.get(line.invoiceId) ?? []), line]);
  return rows.map((row) => ({ ...row, lines: byInvoice.get(row.id) ?? [] }));
}

/**
 * The invoice, locked for update. Lock order: a transaction that locks an invoice and any of its
 * payments takes the invoice first (payments of several invoices: the invoices in id order, then
 * the payments in id order). Charge results, reconciliation, credit notes' refunds and receipts all
 * do, so none waits for a payment while holding what another needs (tests/payments/lock-order.test.ts).
 */
export async function lockInvoice(tx: Executor, id: string): Promise<InvoiceRow | undefined> {
  const [row] = await tx.select().from(invoices).where(eq(invoices.id, id)).for("update");
  return row;
}

export async function listCustomerInvoices(tx: Executor, customerId: string, limit = 100): Promise<InvoiceRow[]> {
  return tx.select().from(invoices).where(eq(invoices.customerId, customerId)).orderBy(desc(invoices.createdAt), desc(invoices.id)).limit(limit);
}

/** The prefix a series starts with: invoices `TLY-000001`, credit notes `CN-000001`, receipts `RCT-000001`. */
export const NUMBER_SERIES_PREFIX: Readonly<Record<string, string>> = { default: "TLY-", credit_note: "CN-", receipt: "RCT-" };

/** An invoice number as printed: the series prefix and the number, six digits at least (`TLY-000042`). */
export function formatInvoiceNumber(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(6, "0")}`;
}

/**
 * The next number of a series, gap-free: the counter row is locked until the finalizing
 * transaction commits, and a rollback returns the number with it.
 */
export async function takeInvoiceNumber(tx: Executor, series = "default"): Promise<string> {
  const { prefix, first } = await takeInvoiceNumberBlock(tx, 1, series);
  return formatInvoiceNumber(prefix, first);
}

/**
 * A block of `count` consecutive numbers of a series in one statement (the batched billing run):
 * returns the first. Gap-free like takeInvoiceNumber: the counter row stays locked until the
 * transaction that uses the whole block commits, and a rollback returns the block with it.
 */
export async function takeInvoiceNumberBlock(tx: Executor, count: number, series = "default"): Promise<{ prefix: string; first: number }> {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`invoice number block of ${count}`);
  const take = () =>
    tx
      .update(invoiceNumberSeries)
      .set({ nextNumber: sql`${invoiceNumberSeries.nextNumber} + ${count}` })
      .where(eq(invoiceNumberSeries.series, series))
      .returning({ prefix: invoiceNumberSeries.prefix, first: sql<number>`${invoiceNumberSeries.nextNumber} - ${count}` });
  // The series row exists from its first number on: one statement, the one that waits for a
  // concurrent holder of the counter. Created on first use (a concurrent creation is waited for).
  let [row] = await take();
  if (!row) {
    await tx.insert(invoiceNumberSeries).values({ series, prefix: NUMBER_SERIES_PREFIX[series] ?? "TLY-", nextNumber: 1 }).onConflictDoNothing();
    [row] = await take();
  }
  if (!row) throw new Error(`invoice number series ${series} missing`);
  return { prefix: row.prefix, first: Number(row.first) };
}
