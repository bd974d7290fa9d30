import { customerNow, lockCustomer } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { assertMinorUnits, normalizeCurrency } from "@/lib/money";
import type { ServiceContext } from "../context";
import { recordBalanceTransaction } from "./record-balance-transaction";
import type { BalanceTransactionRow } from "@/db/queries/customers";

export interface GrantCreditInput {
  customerId: string;
  /** Integer minor units, > 0, in the customer's currency. */
  amount: number;
  currency: string;
  /** Shown to the customer as the ledger entry's description. */
  reason: string;
}

/**
 * Give a customer credit (goodwill, a prepayment, a migration from another system): the next
 * invoices use it before charging the card. The balance only moves through the ledger.
 */
export async function grantCredit(ctx: ServiceContext, input: GrantCreditInput): Promise<BalanceTransactionRow> {
  const currency = normalizeCurrency(input.currency);
  const amount = assertMinorUnits(input.amount, currency, "amount");
  if (amount <= 0) throw new AppError("out_of_range", { param: "amount", userMessage: "amount must be greater than 0." });
  const reason = input.reason.trim();
  if (reason === "") throw new AppError("validation_failed", { param: "reason", userMessage: "reason must not be empty." });
  return ctx.db.transaction(async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (!customer) throw notFound("customer", "id");
    if (currency !== customer.currency) {
      throw new AppError("validation_failed", {
        param: "currency",
        userMessage: `currency must be the customer's currency (${customer.currency}); a credit balance is held in one currency.`,
      });
    }
    const at = await customerNow(tx, customer, ctx.now);
    const entry = await recordBalanceTransaction(tx, customer, { amount, type: "credit_grant", description: reason }, at, ctx.applyMode);
    await recordAudit(
      tx,
      ctx.actor,
      { action: "customer.credit_granted", entityType: "customer", entityId: customer.id, before: { creditBalance: customer.creditBalance }, after: { creditBalance: entry.endingBalance, balanceTransaction: entry.id, reason } },
      ctx.now,
      ctx.requestId,
    );
    await enqueueEvent(tx, { type: "customer.balance_transaction.created", customerId: customer.id, entityId: entry.id, payload: { customer: customer.id, balance_transaction: entry.id } }, at);
    return entry;
  });
}
