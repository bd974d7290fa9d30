import type { CustomerRow } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { insertInto, updateIn, type GuardValue, type Write } from "@/db/apply-writes";
import { auditLog, customers, invoices, outboxEvents, payments, reconciliationItems, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { auditRow } from "@/lib/audit/record";
import { nextAttemptAfterFailure, type FailedAttempt } from "@/lib/billing/retries/policy";
import type { AuditRowInput, EventRowInput } from "@/lib/events/catalog/rows";
import { eventRow } from "@/lib/events/outbox";
import { newId, type IdKind } from "@/lib/ids";
import type { ChargeResult } from "@/lib/payments";
import { planRestore } from "../dunning/restore-customer";
import { reactivatedByPayment } from "../invoices/after-payment";
import { planStatusChange, type StatusChangePlan } from "../subscriptions/change-status";

/** One payment's answer with the rows it reads (locked by the caller: the payment, then its invoice, its subscription, its customer). */
export interface ChargeToSettle {
  result: ChargeResult;
  payment: PaymentRow;
  invoice: InvoiceRow;
  /** The invoice's subscription, when the result needs it (chargeNeeds); null otherwise or without one. */
  subscription: SubscriptionRow | null;
  customer: Pick<CustomerRow, "id" | "status" | "timezone"> | null;
  /** The customer's now (a test clock's time for a customer on one): when the payment settles. */
  asOf: Date;
}

/** What the rules read beyond each payment's own rows, loaded before planning (see chargeNeeds). */
export interface ChargeBook {
  /** Each invoice's failed attempts before these results (for an invoice whose payment fails). */
  failures: ReadonlyMap<string, readonly FailedAttempt[]>;
  /** The open or uncollectible invoices with a failed charge of each customer in dunning that a payment may restore, locked. */
  owed: ReadonlyMap<string, readonly string[]>;
  /** `payments.retry_schedule_days` (when a payment failed). */
  retrySchedule: readonly number[];
}

export interface ChargeEnv {
  now: Date;
  actor: Actor;
  requestId?: string;
  newId?: (kind: IdKind) => string;
}

/** A row update guarded by the status it was read with (under lock, so it still holds). */
export interface Guarded<R> {
  row: R;
  was: string;
}

type PaymentSettlement = Required<Pick<typeof payments.$inferInsert, "status" | "gatewayId" | "fee" | "failureCode" | "declineCode" | "failureMessage" | "settledAt" | "riskLevel" | "outcome">> & { id: string };
type InvoicePaid = { id: string; status: "paid"; amountPaid: number; amountRemaining: 0; paidAt: Date; nextPaymentAttemptAt: null };

/** Each payment's rows after its result (what applyChargeResult returns). */
export interface ChargeOutcome {
  invoice: InvoiceRow;
  payment: PaymentRow;
  subscription: SubscriptionRow | null;
}

export interface ChargeResultPlan {
  payments: Guarded<PaymentSettlement>[];
  /** Guarded by the status and the amount paid they were read with: the invoice is as the plan saw it. */
  paidInvoices: (Guarded<InvoicePaid> & { paidBefore: number })[];
  /** The next attempt of an invoice whose payment failed or waits for the customer. */
  nextAttempts: Guarded<{ id: string; nextPaymentAttemptAt: Date | null }>[];
  reconciliationItems: (typeof reconciliationItems.$inferInsert & { id: string; paymentId: string })[];
  subscriptions: Guarded<{ id: string; status: SubscriptionRow["status"]; nextDueAt: Date | null }>[];
  statusHistory: (typeof subscriptionStatusHistory.$inferInsert)[];
  customers: Guarded<{ id: string; status: "active" }>[];
  audit: AuditRowInput[];
  events: EventRowInput[];
  /** One per charge, in order. */
  outcomes: ChargeOutcome[];
}

const CHARGEABLE = new Set<string>(["open", "uncollectible"]);

/** Whether a payment takes this result: only one still in flight does; requires_action moves on once authenticated. */
export function takesResult(payment: Pick<PaymentRow, "status">, result: ChargeResult): boolean {
  if (result.status === "pending") return false;
  return payment.status === "pending" || (payment.status === "requires_action" && result.status !== "requires_action");
}

/**
 * What planning a result reads beyond the payment and its invoice: the subscription (a success on
 * an invoice still owed may reactivate it; a failure may make it past due), the invoice's failed
 * attempts (a failure), the customer's owed invoices (a success for a customer in dunning).
 */
export function chargeNeeds(c: Pick<ChargeToSettle, "payment" | "invoice" | "result">): { subscription: boolean; failures: boolean; owed: boolean } {
  if (!takesResult(c.payment, c.result)) return { subscription: false, failures: false, owed: false };
  const pays = c.result.status === "succeeded" && CHARGEABLE.has(c.invoice.status);
  return { subscription: pays || c.result.status !== "succeeded", failures: c.result.status === "failed", owed: pays };
}

/**
 * Whether a result may be planned from rows known without reading them (the rows a renewal's
 * transaction wrote moments before: settleCharges' `known`): a success for a payment pending on an
 * invoice open, a subscription a payment does not reactivate and a customer in good standing. Its
 * plan then reads only what its writes or a check prove unchanged: the payment's status (its
 * update's guard), the invoice's status and amount paid (its update's guard), the subscription's
 * and the customer's standing (settleCharges checks them after the writes). Anything else — a
 * failure, a customer in dunning, a subscription past due — reads its rows under lock.
 */
export function plannedFromKnown(c: Pick<ChargeToSettle, "payment" | "invoice" | "subscription" | "customer">, result: ChargeResult): boolean {
  return result.status === "succeeded" && c.payment.status === "pending" && c.invoice.status === "open" && c.subscription !== null && !reactivatedByPayment(c.subscription.status) && c.customer?.status === "active";
}

/**
 * The plan of a charge result (pure, docs/decisions/024-plan-then-apply.md): from the rows read
 * under lock and the gateway's answer, every row applying it writes, for each kind of answer:
 * - succeeded: the payment settled, its invoice paid (audit `invoice.paid`, event `invoice.paid`),
 *   the subscription back to active when the payment reactivates it, the customer restored when
 *   it was in dunning and owes nothing overdue any more;
 * - succeeded on an invoice settled another way meanwhile (another card, a manual payment, a void):
 *   the money is real but not owed — never counted twice: the payment settled and a reconciliation
 *   item for staff (refund it or keep it as credit);
 * - failed: the payment failed, the invoice's next attempt on the retry schedule, an
 *   `invoice.payment_failed` event, and a renewal's subscription past due;
 * - requires_action: the payment waits for the customer (no retry until they authenticate);
 * - pending, or a payment no longer in flight: nothing (a result is applied exactly once).
 * applyChargeResult plans one payment, chargeRenewals a whole batch; both apply the plan with
 * `chargeResultWrites`. A batch settles each payment in order, as if one after the other: a
 * customer restored by the first payment is active for the second, an invoice failing earlier in
 * the batch is still owed later in it. A batch holds one result per payment, invoice and
 * subscription (as a renewal batch does), so no row is updated twice in one statement.
 */
export function planChargeResults(charges: readonly ChargeToSettle[], book: ChargeBook, env: ChargeEnv): ChargeResultPlan {
  const makeId = env.newId ?? newId;
  const plan: ChargeResultPlan = { payments: [], paidInvoices: [], nextAttempts: [], reconciliationItems: [], subscriptions: [], statusHistory: [], customers: [], audit: [], events: [], outcomes: [] };
  // The batch so far: customers' standing and what they owe change as its payments settle.
  const standing = new Map<string, CustomerRow["status"]>();
  const owed = new Map([...book.owed].map(([id, list]) => [id, new Set(list)]));
  const seen = new Set<string>();

  for (const c of charges) {
    const { payment, invoice, result, asOf } = c;
    for (const key of [`p:${payment.id}`, `i:${invoice.id}`, ...(invoice.subscriptionId ? [`s:${invoice.subscriptionId}`] : [])]) {
      if (seen.has(key)) throw new Error(`one charge result per payment, invoice and subscription in a batch (${key.slice(2)} twice)`);
      seen.add(key);
    }
    if (!takesResult(payment, result) || result.status === "pending") {
      plan.outcomes.push({ invoice, payment, subscription: null });
      continue;
    }
    const risk = "riskLevel" in result ? { riskLevel: result.riskLevel ?? null, outcome: result.outcome ?? null } : { riskLevel: payment.riskLevel, outcome: payment.outcome };
    const settle = (row: Omit<PaymentSettlement, "id">): PaymentRow => {
      plan.payments.push({ row: { id: payment.id, ...row }, was: payment.status });
      return { ...payment, ...row };
    };
    const sub = c.subscription;
    const timeZone = c.customer?.timezone ?? "UTC";

    if (result.status === "succeeded") {
      // Settlements are written out field by field (no spread followed by new properties: B8).
      const paid = settle({
        status: "succeeded",
        gatewayId: result.gatewayId,
        fee: result.fee,
        failureCode: payment.failureCode,
        declineCode: payment.declineCode,
        failureMessage: payment.failureMessage,
        settledAt: asOf,
        riskLevel: risk.riskLevel,
        outcome: risk.outcome,
      });
      if (!CHARGEABLE.has(invoice.status)) {
        plan.reconciliationItems.push({
          id: makeId("reconciliationItem"),
          paymentId: payment.id,
          kind: "charge_after_settlement",
          detail: `Payment ${payment.id} of ${payment.amount} succeeded after invoice ${invoice.number ?? invoice.id} was already ${invoice.status}; refund it or keep it as credit.`,
        });
        plan.audit.push(auditRow(env.actor, { action: "payment.succeeded_after_settlement", entityType: "payment", entityId: payment.id, after: { invoice_status: invoice.status } }, env.now, env.requestId));
        plan.outcomes.push({ invoice, payment: paid, subscription: null });
        continue;
      }
      const paidInvoice: InvoicePaid = { id: invoice.id, status: "paid", amountPaid: invoice.amountPaid + payment.amount, amountRemaining: 0, paidAt: asOf, nextPaymentAttemptAt: null };
      plan.paidInvoices.push({ row: paidInvoice, was: invoice.status, paidBefore: invoice.amountPaid });
      plan.audit.push(auditRow(env.actor, { action: "invoice.paid", entityType: "invoice", entityId: invoice.id, before: { status: invoice.status }, after: { status: "paid", payment: payment.id } }, env.now, env.requestId));
      plan.events.push(eventRow({ type: "invoice.paid", customerId: invoice.customerId, entityId: invoice.id, payload: { invoice: invoice.id, payment: payment.id } }, asOf, makeId("event")));
      const change = sub && reactivatedByPayment(sub.status) ? planStatusChange(sub, "active", "invoice paid", asOf, timeZone, env.actor, { newId: makeId }) : null;
      if (change) addStatusChange(plan, change);
      // Dunning recovery: a customer in warning/blocked who owes nothing overdue now is active again at once.
      const customer = c.customer;
      if (customer) {
        const status = standing.get(customer.id) ?? customer.status;
        const owing = owed.get(customer.id);
        if (status !== "active" && !owing) throw new Error(`customer ${customer.id} in dunning: its owed invoices were not loaded`);
        owing?.delete(invoice.id);
        const restore = planRestore({ id: customer.id, status }, owing?.size ?? 0, asOf, { actor: env.actor, paidInvoiceId: invoice.id, newId: makeId });
        if (restore) {
          plan.customers.push({ row: restore.update, was: restore.was });
          plan.audit.push(restore.audit);
          plan.events.push(restore.event);
          standing.set(customer.id, "active");
        }
      }
      plan.outcomes.push({ invoice: { ...invoice, ...paidInvoice }, payment: paid, subscription: change?.row ?? sub });
      continue;
    }

    const failed = result.status === "failed";
    const updated = failed
      ? settle({
          status: "failed",
          gatewayId: result.gatewayId,
          fee: payment.fee,
          failureCode: result.failureCode,
          declineCode: result.declineCode,
          failureMessage: result.message,
          settledAt: asOf,
          riskLevel: risk.riskLevel,
          outcome: risk.outcome,
        })
      : settle({
          status: "requires_action",
          gatewayId: result.gatewayId,
          fee: payment.fee,
          failureCode: payment.failureCode,
          declineCode: payment.declineCode,
          failureMessage: payment.failureMessage,
          settledAt: payment.settledAt,
          riskLevel: risk.riskLevel,
          outcome: risk.outcome,
        });
    plan.audit.push(auditRow(env.actor, { action: failed ? "payment.failed" : "payment.requires_action", entityType: "payment", entityId: payment.id, after: updated }, env.now, env.requestId));
    // The retry schedule by decline code; authentication (requires_action) waits for the customer instead.
    const nextPaymentAttemptAt = failed
      ? nextAttemptAfterFailure({
          collectionMethod: invoice.collectionMethod,
          billingReason: invoice.billingReason,
          subscriptionStatus: sub?.status ?? null,
          failures: [...(book.failures.get(invoice.id) ?? []), { attempt: payment.attempt, at: asOf }],
          decline: result,
          asOf,
          timeZone,
          schedule: book.retrySchedule,
        })
      : null;
    plan.nextAttempts.push({ row: { id: invoice.id, nextPaymentAttemptAt }, was: invoice.status });
    // Counted as owed by a later payment of the batch, as failingInvoices would count it.
    if (failed && invoice.collectionMethod === "charge_automatically" && CHARGEABLE.has(invoice.status)) owed.get(invoice.customerId)?.add(invoice.id);
    plan.events.push(
      eventRow(
        {
          type: failed ? "invoice.payment_failed" : "invoice.payment_action_required",
          customerId: invoice.customerId,
          entityId: invoice.id,
          payload: { invoice: invoice.id, payment: payment.id, next_payment_attempt: nextPaymentAttemptAt?.toISOString() ?? null },
        },
        asOf,
        makeId("event"),
      ),
    );
    // A failed renewal (not a first invoice, which leaves the subscription incomplete) makes it past due.
    const change = failed && sub && sub.status === "active" && invoice.billingReason !== "subscription_create" ? planStatusChange(sub, "past_due", "renewal payment failed", asOf, timeZone, env.actor, { newId: makeId }) : null;
    if (change) addStatusChange(plan, change);
    // eslint-disable-next-line no-restricted-syntax -- a payment that did not succeed: off the billing run's common path
    plan.outcomes.push({ invoice: { ...invoice, nextPaymentAttemptAt }, payment: updated, subscription: change?.row ?? sub });
  }
  return plan;
}

function addStatusChange(plan: ChargeResultPlan, change: StatusChangePlan): void {
  plan.subscriptions.push({ row: change.update, was: change.was });
  plan.statusHistory.push(change.history);
  plan.audit.push(change.audit);
  plan.events.push(change.event);
}

/** Rows grouped by the values their guard expects (one guarded update per group). */
function byGuard<I extends { row: unknown }, G extends Record<string, GuardValue>>(items: readonly I[], guardOf: (item: I) => G): [G, I["row"][]][] {
  const groups = new Map<string, [G, I["row"][]]>();
  for (const item of items) {
    const guard = guardOf(item);
    const key = Object.values(guard).join("\u0000");
    const group = groups.get(key);
    if (group) group[1].push(item.row);
    else groups.set(key, [guard, [item.row]]);
  }
  return [...groups.values()];
}

/**
 * The plan's writes, in the order applyChargeResult always wrote them: payments, invoices, then
 * what follows from them. Each update is guarded by what its row was read with (a paid invoice by
 * its status and amount paid), so a row planned from known values that moved since is not updated
 * and the applier throws.
 */
export function chargeResultWrites(plan: ChargeResultPlan): Write[] {
  const status = (item: Guarded<unknown>) => ({ status: item.was });
  return [
    ...byGuard(plan.payments, status).map(([guard, rows]) => updateIn(payments, rows, { guard: guard as { status: PaymentRow["status"] } })),
    ...byGuard(plan.paidInvoices, (i) => ({ status: i.was, amountPaid: i.paidBefore })).map(([guard, rows]) => updateIn(invoices, rows, { guard: guard as { status: InvoiceRow["status"]; amountPaid: number } })),
    ...byGuard(plan.nextAttempts, status).map(([guard, rows]) => updateIn(invoices, rows, { guard: guard as { status: InvoiceRow["status"] } })),
    insertInto(reconciliationItems, plan.reconciliationItems),
    ...byGuard(plan.subscriptions, status).map(([guard, rows]) => updateIn(subscriptions, rows, { guard: guard as { status: SubscriptionRow["status"] } })),
    insertInto(subscriptionStatusHistory, plan.statusHistory),
    ...byGuard(plan.customers, status).map(([guard, rows]) => updateIn(customers, rows, { guard: guard as { status: CustomerRow["status"] } })),
    insertInto(auditLog, plan.audit),
    insertInto(outboxEvents, plan.events),
  ];
}
