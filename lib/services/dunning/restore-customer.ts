import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers } from "@/db/schema";
import { lockCustomer } from "@/db/queries/customers";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { failingInvoices } from "./dunning-state";

/**
 * Recovery: a customer in `warning` or `blocked` who no longer owes anything overdue (no open or
 * uncollectible invoice with a failed charge) is `active` again at once, with an audit entry and a
 * `customer.dunning.restored` event (which sends the "account restored" email once). Called in the
 * transaction that records a payment, and again from the `invoice.paid` handler and the dunning run
 * for invoices settled another way. Returns whether the customer was restored.
 */
export async function restoreCustomerIfSettled(tx: Executor, actor: Actor, customerId: string, at: Date, paidInvoiceId: string | null): Promise<boolean> {
  // Most payments are by customers in good standing: no lock for them.
  const [current] = await tx.select({ status: customers.status }).from(customers).where(eq(customers.id, customerId));
  if (!current || current.status === "active") return false;
  const customer = await lockCustomer(tx, customerId);
  if (!customer || customer.status === "active") return false;
  const owed = await failingInvoices(tx, { customerId }, ["open", "uncollectible"]);
  if (owed.length > 0) return false;
  await tx.update(customers).set({ status: "active" }).where(eq(customers.id, customerId));
  await recordAudit(tx, actor, { action: "customer.dunning.restored", entityType: "customer", entityId: customerId, before: { status: customer.status }, after: { status: "active", invoice: paidInvoiceId } }, at);
  await enqueueEvent(tx, { type: "customer.dunning.restored", customerId, entityId: customerId, payload: { customer: customerId, invoice: paidInvoiceId, from: customer.status, status: "active" } }, at);
  return true;
}
