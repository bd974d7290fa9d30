import { and, isNull, lte, not, sql } from "drizzle-orm";
import { inTextArray, type Executor } from "@/db/client";
import { takeInvoiceNumberBlock } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { coupons, customers, paymentMethods, pendingInvoiceItems, plans, prices, subscriptionItems, subscriptions } from "@/db/schema";
import type { SubscriptionItemTerms } from "@/lib/billing/types";
import type { ServiceContext } from "../../context";
import { captureBillToMany } from "../../privacy/bill-to";
import { subscriptionStateOf } from "../../subscriptions/load-state";
import { toItemTerms } from "../../subscriptions/item-terms";
import { insertRows, updateRows, type SetColumn } from "@/db/set-sql";
import { selectRows } from "@/db/select-rows";
import { numberRenewals, planRenewal, realIds, type NumberedRenewal, type RenewalCandidate, type RenewalIds, type RenewalPlan } from "./plan-renewal";

export interface RenewBatchResult {
  /** Subscriptions claimed (locked) by this batch. */
  claimed: number;
  /** Renewals committed on the fast path, in number order. */
  renewed: NumberedRenewal[];
  /** Claimed subscriptions left to the per-subscription path, with why. */
  deferred: { id: string; reason: string }[];
}

/**
 * One batch of the billing run, in one transaction:
 * 1. claim up to `size` due subscriptions, oldest due first, FOR UPDATE SKIP LOCKED — concurrent
 *    runs take disjoint batches instead of queueing on each other's rows;
 * 2. lock their customers (SKIP LOCKED: a customer busy elsewhere sends its subscriptions to the
 *    per-subscription path, which waits for the lock) and load everything the engine needs in a
 *    few set queries;
 * 3. plan each renewal with the one engine (planRenewal);
 * 4. write the lines, bill-to blocks, pending first charge attempts, events, the subscriptions'
 *    new periods and their audit entries as multi-row statements; then take a block of invoice
 *    numbers (one UPDATE … RETURNING on the series counter, last, so its row lock is held only
 *    for the invoices, their invoice.finalized entries and the commit) and insert the invoices
 *    already finalized (writeRenewals).
 * If any statement fails the whole batch rolls back and every claimed subscription is deferred.
 */
