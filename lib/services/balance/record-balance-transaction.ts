import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { balanceTransactions, customers } from "@/db/schema";
import type { BalanceTransactionRow, CustomerRow } from "@/db/queries/customers";
import { applyWrites, insertInto, updateIn, type ApplyMode, type Write } from "@/db/apply-writes";
import { newId } from "@/lib/ids";

type BalanceType = (typeof balanceTransactions.$inferInsert)["type"];
type BalanceTransactionInsert = typeof balanceTransactions.$inferInsert & { id: string; endingBalance: number };

/** One move of a customer's balance: positive amounts are credit in the customer's favour. */
export interface BalanceEntry {
  amount: number;
  type: BalanceType;
  description: string;
  invoiceId?: string | null;
  creditNoteId?: string | null;
}

/** The ledger rows of moves applied in order to a balance, and the balance they end at (pure). */
export interface BalanceMoves {
  customerId: string;
  rows: BalanceTransactionInsert[];
  endingBalance: number;
}

/**
 * The ledger's rule, in one place: each entry moves the balance from where the previous one left it
 * and records the balance it ends at, so the ledger's last ending balance is the customer's balance.
 */
export function balanceMoves(
  customer: Pick<CustomerRow, "id" | "currency">,
  balance: number,
  entries: readonly BalanceEntry[],
  at: Date,
  newBalanceId: () => string = () => newId("balanceTransaction"),
): BalanceMoves {
  let endingBalance = balance;
  const rows = entries.map((entry): BalanceTransactionInsert => {
    endingBalance += entry.amount;
    return {
      id: newBalanceId(),
      customerId: customer.id,
      amount: entry.amount,
      currency: customer.currency,
      type: entry.type,
      description: entry.description,
      invoiceId: entry.invoiceId ?? null,
      creditNoteId: entry.creditNoteId ?? null,
      endingBalance,
      createdAt: at,
    };
  });
  return { customerId: customer.id, rows, endingBalance };
}

/** The writes of balance moves: the customer's new balance, then its ledger rows (none when there are no moves). */
export function balanceWrites(moves: BalanceMoves | null): Write[] {
  if (!moves || moves.rows.length === 0) return [];
  return [updateIn(customers, [{ id: moves.customerId, creditBalance: moves.endingBalance }]), insertInto(balanceTransactions, moves.rows)];
}

/**
 * Move the customer's credit balance and record why, in one place: the ledger's ending balance
 * always equals the customer's balance. Positive amounts are credit in the customer's favour.
 * The caller holds the customer row lock. The ledger reads newest first by (created, id); ids sort
 * by creation (lib/ids.ts), so entries at the same instant keep the order they were written.
 */
export async function recordBalanceTransaction(tx: Executor, customer: CustomerRow, entry: BalanceEntry, at: Date, mode: ApplyMode = "set"): Promise<BalanceTransactionRow> {
  const moves = balanceMoves(customer, customer.creditBalance, [entry], at);
  await applyWrites(tx, balanceWrites(moves), mode);
  const [row] = await tx.select().from(balanceTransactions).where(eq(balanceTransactions.id, moves.rows[0]!.id));
  if (!row) throw new Error("balance transaction not written");
  return row;
}
