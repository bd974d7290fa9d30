import { loadTaxSettings } from "../tax/tax-settings";
import type { Executor } from "@/db/client";
import { entitlementsChanged } from "../customers/entitlements-cache";
import { applyWrites, insertInto, type ApplyMode } from "@/db/apply-writes";
import { auditLog, outboxEvents } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { StepResult } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import { realIds } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { applyIssue, lockPendingItemIds } from "../invoices/issue-invoice";
import { voidWrites } from "../invoices/void-invoice";
import { planStep, type StepPlan } from "./plan-step";
import { itemsChanged, stateSaveWrites, subscriptionItemIds } from "./save-state";

export interface AppliedStep {
  invoice: InvoiceRow | null;
  subscription: SubscriptionRow;
  /** The invoice to charge after the commit, when there is one. */
  collect: string | null;
}

/**
 * Persist one lifecycle step in the caller's transaction, which holds the subscription's and the
 * customer's row locks: lock what the step's plan reads (the latest invoice it may void, the
 * pending items its invoice consumes, the items it replaces), plan it (planStep) and apply it.
 */
export async function applyStep(tx: Executor, ctx: ServiceContext, row: SubscriptionRow, customer: CustomerRow, before: SubscriptionState, result: StepResult): Promise<AppliedStep> {
  const latestInvoice = result.status?.to === "incomplete_expired" && row.latestInvoiceId ? ((await lockInvoice(tx, row.latestInvoiceId)) ?? null) : null;
  const pendingItemIds = result.invoice?.consumesPendingLines ? await lockPendingItemIds(tx, row.id) : [];
  const itemIds = itemsChanged(before, result.state) ? await subscriptionItemIds(tx, row.id) : [];
  const plan = planStep({ subscription: row, customer, before, result, latestInvoice, pendingItemIds, itemIds }, { actor: ctx.actor, requestId: ctx.requestId, tax: await loadTaxSettings(tx) }, realIds);
  return applyStepPlan(tx, plan, ctx.applyMode ?? "set");
}

/** Write a step's plan: its invoice (applyIssue: the number is taken there), then the void, the subscription's save, the step's entry and event. */
export async function applyStepPlan(tx: Executor, plan: StepPlan, mode: ApplyMode): Promise<AppliedStep> {
  const invoice = plan.invoice ? await applyIssue(tx, plan.invoice, mode) : null;
  await applyWrites(tx, [...(plan.void ? voidWrites(plan.void) : []), ...stateSaveWrites(plan.state), insertInto(auditLog, [plan.audit]), insertInto(outboxEvents, plan.events)], mode);
  entitlementsChanged(plan.state.row.customerId, { inTransaction: true });
  return { invoice, subscription: plan.state.row, collect: plan.collect };
}