export async function renewBatch(
  ctx: ServiceContext,
  opts: {
    size: number;
    /** Subscriptions not to claim; read inside the transaction, right before the claim. */
    exclude?: () => readonly string[];
    /** Told the claimed ids while their row locks are held (before the commit or rollback releases them). */
    onClaim?: (ids: readonly string[]) => void;
    ids?: RenewalIds;
  },
): Promise<RenewBatchResult> {
  let claimedIds: string[] = [];
  try {
    return await ctx.db.transaction(async (tx) => {
      const exclude = opts.exclude?.() ?? [];
      const due = and(lte(subscriptions.nextDueAt, ctx.now), isNull(subscriptions.testClockId), exclude.length ? not(inTextArray(subscriptions.id, exclude)) : undefined);
      // By due instant alone, so the claim walks the next-due index and stops at `size` rows
      // instead of sorting every due subscription (100k at a time) for each batch.
      const claimed = await selectRows(tx, subscriptions, sql`where ${due} order by ${subscriptions.nextDueAt} limit ${opts.size} for update skip locked`);
      // The batch's own order (and so its invoice numbers): oldest due first, then by id.
      claimed.sort((a, b) => (a.nextDueAt?.getTime() ?? 0) - (b.nextDueAt?.getTime() ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      claimedIds = claimed.map((s) => s.id);
      opts.onClaim?.(claimedIds);
      if (claimed.length === 0) return { claimed: 0, renewed: [], deferred: [] };

      const candidates = await loadCandidates(tx, claimed);
      const fast: RenewalPlan[] = [];
      const deferred: { id: string; reason: string }[] = [];
      for (const c of candidates) {
        const planned = planRenewal(c, { now: ctx.now, actor: ctx.actor, requestId: ctx.requestId }, opts.ids ?? realIds);
        if (planned.kind === "fast") fast.push(planned.plan);
        else deferred.push({ id: c.subscription.id, reason: planned.reason });
      }
      if (fast.length === 0) return { claimed: claimed.length, renewed: [], deferred };
      const renewed = await writeRenewals(tx, fast);
      return { claimed: claimed.length, renewed, deferred };
    });
  } catch (error) {
    if (claimedIds.length === 0) throw error;
    const reason = `batch failed: ${error instanceof Error ? error.message : String(error)}`;
    return { claimed: claimedIds.length, renewed: [], deferred: claimedIds.map((id) => ({ id, reason })) };
  }
}

/** The claimed subscriptions' customers (locked), items, prices, coupons, pending items and cards, in set queries. */
async function loadCandidates(tx: Executor, claimed: SubscriptionRow[]): Promise<RenewalCandidate[]> {
  const subIds = claimed.map((s) => s.id);
  const customerIds = [...new Set(claimed.map((s) => s.customerId))].sort();
  const customerRows = await selectRows(tx, customers, sql`where ${inTextArray(customers.id, customerIds)} order by ${customers.id} for update skip locked`);
  const customerById = new Map(customerRows.map((c) => [c.id, c]));

  const itemRows = await selectRows(tx, subscriptionItems, sql`where ${inTextArray(subscriptionItems.subscriptionId, subIds)} order by ${subscriptionItems.subscriptionId}, ${subscriptionItems.position}`);
  const priceIds = [...new Set(itemRows.map((r) => r.priceId))];
  const priceRows = priceIds.length ? await tx.select({ price: prices, plan: plans }).from(prices).innerJoin(plans, sql`${plans.id} = ${prices.planId}`).where(inTextArray(prices.id, priceIds)) : [];
  const priceById = new Map(priceRows.map((r) => [r.price.id, r]));
  const couponIds = [...new Set(claimed.flatMap((s) => (s.couponId ? [s.couponId] : [])))];
  const couponById = new Map((couponIds.length ? await tx.select().from(coupons).where(inTextArray(coupons.id, couponIds)) : []).map((c) => [c.id, c]));
  const pendingSubs = new Set(
    (await tx.selectDistinct({ id: pendingInvoiceItems.subscriptionId }).from(pendingInvoiceItems).where(and(inTextArray(pendingInvoiceItems.customerId, customerIds), inTextArray(pendingInvoiceItems.subscriptionId, subIds), isNull(pendingInvoiceItems.invoiceId)))).map((r) => r.id),
  );
  const methodIds = [...new Set(customerRows.flatMap((c) => (c.defaultPaymentMethodId ? [c.defaultPaymentMethodId] : [])))];
  const methodById = new Map((methodIds.length ? await selectRows(tx, paymentMethods, sql`where ${inTextArray(paymentMethods.id, methodIds)}`) : []).map((m) => [m.id, m]));

  const itemsBySub = new Map<string, typeof itemRows>();
  for (const row of itemRows) itemsBySub.set(row.subscriptionId, [...(itemsBySub.get(row.subscriptionId) ?? []), row]);

  return claimed.map((sub) => {
    const customer = customerById.get(sub.customerId) ?? null;
    const paymentMethod = customer?.defaultPaymentMethodId ? (methodById.get(customer.defaultPaymentMethodId) ?? null) : null;
    const base = { subscription: sub, customer, paymentMethod, hasPendingItems: pendingSubs.has(sub.id) };
    // A scheduled change or a coupon gone missing is the per-subscription path's to handle (and to report).
    if (!customer || sub.pendingChange || (sub.couponId && !couponById.has(sub.couponId))) return { state: null, ...base };
    const items: SubscriptionItemTerms[] = [];
    for (const row of itemsBySub.get(sub.id) ?? []) {
      const terms = priceById.get(row.priceId);
      if (!terms) return { state: null, ...base };
      items.push(toItemTerms(terms.price, terms.plan, row.quantity));
    }
    const coupon = sub.couponId ? (couponById.get(sub.couponId) ?? null) : null;
    return { state: subscriptionStateOf(sub, customer, { items, pendingChange: null, coupon, pendingLines: [] }), ...base };
  });
}

type Line = RenewalPlan["lines"][number];
type Payment = NonNullable<RenewalPlan["payment"]>;
type Event = RenewalPlan["events"][number];
type Audit = NumberedRenewal["audit"][number];
type SubUpdate = RenewalPlan["subscription"];

const LINE: SetColumn<Line>[] = [
  { name: "id", type: "text", value: (l) => l.id },
  { name: "invoice_id", type: "text", value: (l) => l.invoiceId },
  { name: "position", type: "integer", value: (l) => l.position },
  { name: "description", type: "text", value: (l) => l.description },
  { name: "amount", type: "bigint", value: (l) => l.amount },
  { name: "quantity", type: "integer", value: (l) => l.quantity },
  { name: "unit_amount", type: "bigint", value: (l) => l.unitAmount },
  { name: "period_start", type: "timestamptz", value: (l) => l.periodStart },
  { name: "period_end", type: "timestamptz", value: (l) => l.periodEnd },
  { name: "proration", type: "boolean", value: (l) => l.proration },
  { name: "price_id", type: "text", value: (l) => l.priceId },
  { name: "discount_amount", type: "bigint", value: (l) => l.discountAmount },
  { name: "tax_amounts", type: "jsonb", value: (l) => l.taxAmounts },
];

const PAYMENT: SetColumn<Payment>[] = [
  { name: "id", type: "text", value: (p) => p.id },
  { name: "invoice_id", type: "text", value: (p) => p.invoiceId },
  { name: "customer_id", type: "text", value: (p) => p.customerId },
  { name: "amount", type: "bigint", value: (p) => p.amount },
  { name: "currency", type: "text", value: (p) => p.currency },
  { name: "status", type: "text", value: (p) => p.status },
  { name: "payment_method_id", type: "text", value: (p) => p.paymentMethodId },
  { name: "gateway", type: "text", value: (p) => p.gateway },
  { name: "idempotency_key", type: "text", value: (p) => p.idempotencyKey },
  { name: "attempt", type: "integer", value: (p) => p.attempt },
  { name: "livemode", type: "boolean", value: (p) => p.livemode },
  { name: "created_at", type: "timestamptz", value: (p) => p.createdAt },
];

export const EVENT: SetColumn<Event>[] = [
  { name: "id", type: "text", value: (e) => e.id },
  { name: "type", type: "text", value: (e) => e.type },
  { name: "customer_id", type: "text", value: (e) => e.customerId },
  { name: "entity_id", type: "text", value: (e) => e.entityId },
  { name: "payload", type: "jsonb", value: (e) => e.payload },
  { name: "created_at", type: "timestamptz", value: (e) => e.createdAt },
];

export const AUDIT: SetColumn<Audit>[] = [
  { name: "at", type: "timestamptz", value: (a) => a.at },
  { name: "actor_type", type: "text", value: (a) => a.actorType },
  { name: "actor_id", type: "text", value: (a) => a.actorId },
  { name: "action", type: "text", value: (a) => a.action },
  { name: "entity_type", type: "text", value: (a) => a.entityType },
  { name: "entity_id", type: "text", value: (a) => a.entityId },
  { name: "before", type: "jsonb", value: (a) => a.before },
  { name: "after", type: "jsonb", value: (a) => a.after },
  { name: "request_id", type: "text", value: (a) => a.requestId },
];

const SUBSCRIPTION: SetColumn<SubUpdate>[] = [
  { name: "id", type: "text", value: (s) => s.id },
  { name: "billing_cycle_anchor", type: "timestamptz", value: (s) => s.billingCycleAnchor },
  { name: "current_period_start", type: "timestamptz", value: (s) => s.currentPeriodStart },
  { name: "current_period_end", type: "timestamptz", value: (s) => s.currentPeriodEnd },
  { name: "trial_end", type: "timestamptz", value: (s) => s.trialEnd },
  { name: "cancel_at_period_end", type: "boolean", value: (s) => s.cancelAtPeriodEnd },
  { name: "paused_at", type: "timestamptz", value: (s) => s.pausedAt },
  { name: "pause_resumes_at", type: "timestamptz", value: (s) => s.pauseResumesAt },
  { name: "discount_periods_applied", type: "integer", value: (s) => s.discountPeriodsApplied },
  { name: "next_due_at", type: "timestamptz", value: (s) => s.nextDueAt },
  { name: "latest_invoice_id", type: "text", value: (s) => s.latestInvoiceId },
];

/** The invoice as finalizeInvoice leaves it: the draft's columns, then the finalization's. */
const FINALIZED_INVOICE: SetColumn<NumberedRenewal>[] = [
  { name: "id", type: "text", value: (r) => r.invoice.id },
  { name: "customer_id", type: "text", value: (r) => r.invoice.customerId },
  { name: "subscription_id", type: "text", value: (r) => r.invoice.subscriptionId },
  { name: "billing_reason", type: "text", value: (r) => r.invoice.billingReason },
  { name: "currency", type: "text", value: (r) => r.invoice.currency },
  { name: "period_start", type: "timestamptz", value: (r) => r.invoice.periodStart },
  { name: "period_end", type: "timestamptz", value: (r) => r.invoice.periodEnd },
  { name: "subtotal", type: "bigint", value: (r) => r.invoice.subtotal },
  { name: "discount_total", type: "bigint", value: (r) => r.invoice.discountTotal },
  { name: "tax", type: "bigint", value: (r) => r.invoice.tax },
  { name: "total", type: "bigint", value: (r) => r.invoice.total },
  { name: "credit_applied", type: "bigint", value: (r) => r.invoice.creditApplied },
  { name: "debit_applied", type: "bigint", value: (r) => r.invoice.debitApplied },
  { name: "amount_due", type: "bigint", value: (r) => r.invoice.amountDue },
  { name: "collection_method", type: "text", value: (r) => r.invoice.collectionMethod },
  { name: "days_until_due", type: "integer", value: (r) => r.invoice.daysUntilDue },
  { name: "hosted_token", type: "text", value: (r) => r.invoice.hostedToken },
  { name: "coupon_id", type: "text", value: (r) => r.invoice.couponId },
  { name: "excess_credited", type: "bigint", value: (r) => r.invoice.excessCredited },
  { name: "livemode", type: "boolean", value: (r) => r.invoice.livemode },
  { name: "created_at", type: "timestamptz", value: (r) => r.invoice.createdAt },
  { name: "number", type: "text", value: (r) => r.finalize.number },
  { name: "status", type: "text", value: (r) => r.finalize.status },
  { name: "finalized_at", type: "timestamptz", value: (r) => r.finalize.finalizedAt },
  { name: "paid_at", type: "timestamptz", value: (r) => r.finalize.paidAt },
  { name: "due_date", type: "timestamptz", value: (r) => r.finalize.dueDate },
  { name: "amount_remaining", type: "bigint", value: (r) => r.finalize.amountRemaining },
  { name: "next_payment_attempt_at", type: "timestamptz", value: (r) => r.finalize.nextPaymentAttemptAt },
];

/**
 * Write a batch's renewals (see renewBatch); returns them numbered. Each invoice is written once,
 * already finalized. Everything that does not need the invoice number goes first — the lines and
 * the bill-to blocks with their foreign keys deferred (migrations 0020, 0023: there is no invoice
 * yet), the payments, events, the subscriptions' new periods and their audit entries — then the
 * block of numbers, the invoices and their invoice.finalized entries: the series counter stays
 * locked (until the commit) only for those, so concurrent batches wait on it as little as they can.
 * The keys are checked when the statement sets them back to immediate.
 */
async function writeRenewals(tx: Executor, fast: RenewalPlan[]): Promise<NumberedRenewal[]> {
  await tx.execute(sql`set constraints ${sql.raw(DEFERRED_UNTIL_INVOICES)} deferred`);
  await insertRows(tx, "invoice_lines", fast.flatMap((p) => p.lines), LINE);
  await captureBillToMany(tx, fast.map((p) => ({ invoiceId: p.invoice.id, customerId: p.customerId, at: p.at })));
  await insertRows(tx, "payments", fast.flatMap((p) => (p.payment ? [p.payment] : [])), PAYMENT);
  await insertRows(tx, "outbox_events", fast.flatMap((p) => p.events), EVENT);
  const renewedSubs = await updateRows(tx, "subscriptions", fast.map((p) => p.subscription), SUBSCRIPTION);
  if (renewedSubs.length !== fast.length) throw new Error(`renewed ${renewedSubs.length} of ${fast.length} subscriptions`);
  await insertRows(tx, "audit_log", fast.flatMap((p) => p.audit), AUDIT);

  // Last: the series counter stays locked from here to the commit.
  const { prefix, first } = await takeInvoiceNumberBlock(tx, fast.length);
  const numbered = numberRenewals(fast, first, prefix);
  await insertRows(tx, "invoices", numbered, FINALIZED_INVOICE);
  await insertRows(tx, "audit_log", numbered.map((r) => r.finalized), AUDIT);
  await tx.execute(sql`set constraints ${sql.raw(DEFERRED_UNTIL_INVOICES)} immediate`);
  return numbered;
}

/** The foreign keys onto invoices that writeRenewals defers until the invoices are in. */
const DEFERRED_UNTIL_INVOICES = "invoice_lines_invoice_id_invoices_id_fk, invoice_bill_to_invoice_id_invoices_id_fk";
