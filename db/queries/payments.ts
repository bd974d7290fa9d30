import { desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../client";
import { payments } from "../schema";

export type PaymentRow = typeof payments.$inferSelect;

export async function listInvoicePayments(tx: Executor, invoiceId: string): Promise<PaymentRow[]> {
  return tx.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(desc(payments.attempt));
}

export async function listCustomerPayments(tx: Executor, customerId: string, limit = 50): Promise<PaymentRow[]> {
  return tx.select().from(payments).where(eq(payments.customerId, customerId)).orderBy(desc(payments.createdAt)).limit(limit);
}

/** The latest attempt per invoice. */
export async function latestPayments(tx: Executor, invoiceIds: string[]): Promise<Map<string, PaymentRow>> {
  const latest = new Map<string, PaymentRow>();
  if (invoiceIds.length === 0) return latest;
  const rows = await tx.select().from(payments).where(inArray(payments.invoiceId, invoiceIds)).orderBy(desc(payments.attempt));
  for (const row of rows) if (!latest.has(row.invoiceId)) latest.set(row.invoiceId, row);
  return latest;
}
