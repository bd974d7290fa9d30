import { and, asc, inArray, isNull, lte, notInArray, sql } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";
import { takeInvoiceNumberBlock } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { auditLog, coupons, customers, invoiceLines, invoices, outboxEvents, paymentMethods, payments, pendingInvoiceItems, plans, prices, subscriptionItems, subscriptions } from "@/db/schema";
import type { SubscriptionItemTerms } from "@/lib/billing/types";
import type { ServiceContext } from "../../context";
import { subscriptionStateOf } from "../../subscriptions/load-state";
import { toItemTerms } from "../../subscriptions/item-terms";
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
 * 4. write the invoices (as drafts), their lines, the pending first charge attempts, the events
 *    and the subscriptions' new periods as multi-row statements; then take a block of invoice
 *    numbers (one UPDATE … RETURNING on the series counter, last, so its row lock is held only
 *    for the finalization and the commit), finalize every invoice in one UPDATE and append the
 *    audit entries.
 * If any statement fails the whole batch rolls back and every claimed subscription is deferred.
 */
export async function renewBatch(ctx: ServiceContext, opts: { size: number; exclude?: readonly string[]; ids?: RenewalIds }): Promise<RenewBatchResult> {
  let claimedIds: string[] = [];
  try {
    return await ctx.db.transaction(async (tx) => {
      const claimed = await tx
        .select()
        .from(subscriptions)
        .where(and(lte(subscriptions.nextDueAt, ctx.now), isNull(subscriptions.testClockId), opts.exclude?.length ? notInArray(subscriptions.id, [...opts.exclude]) : undefined))
        .orderBy(asc(subscriptions.nextDueAt), asc(subscriptions.id))
        .limit(opts.size)
        .for("update", { skipLocked: true });
      claimedIds = claimed.map((s) => s.id);
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
  const customerRows = await tx.select().from(customers).where(inArray(customers.id, customerIds)).orderBy(asc(customers.id)).for("update", { skipLocked: true });
  const customerById = new Map(customerRows.map((c) => [c.id, c]));

  const itemRows = await tx.select().from(subscriptionItems).where(inArray(subscriptionItems.subscriptionId, subIds)).orderBy(asc(subscriptionItems.subscriptionId), asc(subscriptionItems.position));
  const priceIds = [...new Set(itemRows.map((r) => r.priceId))];
  const priceRows = priceIds.length ? await tx.select({ price: prices, plan: plans }).from(prices).innerJoin(plans, sql`${plans.id} = ${prices.planId}`).where(inArray(prices.id, priceIds)) : [];
  const priceById = new Map(priceRows.map((r) => [r.price.id, r]));
  const couponIds = [...new Set(claimed.flatMap((s) => (s.couponId ? [s.couponId] : [])))];
  const couponById = new Map((couponIds.length ? await tx.select().from(coupons).where(inArray(coupons.id, couponIds)) : []).map((c) => [c.id, c]));
  const pendingSubs = new Set(
    (await tx.selectDistinct({ id: pendingInvoiceItems.subscriptionId }).from(pendingInvoiceItems).where(and(inArray(pendingInvoiceItems.subscriptionId, subIds), isNull(pendingInvoiceItems.invoiceId)))).map((r) => r.id),
  );
  const methodIds = [...new Set(customerRows.flatMap((c) => (c.defaultPaymentMethodId ? [c.defaultPaymentMethodId] : [])))];
  const methodById = new Map((methodIds.length ? await tx.select().from(paymentMethods).where(inArray(paymentMethods.id, methodIds)) : []).map((m) => [m.id, m]));

  const itemsBySub = new Map<string, typeof itemRows>();
  for (const row of itemRows) itemsBySub.set(row.subscriptionId, [...(itemsBySub.get(row.subscriptionId) ?? []), row]);

  return claimed.map((sub) => {
    const customer = customerById.get(sub.customerId) ?? null;
    const paymentMethod = customer?.defaultPaymentMethodId ? (methodById.get(customer.defaultPaymentMethodId) ?? null) : null;
    const base = { subscription: sub, customer, paymentMethod, hasPendingItems: pendingSubs.has(sub.id) };
    // A scheduled change or a coupon gone missing is the per-subscription path's to handle (and to report).
    if (!customer || sub.pendingChange || (sub.couponId && !couponById.has(sub.couponId))) return { ...base, state: null };
    const items: SubscriptionItemTerms[] = [];
    for (const row of itemsBySub.get(sub.id) ?? []) {
      const terms = priceById.get(row.priceId);
      if (!terms) return { ...base, state: null };
      items.push(toItemTerms(terms.price, terms.plan, row.quantity));
    }
    const coupon = sub.couponId ? (couponById.get(sub.couponId) ?? null) : null;
    return { ...base, state: subscriptionStateOf(sub, customer, { items, pendingChange: null, coupon, pendingLines: [] }) };
  });
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Write a batch's renewals (see renewBatch); returns them numbered. */
async function writeRenewals(tx: Executor, fast: RenewalPlan[]): Promise<NumberedRenewal[]> {
  await tx.insert(invoices).values(fast.map((p) => p.invoice));
  const lines = fast.flatMap((p) => p.lines);
  if (lines.length) await tx.insert(invoiceLines).values(lines);
  const charges = fast.flatMap((p) => (p.payment ? [p.payment] : []));
  if (charges.length) await tx.insert(payments).values(charges);
  await tx.insert(outboxEvents).values(fast.flatMap((p) => p.events));

  const subs = fast.map((p) => p.subscription);
  const updatedSubs = await queryRows<{ id: string }>(tx, sql`
    update subscriptions as s set
      billing_cycle_anchor = v.anchor, current_period_start = v.period_start, current_period_end = v.period_end,
      trial_end = v.trial_end, cancel_at_period_end = v.cancel_at_period_end, paused_at = v.paused_at,
      pause_resumes_at = v.pause_resumes_at, discount_periods_applied = v.discount_periods_applied,
      next_due_at = v.next_due_at, latest_invoice_id = v.latest_invoice_id
    from unnest(
      ${sql.param(subs.map((s) => s.id))}::text[], ${sql.param(subs.map((s) => iso(s.billingCycleAnchor)))}::timestamptz[],
      ${sql.param(subs.map((s) => iso(s.currentPeriodStart)))}::timestamptz[], ${sql.param(subs.map((s) => iso(s.currentPeriodEnd)))}::timestamptz[],
      ${sql.param(subs.map((s) => iso(s.trialEnd)))}::timestamptz[], ${sql.param(subs.map((s) => s.cancelAtPeriodEnd))}::boolean[],
      ${sql.param(subs.map((s) => iso(s.pausedAt)))}::timestamptz[], ${sql.param(subs.map((s) => iso(s.pauseResumesAt)))}::timestamptz[],
      ${sql.param(subs.map((s) => s.discountPeriodsApplied))}::integer[], ${sql.param(subs.map((s) => iso(s.nextDueAt)))}::timestamptz[],
      ${sql.param(subs.map((s) => s.latestInvoiceId))}::text[]
    ) as v(id, anchor, period_start, period_end, trial_end, cancel_at_period_end, paused_at, pause_resumes_at, discount_periods_applied, next_due_at, latest_invoice_id)
    where s.id = v.id
    returning s.id`);
  if (updatedSubs.length !== subs.length) throw new Error(`renewed ${updatedSubs.length} of ${subs.length} subscriptions`);

  // Last: the series counter stays locked from here to the commit.
  const { prefix, first } = await takeInvoiceNumberBlock(tx, fast.length);
  const numbered = numberRenewals(fast, first, prefix);
  const fin = numbered.map((r) => r.finalize);
  const finalized = await queryRows<{ id: string }>(tx, sql`
    update invoices as i set
      number = v.number, status = v.status, finalized_at = v.finalized_at, paid_at = v.paid_at, due_date = v.due_date,
      amount_remaining = v.amount_remaining, next_payment_attempt_at = v.next_payment_attempt_at
    from unnest(
      ${sql.param(fin.map((f) => f.id))}::text[], ${sql.param(fin.map((f) => f.number))}::text[], ${sql.param(fin.map((f) => f.status))}::text[],
      ${sql.param(fin.map((f) => iso(f.finalizedAt)))}::timestamptz[], ${sql.param(fin.map((f) => iso(f.paidAt)))}::timestamptz[],
      ${sql.param(fin.map((f) => iso(f.dueDate)))}::timestamptz[], ${sql.param(fin.map((f) => f.amountRemaining))}::bigint[],
      ${sql.param(fin.map((f) => iso(f.nextPaymentAttemptAt)))}::timestamptz[]
    ) as v(id, number, status, finalized_at, paid_at, due_date, amount_remaining, next_payment_attempt_at)
    where i.id = v.id and i.status = 'draft'
    returning i.id`);
  if (finalized.length !== fin.length) throw new Error(`finalized ${finalized.length} of ${fin.length} invoices`);
  await tx.insert(auditLog).values(numbered.flatMap((r) => r.audit));
  return numbered;
}
