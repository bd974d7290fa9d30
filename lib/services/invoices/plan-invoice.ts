import type { CustomerRow } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { invoiceBillTo, invoiceLines, invoices } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { auditRow } from "@/lib/audit/record";
import { buildInvoice } from "@/lib/billing/invoices/build-invoice";
import { finalization } from "@/lib/billing/invoices/finalization";
import type { BillingReason } from "@/lib/billing/invoices/statuses";
import { applyBalance } from "@/lib/billing/invoices/totals";
import type { DiscountTerms, InvoiceDraft, LineInput } from "@/lib/billing/types";
import { AppError } from "@/lib/errors";
import type { AuditRowInput, EventRowInput } from "@/lib/events/catalog/rows";
import { eventRow } from "@/lib/events/outbox";
import type { IdSource } from "@/lib/ids";
import { isBelowMinimumCharge } from "@/lib/payments/charge-minimums";
import { defaultTaxSettings, taxEngine, type TaxSettings } from "@/lib/tax/engine";
import { balanceMoves, type BalanceEntry, type BalanceMoves } from "../balance/record-balance-transaction";
import { billToValues } from "../privacy/bill-to";
import { draftInvoiceValues, draftLineValues } from "./insert-draft";

/**
 * The plan of an invoice (pure, docs/decisions/024-plan-then-apply.md): from the rows its caller
 * holds under lock, every row issuing it writes — the draft and its lines, the pending items it
 * consumes, and its finalization: the customer's balance applied (credit paid in, a debit carried
 * from earlier invoices collected, a negative total's excess credited back), the invoice's columns
 * once finalized, an amount due below the minimum charge carried to the balance, the audit entries
 * and the events. The number is the one value that needs the database: the applier takes it
 * (issue-invoice.ts, apply-credit-and-finalize.ts). Every caller that issues or finalizes an
 * invoice — a subscription's creation, a plan change, a cancellation, a one-off invoice, the
 * general step of a due subscription — goes through these functions.
 */

type InvoiceInsert = typeof invoices.$inferInsert;
type InvoiceLineInsert = typeof invoiceLines.$inferInsert;

export interface IssueInvoiceInput {
  customer: CustomerRow;
  subscription: { id: string; collectionMethod: "charge_automatically" | "send_invoice"; daysUntilDue: number | null } | null;
  billingReason: BillingReason;
  period: { start: Date; end: Date } | null;
  lines: LineInput[];
  discount: DiscountTerms | null;
  /** Pending invoice items of this subscription that the lines include: marked as invoiced. */
  consumesPendingItems: boolean;
  at: Date;
  /** Leave the invoice as a draft (one-off invoices finalized later). */
  draft?: boolean;
  /** Collection terms of an invoice without a subscription (one-off invoices); a subscription's own terms win. */
  collection?: { method: "charge_automatically" | "send_invoice"; daysUntilDue: number | null };
}

/**
 * The tax calculator for an invoice: the engine with the tax settings its caller loaded
 * (lib/services/tax/tax-settings.ts loadTaxSettings), or a new install's in Australia when none are
 * given (pure tests of the plans).
 */
export function taxCalculatorFor(tax: TaxSettings | undefined) {
  return taxEngine(tax ?? defaultTaxSettings());
}

/** Preview without persisting: exactly what `issueInvoice` would compute now, with the same tax settings. */
export function previewInvoice(customer: CustomerRow, currency: string, lines: LineInput[], discount: DiscountTerms | null, at: Date, tax?: TaxSettings): InvoiceDraft {
  return buildInvoice({ customer, currency, lines, discount, taxCalculator: taxCalculatorFor(tax), asOf: at });
}

/** Who plans: the actor the audit entries name, and the tax settings in force (loadTaxSettings). */
export interface InvoicePlanEnv {
  actor: Actor;
  tax?: TaxSettings;
}

/** What finalization reads of a draft invoice. */
export type DraftFacts = Pick<InvoiceRow, "id" | "customerId" | "status" | "number" | "total" | "excessCredited" | "collectionMethod" | "billingReason" | "currency" | "carriedToBalance">;

