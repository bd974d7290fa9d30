import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { balanceTransactions, customers } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import { newId } from "@/lib/ids";

type BalanceType = (typeof balanceTransactions.$inferInsert)["type"];
export type BalanceTransactionRow = typeof balanceTransactions.$inferSelect;

/**
 * Move the customer's credit balance and record why, in one place: the ledger's ending balance
 * always equals the customer's balance. Positive amounts are credit in the customer's favour.
 * The caller holds the customer row lock.
 *
 * The ledger is read newest first by (created, id), and ids are random, so two entries at the same
 * instant (a customer living on a frozen test clock, a credit applied then returned) would come out
 * in either order. Each entry is therefore stamped at least 1 ms after the customer's previous one:
 * the ledger order is the order the entries were written, and the last entry's ending balance is the
 * customer's balance.
 */
export async function recordBalanceTransaction(
  tx: Executor,
  customer: CustomerRow,
  entry: { amount: number; type: BalanceType; description: string; invoiceId?: string | null; creditNoteId?: string | null },
  at: Date,
): Promise<BalanceTransactionRow> {
  const endingBalance = customer.creditBalance + entry.amount;
  await tx.update(customers).set({ creditBalance: endingBalance }).where(eq(customers.id, customer.id));
  const [previous] = await tx
    .select({ createdAt: balanceTransactions.createdAt })
    .from(balanceTransactions)
    .where(eq(balanceTransactions.customerId, customer.id))
    .orderBy(desc(balanceTransactions.createdAt))
    .limit(1);
  const createdAt = previous && previous.createdAt.getTime() >= at.getTime() ? new Date(previous.createdAt.getTime() + 1) : at;
  const [row] = await tx
    .insert(balanceTransactions)
    .values({
      id: newId("balanceTransaction"),
      customerId: customer.id,
      amount: entry.amount,
      currency: customer.currency,
      type: entry.type,
      description: entry.description,
      invoiceId: entry.invoiceId ?? null,
      creditNoteId: entry.creditNoteId ?? null,
      endingBalance,
      createdAt,
    })
    .returning();
  if (!row) throw new Error("balance transaction insert returned nothing");
  return row;
}
