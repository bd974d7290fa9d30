import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applyWrites, insertInto, updateIn, type ApplyMode } from "@/db/apply-writes";
import { customers, invoiceLines, invoices, pendingInvoiceItems } from "@/db/schema";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { Actor } from "@/lib/actor";
import { realIds } from "@/lib/ids";
import { applyFinalization } from "./apply-credit-and-finalize";
import { loadTaxSettings } from "../tax/tax-settings";
import { planIssue, type IssueInvoiceInput, type IssuePlan } from "./plan-invoice";

/**
 * Build, persist and (unless a draft) finalize an invoice in the caller's transaction: the
 * customer's credit balance pays what it can, a negative total's excess goes back to the balance,
 * consumed pending items point at the invoice, and the number is taken at finalization. Planned by
 * planIssue (pure) from the rows locked here, applied by applyIssue.
 */
export async function issueInvoice(tx: Executor, actor: Actor, input: IssueInvoiceInput, mode: ApplyMode = "set"): Promise<InvoiceRow> {
  const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customer.id)).for("update");
  if (!customer) throw new Error("customer vanished");
  const pendingItemIds = input.consumesPendingItems && input.subscription ? await lockPendingItemIds(tx, input.subscription.id) : [];
  return applyIssue(tx, planIssue(input, customer, pendingItemIds, { actor, tax: await loadTaxSettings(tx) }, realIds), mode);
}

/** The subscription's pending invoice items not yet on an invoice, locked (the next invoice consumes them). */
export async function lockPendingItemIds(tx: Executor, subscriptionId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: pendingInvoiceItems.id })
    .from(pendingInvoiceItems)
    .where(and(eq(pendingInvoiceItems.subscriptionId, subscriptionId), isNull(pendingInvoiceItems.invoiceId)))
    .orderBy(pendingInvoiceItems.id)
    .for("update");
  return rows.map((r) => r.id);
}

/** Write an invoice's plan: the draft, its lines, the pending items it consumes, then its finalization. Returns the invoice as stored. */
export async function applyIssue(tx: Executor, plan: IssuePlan, mode: ApplyMode): Promise<InvoiceRow> {
  await applyWrites(tx, [insertInto(invoices, [plan.invoice]), insertInto(invoiceLines, plan.lines), updateIn(pendingInvoiceItems, plan.pendingItems)], mode);
  if (plan.finalization) await applyFinalization(tx, plan.finalization, mode);
  const row = await lockInvoice(tx, plan.invoice.id);
  if (!row) throw new Error("invoice vanished");
  return row;
}
