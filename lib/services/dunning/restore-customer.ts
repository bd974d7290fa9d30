import { eq } from "drizzle-orm";
import { entitlementsChanged } from "../customers/entitlements-cache";
import type { Executor } from "@/db/client";
import { applyWrites, insertInto } from "@/db/apply-writes";
import { auditLog, customers, outboxEvents } from "@/db/schema";
import { lockCustomer, type CustomerRow } from "@/db/queries/customers";
import type { Actor } from "@/lib/actor";
import { auditRow } from "@/lib/audit/record";
import type { AuditRowInput, EventRowInput } from "@/lib/events/catalog/rows";
import { eventRow } from "@/lib/events/outbox";
import { newId, type IdKind } from "@/lib/ids";
import { failingInvoices } from "./dunning-state";

/** A customer's return to `active` (planRestore): its update, guarded by the status it leaves (`was`), audit entry and event. */
export interface Restore {
  update: { id: string; status: "active" };
  was: CustomerRow["status"];
  audit: AuditRowInput;
  event: EventRowInput;
}

/**
 * Recovery (pure): a customer in `warning` or `blocked` who no longer owes anything overdue (`owed`:
 * their open or uncollectible invoices with a failed charge, once this payment is counted) is
 * `active` again at once, with an audit entry and a `customer.dunning.restored` event (which sends
 * the "account restored" email once). Null when there is nothing to restore.
 */
export function planRestore(
  customer: Pick<CustomerRow, "id" | "status">,
  owed: number,
  at: Date,
  env: { actor: Actor; paidInvoiceId: string | null; newId?: (kind: IdKind) => string },
): Restore | null {
  if (customer.status === "active" || owed > 0) return null;
  const { id } = customer;
  return {
    update: { id, status: "active" },
    was: customer.status,
    audit: auditRow(env.actor, { action: "customer.dunning.restored", entityType: "customer", entityId: id, before: { status: customer.status }, after: { status: "active", invoice: env.paidInvoiceId } }, at),
    event: eventRow({ type: "customer.dunning.restored", customerId: id, entityId: id, payload: { customer: id, invoice: env.paidInvoiceId, from: customer.status, status: "active" } }, at, (env.newId ?? newId)("event")),
  };
}

/**
 * planRestore for a customer, read in `tx`: after an amount carried to the balance, from the
 * `invoice.paid` handler and from the dunning run, for invoices settled another way (a charge
 * result plans it with its payment: planChargeResults).
 * Returns whether the customer was restored.
 */
export async function restoreCustomerIfSettled(tx: Executor, actor: Actor, customerId: string, at: Date, paidInvoiceId: string | null): Promise<boolean> {
  // Most payments are by customers in good standing: no lock for them.
  const [current] = await tx.select({ status: customers.status }).from(customers).where(eq(customers.id, customerId));
  if (!current || current.status === "active") return false;
  const customer = await lockCustomer(tx, customerId);
  if (!customer || customer.status === "active") return false;
  const owed = await failingInvoices(tx, { customerId }, ["open", "uncollectible"]);
  const restore = planRestore(customer, owed.length, at, { actor, paidInvoiceId });
  if (!restore) return false;
  await tx.update(customers).set({ status: "active" }).where(eq(customers.id, customerId));
  entitlementsChanged(customerId, { inTransaction: true });
  await applyWrites(tx, [insertInto(auditLog, [restore.audit]), insertInto(outboxEvents, [restore.event])], "row");
  return true;
}