export interface FinalizationPlan {
  invoiceId: string;
  customerId: string;
  at: Date;
  actor: Actor;
  /** The invoice's columns once finalized, all but its number: the balance applied now, finalization's, and a carry's. */
  invoice: Partial<InvoiceInsert>;
  /** The status finalization gave it (the invoice.finalized entry names it; a carry then pays it). */
  finalizedStatus: "open" | "paid";
  /** The customer's balance moves, in order, from its balance as locked. */
  moves: BalanceMoves;
  /** Who the invoice is issued to, as the customer stands at finalization (kept even if the customer later changes or is deleted). */
  billTo: typeof invoiceBillTo.$inferInsert;
  /** The entries after invoice.finalized (which names the number: finalizedAudit). */
  audit: AuditRowInput[];
  events: EventRowInput[];
}

export interface IssuePlan {
  /** The draft row. */
  invoice: InvoiceInsert & { id: string };
  lines: InvoiceLineInsert[];
  /** Pending invoice items the invoice consumes, pointed at it. */
  pendingItems: { id: string; invoiceId: string }[];
  /** Null when the invoice stays a draft. */
  finalization: FinalizationPlan | null;
}

/**
 * Issue an invoice: the engine's draft (previewInvoice → buildInvoice) for `customer` as locked now,
 * its lines, the pending items it consumes (`pendingItemIds`: the subscription's unconsumed ones,
 * locked) and, unless it stays a draft, its finalization.
 */
export function planIssue(input: IssueInvoiceInput, customer: CustomerRow, pendingItemIds: readonly string[], env: InvoicePlanEnv, ids: IdSource): IssuePlan {
  const draft = previewInvoice(customer, customer.currency, input.lines, input.discount, input.at, env.tax);
  const invoiceId = ids.newId("invoice");
  const invoice = draftInvoiceValues(
    {
      customerId: customer.id,
      subscriptionId: input.subscription?.id ?? null,
      billingReason: input.billingReason,
      collectionMethod: input.subscription?.collectionMethod ?? input.collection?.method ?? "send_invoice",
      daysUntilDue: input.subscription ? input.subscription.daysUntilDue : (input.collection?.daysUntilDue ?? null),
      period: input.period,
      draft,
      livemode: customer.livemode,
      at: input.at,
      couponId: input.discount?.couponId ?? null,
    },
    invoiceId,
    ids.token(),
  );
  const lines = draftLineValues(draft, invoiceId, () => ids.newId("invoiceLine"));
  const pendingItems = input.consumesPendingItems && input.subscription ? pendingItemIds.map((id) => ({ id, invoiceId })) : [];
  const facts: DraftFacts = {
    id: invoiceId,
    customerId: customer.id,
    status: "draft",
    number: null,
    total: draft.total,
    excessCredited: draft.excessCredit,
    collectionMethod: invoice.collectionMethod,
    billingReason: invoice.billingReason,
    currency: draft.currency,
    carriedToBalance: 0,
  };
  return { invoice, lines, pendingItems, finalization: input.draft ? null : planFinalization(facts, customer, input.at, invoice.daysUntilDue ?? null, env, ids) };
}

/**
 * draft → open, with the customer's balance as it is now (applyBalance, the engine's rule): credit
 * pays what it can, a debit (amounts earlier invoices carried below the minimum charge) is added to
 * the amount due, a negative total's excess goes back to the balance; then the finalization's
 * columns (lib/billing/invoices/finalization.ts). Nothing due is paid at once; an amount due below
 * the currency's minimum charge is paid at once by carrying it to the balance (planCarry).
 * `customer` is the locked, current row.
 */
