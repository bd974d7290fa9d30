import type { TaxSettings } from "@/lib/tax/engine";
import type { CustomerRow } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { Actor } from "@/lib/actor";
import { auditRow } from "@/lib/audit/record";
import type { StepResult } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import type { AuditRowInput, EventRowInput } from "@/lib/events/catalog/rows";
import { eventRow } from "@/lib/events/outbox";
import type { IdSource } from "@/lib/ids";
import { planIssue, type IssuePlan } from "../invoices/plan-invoice";
import { planVoid, voidReturnsBalance, type VoidPlan } from "../invoices/void-invoice";
import { planStateSave, type StateSavePlan } from "./save-state";

/**
 * The plan of a subscription's general step (pure, docs/decisions/024-plan-then-apply.md): every
 * due step the renewal plan hands back — a trial end, a scheduled change applied, credit to apply,
 * a cancellation at period end, a pause ending, an expired first payment — as the rows it writes:
 * its invoice (planIssue: the draft, lines, pending items consumed, balance applied, finalization,
 * a carry below the minimum charge; discounted when the coupon still applies), the voided invoice
 * of an expired first payment (planVoid), the subscription's new state and status (planStateSave),
 * the step's audit entry and the scheduled change's event, and the invoice to collect after the
 * commit. applyStepPlan (apply-step.ts) writes it in one transaction, in either apply mode.
 */

/** The rows the step's transaction holds under lock. */
export interface StepRows {
  subscription: SubscriptionRow;
  customer: CustomerRow;
  /** The engine's state before the step, and the step (lifecycle `step`). */
  before: SubscriptionState;
  result: StepResult;
  /** The subscription's latest invoice when the step expires the subscription (its open first invoice is voided); else null. */
  latestInvoice: InvoiceRow | null;
  /** The subscription's unconsumed pending invoice items when the step's invoice consumes them. */
  pendingItemIds: readonly string[];
  /** The subscription's item rows when the step changes its items (they are replaced). */
  itemIds: readonly string[];
}

export interface StepEnv {
  actor: Actor;
  requestId?: string;
  /** The tax settings in force (loadTaxSettings). */
  tax?: TaxSettings;
}

export interface StepPlan {
  kind: StepResult["kind"];
  at: Date;
  invoice: IssuePlan | null;
  void: VoidPlan | null;
  state: StateSavePlan;
  /** The step's entry (subscription.<kind>). */
  audit: AuditRowInput;
  /** customer.subscription.updated when a scheduled change was applied. */
  events: EventRowInput[];
  /** The invoice to charge after the commit: left open, collected automatically from a default card. */
  collect: string | null;
}

export function planStep(rows: StepRows, env: StepEnv, ids: IdSource): StepPlan {
  const { subscription: row, customer, before, result } = rows;
  const invoice = result.invoice
    ? planIssue(
        {
          customer,
          subscription: row,
          billingReason: result.invoice.billingReason,
          period: result.invoice.period,
          lines: result.invoice.lines,
          discount: result.invoice.discounted ? (before.discount?.terms ?? null) : null,
          consumesPendingItems: result.invoice.consumesPendingLines,
          at: result.at,
        },
        customer,
        rows.pendingItemIds,
        env,
        ids,
      )
    : null;
  const invoiceId = invoice?.invoice.id ?? null;
  const ended = result.status?.to === "canceled" || result.status?.to === "incomplete_expired";
  // An expired first invoice is no longer owed (Stripe voids it too); its balance goes back to the customer's, as the invoice left it.
  const latest = rows.latestInvoice;
  const expires = result.status?.to === "incomplete_expired" && latest?.status === "open";
  const balance = invoice?.finalization?.moves.endingBalance ?? customer.creditBalance;
  const voided = expires ? planVoid(latest, voidReturnsBalance(latest) ? { id: customer.id, currency: customer.currency, creditBalance: balance } : null, result.at, env.actor, env.requestId, ids) : null;
  const state = planStateSave(
    row,
    before,
    result.state,
    result.at,
    {
      status: result.status,
      endedAt: ended ? result.at : undefined,
      canceledAt: ended && !row.canceledAt ? result.at : undefined,
      extra: invoiceId ? { latestInvoiceId: invoiceId } : undefined,
    },
    rows.itemIds,
    env.actor,
    ids,
  );
  const audit = auditRow(
    env.actor,
    {
      action: `subscription.${result.kind}`,
      entityType: "subscription",
      entityId: row.id,
      before: { period: before.period, status: before.status },
      after: { period: result.state.period, status: state.row.status, invoice: invoiceId },
    },
    result.at,
    env.requestId,
  );
  const events = result.appliedPendingChange
    ? [
        eventRow(
          {
            type: "customer.subscription.updated",
            customerId: row.customerId,
            entityId: row.id,
            payload: {
              subscription: row.id,
              change: "scheduled_change_applied",
              from: before.items.map((i) => ({ price: i.price.id, quantity: i.quantity })),
              to: result.state.items.map((i) => ({ price: i.price.id, quantity: i.quantity })),
              invoice: invoiceId,
            },
          },
          result.at,
          ids.newId("event"),
        ),
      ]
    : [];
  const open = invoice?.finalization?.invoice.status === "open";
  const collect = open && row.collectionMethod === "charge_automatically" && customer.defaultPaymentMethodId !== null ? invoiceId : null;
  return { kind: result.kind, at: result.at, invoice, void: voided, state, audit, events, collect };
}
