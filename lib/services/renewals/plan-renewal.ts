import type { TaxSettings } from "@/lib/tax/engine";
import type { CustomerRow, PaymentMethodRow } from "@/db/queries/customers";
import { formatInvoiceNumber } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import type { invoiceBillTo, invoiceLines, invoices, payments } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { finalization, type Finalization } from "@/lib/billing/invoices/finalization";
import { auditRow } from "@/lib/audit/record";
import type { AuditRowInput, EventRowInput } from "@/lib/events/catalog/rows";
import { eventRow } from "@/lib/events/outbox";
import { nextDue, step, type StepResult } from "@/lib/billing/subscriptions/lifecycle";
import type { SubscriptionState } from "@/lib/billing/subscriptions/state";
import { realIds, type IdSource } from "@/lib/ids";
import { chargeIdempotencyKey } from "@/lib/payments";
import { isBelowMinimumCharge } from "@/lib/payments/charge-minimums";
import { finalizedAudit, previewInvoice } from "../invoices/plan-invoice";
import { draftInvoiceValues, draftLineValues } from "../invoices/insert-draft";
import { billToValues } from "../privacy/bill-to";
import { stateColumns } from "../subscriptions/save-state";

/**
 * The plan of a renewal (pure): from one due subscription's rows, locked by the caller, either every
 * row its renewal writes — the invoice as a draft, its lines, its bill-to block, the finalization, the subscription's
 * new period, the audit entries, the events and the pending payment — or the reason it is left to
 * the general step (applyStep). The money comes from the one engine (lifecycle `step`, then `previewInvoice` →
 * buildInvoice); nothing here computes an amount.
 *
 * The fast path is the common renewal only: a subscription due for a `renewal` (not a trial end,
 * a cancel at period end, a pause, an expiry), with no scheduled change and no pending invoice
 * items, whose customer has no balance to apply (credit, or a debit
 * carried from an amount below the minimum charge), whose amount due is not below the currency's
 * minimum charge (carryBelowMinimum settles that one), and — when it is charged automatically with
 * a default card — whose card is still attached. Anything else is rarer and takes the
 * per-subscription path's general step, which handles every case.
 *
 * Both paths use it: the billing run for each subscription of a batch, processDueSubscription for
 * the one subscription it holds (a batch of one) — `env.now` is the customer's now (a test
 * clock's time for a customer on one).
 */

type InvoiceInsert = typeof invoices.$inferInsert;
type InvoiceLineInsert = typeof invoiceLines.$inferInsert;
type PaymentInsert = typeof payments.$inferInsert;

export interface RenewalCandidate {
  /** Locked by the batch. */
  subscription: SubscriptionRow;
  /** Locked by the batch; null when another transaction held it (the batch skips it). */
  customer: CustomerRow | null;
  /** The engine's state; null when it was not loaded (a scheduled change, pending items). */
  state: SubscriptionState | null;
  /** The customer's default payment method, when it has one. */
  paymentMethod: PaymentMethodRow | null;
  /** Pending invoice items (prorations, one-offs) waiting for this subscription's next invoice. */
  hasPendingItems: boolean;
}

export interface RenewalEnv {
  now: Date;
  actor: Actor;
  requestId?: string;
  /** The tax settings in force (loadTaxSettings). */
  tax?: TaxSettings;
}

/** The subscription's row after its renewal: the state's columns (stateColumns) and the new invoice. */
export type SubscriptionRenewalUpdate = { id: string; latestInvoiceId: string } & ReturnType<typeof stateColumns>;

export interface RenewalPlan {
  subscriptionId: string;
  customerId: string;
  /** The customer as locked by the batch (the charge names it at the gateway). */
  customer: CustomerRow;
  /** The subscription as locked by the batch, before its renewal (`subscription` is its update; a renewal leaves the status as it is). */
  subscriptionRow: SubscriptionRow;
  /** Who the audit entries name. */
  actor: Actor;
  kind: StepResult["kind"];
  at: Date;
  /** The customer's now the renewal was planned in (a test clock's time for a customer on one). */
  now: Date;
  invoice: InvoiceInsert & { id: string };
  lines: InvoiceLineInsert[];
  /** Who the invoice is issued to: the customer's details as locked by the batch (billToValues, as planFinalization writes it). */
  billTo: typeof invoiceBillTo.$inferInsert;
  finalize: Finalization;
  subscription: SubscriptionRenewalUpdate;
  /** Written with the renewal: subscription.renewal (the invoice.finalized entry needs the number). */
  audit: AuditRowInput[];
  /** invoice.finalized (and invoice.paid when nothing is due). */
  events: EventRowInput[];
  /** The first charge attempt, recorded pending in the renewal's transaction; null when not charged now. */
  payment: (PaymentInsert & { id: string; idempotencyKey: string; amount: number }) | null;
  /** The card to charge (with `payment`). */
  paymentMethod: PaymentMethodRow | null;
}

export type PlannedRenewal = { kind: "fast"; plan: RenewalPlan } | { kind: "fallback"; reason: string };

const fallback = (reason: string): PlannedRenewal => ({ kind: "fallback", reason });

/** The fallback reason of a subscription with nothing due in the planning's now. */
export const NOT_DUE = "not due";