export function planFinalization(invoice: DraftFacts, customer: CustomerRow, at: Date, daysUntilDue: number | null, env: InvoicePlanEnv, ids: IdSource): FinalizationPlan {
  if (invoice.status !== "draft") {
    throw new AppError("conflict", { userMessage: `Invoice ${invoice.number ?? invoice.id} is already finalized.` });
  }
  // A draft built earlier saw an older balance; the balance applied is the one at finalization.
  const { creditApplied, debitApplied, amountDue } = applyBalance(customer.creditBalance, invoice.total);
  const entries: BalanceEntry[] = [];
  if (creditApplied > 0) entries.push({ amount: -creditApplied, type: "applied_to_invoice", description: "Applied to invoice", invoiceId: invoice.id });
  if (debitApplied > 0) entries.push({ amount: debitApplied, type: "applied_to_invoice", description: "Carried from earlier invoices below the minimum card charge", invoiceId: invoice.id });
  if (invoice.excessCredited > 0) entries.push({ amount: invoice.excessCredited, type: "invoice_excess", description: "Unused time credited to your balance", invoiceId: invoice.id });
  const moves = balanceMoves(customer, customer.creditBalance, entries, at, () => ids.newId("balanceTransaction"));

  const f = finalization({ amountDue, collectionMethod: invoice.collectionMethod, billingReason: invoice.billingReason, daysUntilDue }, at, customer.timezone);
  const events: EventRowInput[] = [eventRow({ type: "invoice.finalized", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id } }, at, ids.newId("event"))];
  if (f.status === "paid") events.push(eventRow({ type: "invoice.paid", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id } }, at, ids.newId("event")));
  const columns: Partial<InvoiceInsert> = { creditApplied, debitApplied, amountDue, ...f };

  const carry = planCarry({ id: invoice.id, customerId: invoice.customerId, status: f.status, amountRemaining: f.amountRemaining, currency: invoice.currency, carriedToBalance: invoice.carriedToBalance }, customer, moves.endingBalance, at, env.actor, undefined, ids);
  const billTo = billToValues(customer, invoice.id, at);
  if (!carry) return { invoiceId: invoice.id, customerId: invoice.customerId, at, actor: env.actor, invoice: columns, finalizedStatus: f.status, moves, billTo, audit: [], events };
  return {
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    at,
    actor: env.actor,
    invoice: { ...columns, ...carry.invoice },
    finalizedStatus: f.status,
    billTo,
    moves: { customerId: moves.customerId, rows: [...moves.rows, ...carry.moves.rows], endingBalance: carry.moves.endingBalance },
    audit: [carry.audit],
    events: [...events, carry.event],
  };
}

/** The invoice.finalized entry, once the applier has taken the number (finalization records it without the request id). */
export function finalizedAudit(plan: Pick<FinalizationPlan, "actor" | "invoiceId" | "at" | "finalizedStatus">, number: string): AuditRowInput {
  return auditRow(plan.actor, { action: "invoice.finalized", entityType: "invoice", entityId: plan.invoiceId, before: { status: "draft" }, after: { status: plan.finalizedStatus, number } }, plan.at);
}

/** What a carry reads of the invoice. */
export type CarryFacts = Pick<InvoiceRow, "id" | "customerId" | "status" | "amountRemaining" | "currency" | "carriedToBalance">;

export interface CarryPlan {
  /** The invoice's columns once carried: paid, nothing remaining. */
  invoice: { status: "paid"; carriedToBalance: number; amountRemaining: 0; paidAt: Date; nextPaymentAttemptAt: null };
  moves: BalanceMoves;
  audit: AuditRowInput;
  event: EventRowInput;
}

/** Whether an invoice is owed an amount below its currency's minimum charge (it is carried, not charged). */
export function carriesBelowMinimum(invoice: Pick<CarryFacts, "status" | "amountRemaining" | "currency">): boolean {
  return (invoice.status === "open" || invoice.status === "uncollectible") && isBelowMinimumCharge(invoice.amountRemaining, invoice.currency);
}

/**
 * Stripe Billing's rule for an amount Stripe would refuse to charge (decision 023): an open invoice
 * whose amount remaining is owed but below the currency's minimum charge is paid by moving that
 * amount to the customer's balance as a debit (ledger type `invoice_too_small`), which the next
 * invoice finalized for the customer collects (applyBalance). Null when there is nothing to carry.
 * `balance` is the customer's balance before the carry.
 */
export function planCarry(
  invoice: CarryFacts,
  customer: Pick<CustomerRow, "id" | "currency">,
  balance: number,
  at: Date,
  actor: Actor,
  requestId: string | undefined,
  ids: IdSource,
): CarryPlan | null {
  if (!carriesBelowMinimum(invoice)) return null;
  const amount = invoice.amountRemaining;
  const moves = balanceMoves(customer, balance, [{ amount: -amount, type: "invoice_too_small", description: "Below the minimum card charge: added to your next invoice", invoiceId: invoice.id }], at, () => ids.newId("balanceTransaction"));
  const audit = auditRow(
    actor,
    {
      action: "invoice.carried_to_balance",
      entityType: "invoice",
      entityId: invoice.id,
      before: { status: invoice.status, amount_remaining: amount },
      after: { status: "paid", carried_to_balance: amount, ending_balance: moves.endingBalance },
    },
    at,
    requestId,
  );
  const event = eventRow({ type: "invoice.paid", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id, carried_to_balance: amount } }, at, ids.newId("event"));
  return { invoice: { status: "paid", carriedToBalance: invoice.carriedToBalance + amount, amountRemaining: 0, paidAt: at, nextPaymentAttemptAt: null }, moves, audit, event };
}
