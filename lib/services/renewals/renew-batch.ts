import { loadTaxSettings } from "../tax/tax-settings";
import { groupBy } from "@/lib/collections";
import { and, isNull, lte, not, sql } from "drizzle-orm";
import { inTextArray, type Executor } from "@/db/client";
import { takeInvoiceNumberBlock } from "@/db/queries/invoices";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { auditLog, coupons, customers, invoiceBillTo, invoiceLines, invoices, outboxEvents, paymentMethods, payments, pendingInvoiceItems, plans, prices, subscriptionItems, subscriptions, testClocks } from "@/db/schema";
import type { SubscriptionItemTerms } from "@/lib/billing/types";
import { databaseMessage } from "@/lib/errors";
import type { ServiceContext } from "../context";
import type { KnownCharge } from "../payments/settle-charges";
import { subscriptionStateOf } from "../subscriptions/load-state";
import { withUsage } from "../subscriptions/load-usage";
import { toItemTerms } from "../subscriptions/item-terms";
import { applyWrites, insertInto, updateIn, type ApplyMode } from "@/db/apply-writes";
import { insertedRow } from "@/db/inserted-row";
import { selectRows } from "@/db/select-rows";
import { realIds, type IdSource } from "@/lib/ids";
import { NOT_DUE, numberRenewals, planRenewal, type NumberedRenewal, type RenewalCandidate, type RenewalPlan } from "./plan-renewal";

export interface RenewBatchResult {
  /** Subscriptions claimed (locked) by this batch. */
  claimed: number;
  /** Their ids (of a given set, the rest were held by another transaction). */
  claimedIds: readonly string[];
  /** Renewals committed on the fast path, in number order. */
  renewed: NumberedRenewal[];
  /** Claimed subscriptions left to the per-subscription path, with why. */
  deferred: { id: string; reason: string }[];
}

/**
 * One batch of due subscriptions, in one transaction:
 * 1. claim them FOR UPDATE SKIP LOCKED — either the given ids (a test clock's due instant, an
 *    Inngest batch) or up to `size` due subscriptions, oldest due first (the billing run) —
 *    so concurrent runs take disjoint batches instead of queueing on each other's rows;
 * 2. lock their customers (SKIP LOCKED: a customer busy elsewhere sends its subscriptions to the
 *    per-subscription path, which waits for the lock) and load everything the engine needs in a
 *    few set queries;
 * 3. plan each renewal with the one engine (planRenewal), in its customer's now (a test clock's
 *    time for a customer on one);
 * 4. write the lines, bill-to blocks, pending first charge attempts, events, the subscriptions'
 *    new periods and their audit entries as multi-row statements; then take a block of invoice
 *    numbers (one UPDATE … RETURNING on the series counter, last, so its row lock is held only
 *    for the invoices, their invoice.finalized entries and the commit) and insert the invoices
 *    already finalized (writeRenewals).
 * If any statement fails the whole batch rolls back and every claimed subscription is deferred.
 */
export async function renewBatch(
  ctx: ServiceContext,
  set: DueSet,
  opts: { ids?: IdSource } = {},
): Promise<RenewBatchResult> {
  let claimedIds: string[] = [];
  try {
    return await ctx.db.transaction(async (tx) => {
      const claimed = await claim(tx, ctx.now, set);
      // The batch's own order (and so its invoice numbers): oldest due first, then by id.
      claimed.sort((a, b) => (a.nextDueAt?.getTime() ?? 0) - (b.nextDueAt?.getTime() ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      claimedIds = claimed.map((s) => s.id);
      if ("next" in set) set.onClaim?.(claimedIds);
      if (claimed.length === 0) return { claimed: 0, claimedIds, renewed: [], deferred: [] };

      const candidates = await loadCandidates(tx, claimed);
      const clockTimes = await clockNows(tx, candidates);
      const tax = await loadTaxSettings(tx);
      const fast: RenewalPlan[] = [];
      const deferred: { id: string; reason: string }[] = [];
      for (const c of candidates) {
        const now = (c.customer?.testClockId && clockTimes.get(c.customer.testClockId)) || ctx.now;
        // Metered items' usage, measured as loadSubscriptionState does (a query per metered item).
        if (c.state && c.customer) c.state = await withUsage(tx, c.state, c.customer.id, now);
        const planned = planRenewal(c, { now, actor: ctx.actor, requestId: ctx.requestId, tax }, opts.ids ?? realIds);
        if (planned.kind === "fast") fast.push(planned.plan);
        // A given subscription not due in its customer's now has nothing to do (an id sent twice, a clock not there yet).
        else if (planned.reason !== NOT_DUE) deferred.push({ id: c.subscription.id, reason: planned.reason });
      }
      if (fast.length === 0) return { claimed: claimed.length, claimedIds, renewed: [], deferred };
      const renewed = await writeRenewals(tx, fast, ctx.applyMode ?? "set");
      return { claimed: claimed.length, claimedIds, renewed, deferred };
    });
  } catch (error) {
    if (claimedIds.length === 0) throw error;
    const reason = `batch failed: ${databaseMessage(error)}`;
    return { claimed: claimedIds.length, claimedIds, renewed: [], deferred: claimedIds.map((id) => ({ id, reason })) };
  }
}

/**
 * Which due subscriptions a batch takes: the given ids (each still locked and billed only if it is
 * due in its customer's now), or the next `next` subscriptions due by now that are not on a test
 * clock, skipping `exclude` (the billing run's claim).
 */
export type DueSet =
  | { ids: readonly string[] }
  | {
      next: number;
      /** Subscriptions not to claim; read inside the transaction, right before the claim. */
      exclude?: () => readonly string[];
      /** Told the claimed ids while their row locks are held (before the commit or rollback releases them). */
      onClaim?: (ids: readonly string[]) => void;
    };

/** Lock the set's subscriptions, skipping those another transaction holds. */
async function claim(tx: Executor, now: Date, set: DueSet): Promise<SubscriptionRow[]> {
  if ("ids" in set) {
    if (set.ids.length === 0) return [];
    return selectRows(tx, subscriptions, sql`where ${inTextArray(subscriptions.id, [...set.ids])} and ${subscriptions.nextDueAt} is not null order by ${subscriptions.id} for update skip locked`);
  }
  const exclude = set.exclude?.() ?? [];
  const due = and(lte(subscriptions.nextDueAt, now), isNull(subscriptions.testClockId), exclude.length ? not(inTextArray(subscriptions.id, exclude)) : undefined);
  // By due instant alone, so the claim walks the next-due index and stops at `next` rows
  // instead of sorting every due subscription (100k at a time) for each batch.
  return selectRows(tx, subscriptions, sql`where ${due} order by ${subscriptions.nextDueAt} limit ${set.next} for update skip locked`);
}

/** The frozen time of each test clock the candidates' customers live on (their now). */
async function clockNows(tx: Executor, candidates: readonly RenewalCandidate[]): Promise<Map<string, Date>> {
  const clockIds = [...new Set(candidates.flatMap((c) => (c.customer?.testClockId ? [c.customer.testClockId] : [])))];
  if (clockIds.length === 0) return new Map();
  const rows = await tx.select({ id: testClocks.id, frozenTime: testClocks.frozenTime }).from(testClocks).where(inTextArray(testClocks.id, clockIds));
  return new Map(rows.map((r) => [r.id, r.frozenTime]));
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

  const itemsBySub = groupBy(itemRows, (row) => row.subscriptionId);

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
      items.push(toItemTerms(terms.price, terms.plan, row.quantity, row.usageFrom));
    }
    const coupon = sub.couponId ? (couponById.get(sub.couponId) ?? null) : null;
    return { state: subscriptionStateOf(sub, customer, { items, pendingChange: null, coupon, pendingLines: [] }), ...base };
  });
}

