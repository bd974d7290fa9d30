import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { balanceTransactions, customers } from "@/db/schema";
import type { BalanceTransactionRow, CustomerRow } from "@/db/queries/customers";
import { newId } from "@/lib/ids";

type BalanceType = (typeof balanceTransactions.$inferInsert)["type"];

/**
 * Move the customer's credit balance and record why, in one place: the ledger's ending balance
 * always equals the customer's balance. Positive amounts are credit in the customer's favour.
 * The caller holds the customer row lock. The ledger reads newest first by (created, id); ids sort
 * by creation (lib/ids.ts), so entries at the same instant keep the order they were written.
 */
export async function recordBalanceTransaction(
  tx: Executor,
  customer: CustomerRow,
  entry: { amount: number; type: BalanceType; description: string; invoiceId?: string | null; creditNoteId?: string | null },
  at: Date,
): Promise<BalanceTransactionRow> {
  const endingBalance = customer.creditBalance + entry.amount;
  await tx.update(customers).set({ creditBalance: endingBalance }).where(eq(customers.id, customer.id));
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
      createdAt: at,
    })
    .returning();
  if (!row) throw new Error("balance transaction insert returned nothing");
  return row;
}