export function planRenewal(c: RenewalCandidate, env: RenewalEnv, ids: IdSource = realIds): PlannedRenewal {
  const row = c.subscription;
  const customer = c.customer;
  if (!customer) return fallback("customer locked by another transaction");
  if (customer.creditBalance !== 0) return fallback("balance to apply");
  if (row.pendingChange) return fallback("scheduled change");
  if (c.hasPendingItems || !c.state) return fallback("pending invoice items");
  const before = c.state;
  const due = nextDue(before);
  if (!due || due.at > env.now) return fallback(NOT_DUE);
  if (due.kind !== "renewal") return fallback(due.kind);
  const collect = row.collectionMethod === "charge_automatically" && customer.defaultPaymentMethodId !== null;
  if (collect && (!c.paymentMethod || c.paymentMethod.detachedAt)) return fallback("default payment method missing");

  const result = step(before);
  if (!result || !result.invoice || result.status || result.appliedPendingChange || result.kind !== "renewal") return fallback("not a plain renewal");
  const at = result.at;
  const discount = result.invoice.discounted ? (before.discount?.terms ?? null) : null;
  // issueInvoice: the customer's currency, the customer's row as locked now.
  const draft = previewInvoice(customer, customer.currency, result.invoice.lines, discount, at, env.tax);
  if (draft.creditApplied !== 0 || draft.debitApplied !== 0 || draft.excessCredit !== 0) return fallback("credit to apply");
  if (isBelowMinimumCharge(draft.amountDue, draft.currency)) return fallback("amount due below the minimum charge");

  const invoiceId = ids.newId("invoice");
  // insertInvoiceDraft's rows, with this run's ids.
  const invoice: RenewalPlan["invoice"] = draftInvoiceValues(
    {
      customerId: customer.id,
      subscriptionId: row.id,
      billingReason: result.invoice.billingReason,
      collectionMethod: row.collectionMethod,
      daysUntilDue: row.daysUntilDue,
      period: result.invoice.period,
      draft,
      livemode: customer.livemode,
      at,
      couponId: discount?.couponId ?? null,
    },
    invoiceId,
    ids.token(),
  );
  const lines: InvoiceLineInsert[] = draftLineValues(draft, invoiceId, () => ids.newId("invoiceLine"));

  // finalizeInvoice's columns (no credit to apply: the amount due is the draft's); the first charge
  // attempt is recorded below, in the same transaction, when the card is charged right after it.
  const paidNow = draft.amountDue === 0;
  const charge = !paidNow && collect;
  const finalize = finalization({ amountDue: draft.amountDue, collectionMethod: row.collectionMethod, billingReason: result.invoice.billingReason, daysUntilDue: row.daysUntilDue }, at, customer.timezone, { attemptRecorded: charge });

  // saveSubscriptionState's columns (a renewal leaves the status as it is).
  const after = result.state;
  const subscription: SubscriptionRenewalUpdate = { id: row.id, latestInvoiceId: invoiceId, ...stateColumns(row, before, after, at, row.status) };

  const audit: AuditRowInput[] = [
    auditRow(
      env.actor,
      { action: `subscription.${result.kind}`, entityType: "subscription", entityId: row.id, before: { period: before.period, status: before.status }, after: { period: after.period, status: row.status, invoice: invoiceId } },
      at,
      env.requestId,
    ),
  ];
  const events: EventRowInput[] = [eventRow({ type: "invoice.finalized", customerId: customer.id, entityId: invoiceId, payload: { invoice: invoiceId } }, at, ids.newId("event"))];
  if (paidNow) events.push(eventRow({ type: "invoice.paid", customerId: customer.id, entityId: invoiceId, payload: { invoice: invoiceId } }, at, ids.newId("event")));

  // attemptInvoicePayment's first step: attempt 1 of a new invoice, at the customer's now.
  const method = c.paymentMethod;
  const payment: RenewalPlan["payment"] =
    charge && method
      ? {
          id: ids.newId("payment"),
          invoiceId,
          customerId: customer.id,
          amount: draft.amountDue,
          currency: draft.currency,
          status: "pending",
          paymentMethodId: method.id,
          gateway: method.gateway,
          idempotencyKey: chargeIdempotencyKey(invoiceId, 1),
          attempt: 1,
          livemode: customer.livemode,
          createdAt: env.now,
        }
      : null;

  return {
    kind: "fast",
    plan: { subscriptionId: row.id, customerId: customer.id, customer, subscriptionRow: row, actor: env.actor, kind: result.kind, at, now: env.now, invoice, lines, billTo: billToValues(customer, invoiceId, at), finalize, subscription, audit, events, payment, paymentMethod: charge ? method : null },
  };
}

export interface NumberedRenewal extends RenewalPlan {
  finalize: Finalization & { number: string };
  /** The invoice.finalized audit entry (it names the number); the plan's own entries are in `audit`. */
  finalized: AuditRowInput;
}

/**
 * Give a batch's renewals the block of numbers [first, first + n) in order, each with the
 * invoice.finalized audit entry its finalization writes.
 */
export function numberRenewals(plans: readonly RenewalPlan[], first: number, prefix: string): NumberedRenewal[] {
  return plans.map((plan, k) => {
    const number = formatInvoiceNumber(prefix, first + k);
    const finalized = finalizedAudit({ actor: plan.actor, invoiceId: plan.invoice.id, at: plan.at, finalizedStatus: plan.finalize.status }, number);
    // New properties before the spread (a spread followed by new ones costs V8 a separate property store: bench/RESULTS.md R1); `finalize` replaces the plan's own.
    // eslint-disable-next-line no-restricted-syntax -- replaces an existing property, adds none
    return { finalized, ...plan, finalize: { number, ...plan.finalize } };
  });
}
