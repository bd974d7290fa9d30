import { desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { disputes, payments, refunds } from "../schema";

export type PaymentRow = typeof payments.$inferSelect;

export async function listInvoicePayments(tx: Executor, invoiceId: string): Promise<PaymentRow[]> {
  return tx.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(desc(payments.attempt));
}

export async function listCustomerPayments(tx: Executor, customerId: string, limit = 50): Promise<PaymentRow[]> {
  return tx.select().from(payments).where(eq(payments.customerId, customerId)).orderBy(desc(payments.createdAt)).limit(limit);
}

/** Every attempt of each invoice, latest attempt first, in one statement. */
export async function paymentsByInvoice(tx: Executor, invoiceIds: readonly string[]): Promise<Map<string, PaymentRow[]>> {
  const byInvoice = new Map<string, PaymentRow[]>();
  if (invoiceIds.length === 0) return byInvoice;
  const rows = await tx.select().from(payments).where(inArray(payments.invoiceId, [...invoiceIds])).orderBy(desc(payments.attempt));
  for (const row of rows) byInvoice.set(row.invoiceId, [...(byInvoice.get(row.invoiceId) ?? []), row]);
  return byInvoice;
}

/** The latest attempt per invoice. */
export async function latestPayments(tx: Executor, invoiceIds: string[]): Promise<Map<string, PaymentRow>> {
  const latest = new Map<string, PaymentRow>();
  for (const [invoiceId, rows] of await paymentsByInvoice(tx, invoiceIds)) if (rows[0]) latest.set(invoiceId, rows[0]);
  return latest;
}

export type DisputeRow = typeof disputes.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

/** A customer's disputes, the ones needing an answer soonest first, then newest. */
export async function listCustomerDisputes(tx: Executor, customerId: string): Promise<DisputeRow[]> {
  return tx.select().from(disputes).where(eq(disputes.customerId, customerId)).orderBy(sql`${disputes.evidenceDueBy} asc nulls last`, desc(disputes.createdAt));
}

/** A customer's refunds, newest first. */
export async function listCustomerRefunds(tx: Executor, customerId: string, limit = 100): Promise<RefundRow[]> {
  return tx.select().from(refunds).where(eq(refunds.customerId, customerId)).orderBy(desc(refunds.createdAt), desc(refunds.id)).limit(limit);
}
