import type { Executor } from "@/db/client";
import { applyWrites, insertInto, updateIn, type ApplyMode } from "@/db/apply-writes";
import { auditLog, invoices, outboxEvents } from "@/db/schema";
import { lockCustomer } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { realIds } from "@/lib/ids";
import { balanceWrites } from "../balance/record-balance-transaction";
import { carriesBelowMinimum, planCarry } from "./plan-invoice";

/**
 * Settle an open invoice owed less than its currency's minimum charge by carrying the amount to
 * the customer's balance (planCarry, decision 023). The caller holds the invoice's row lock; the
 * customer's is taken here.
 *
 * Returns the settled invoice, or null when there is nothing to carry (not open or uncollectible,
 * nothing owed, or at least the minimum): a second run finds the invoice paid and does nothing.
 * Paying does not reactivate a subscription or end dunning here: the caller that collects does that.
 */
export async function carryBelowMinimum(tx: Executor, actor: Actor, invoice: InvoiceRow, at: Date, requestId?: string, mode: ApplyMode = "row"): Promise<InvoiceRow | null> {
  if (!carriesBelowMinimum(invoice)) return null;
  const customer = await lockCustomer(tx, invoice.customerId);
  if (!customer) throw new Error("customer vanished");
  const carry = planCarry(invoice, customer, customer.creditBalance, at, actor, requestId, realIds);
  if (!carry) return null;
  await applyWrites(
    tx,
    [updateIn(invoices, [{ id: invoice.id, ...carry.invoice }]), ...balanceWrites(carry.moves), insertInto(auditLog, [carry.audit]), insertInto(outboxEvents, [carry.event])],
    mode,
  );
  return { ...invoice, ...carry.invoice };
}