/**
 * Write a batch's renewals (see renewBatch); returns them numbered. Each invoice is written once,
 * already finalized. Everything that does not need the invoice number goes first — the lines and
 * the bill-to blocks with their foreign keys deferred (migrations 0020, 0023: there is no invoice
 * yet), the payments, events, the subscriptions' new periods and their audit entries — then the
 * block of numbers, the invoices and their invoice.finalized entries: the series counter stays
 * locked (until the commit) only for those, so concurrent batches wait on it as little as they can.
 * The keys are checked when the statement sets them back to immediate.
 */
export async function writeRenewals(tx: Executor, fast: readonly RenewalPlan[], mode: ApplyMode): Promise<NumberedRenewal[]> {
  await tx.execute(sql`set constraints ${sql.raw(DEFERRED_UNTIL_INVOICES)} deferred`);
  await applyWrites(
    tx,
    [
      insertInto(invoiceLines, fast.flatMap((p) => p.lines)),
      insertInto(invoiceBillTo, fast.map((p) => p.billTo)),
      insertInto(payments, fast.flatMap((p) => (p.payment ? [p.payment] : []))),
      insertInto(outboxEvents, fast.flatMap((p) => p.events)),
      updateIn(subscriptions, fast.map((p) => p.subscription)),
      insertInto(auditLog, fast.flatMap((p) => p.audit)),
    ],
    mode,
  );

  // Last: the series counter stays locked from here to the commit.
  const { prefix, first } = await takeInvoiceNumberBlock(tx, fast.length);
  const numbered = numberRenewals(fast, first, prefix);
  await applyWrites(tx, [insertInto(invoices, numbered.map(finalizedInvoice)), insertInto(auditLog, numbered.map((r) => r.finalized))], mode);
  await tx.execute(sql`set constraints ${sql.raw(DEFERRED_UNTIL_INVOICES)} immediate`);
  return numbered;
}

/**
 * The rows writeRenewals stored for a charged renewal, as a select returns them (each column's
 * default included): its pending payment, its finalized invoice, its subscription after the renewal
 * and its customer as the batch locked it. chargeRenewals settles the renewal's charge from them
 * (settleCharges' `known` rows); null for a renewal not charged.
 */
export function renewedRows(r: NumberedRenewal): KnownCharge | null {
  if (!r.payment) return null;
  return {
    payment: insertedRow(payments, r.payment),
    invoice: insertedRow(invoices, finalizedInvoice(r)),
    // The update names only columns the row has.
    subscription: { ...r.subscriptionRow, ...r.subscription },
    customer: r.customer,
  };
}

/** The invoice as finalizeInvoice leaves it: the draft's columns, then the finalization's (each one the draft already names). */
function finalizedInvoice(r: NumberedRenewal): typeof invoices.$inferInsert {
  const f = r.finalize;
  // eslint-disable-next-line no-restricted-syntax -- replaces properties draftInvoiceValues names, adds none
  return { ...r.invoice, number: f.number, status: f.status, finalizedAt: f.finalizedAt, paidAt: f.paidAt, dueDate: f.dueDate, amountRemaining: f.amountRemaining, nextPaymentAttemptAt: f.nextPaymentAttemptAt };
}

/** The foreign keys onto invoices that writeRenewals defers until the invoices are in. */
const DEFERRED_UNTIL_INVOICES = "invoice_lines_invoice_id_invoices_id_fk, invoice_bill_to_invoice_id_invoices_id_fk";
