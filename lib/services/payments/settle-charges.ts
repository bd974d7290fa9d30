import { groupBy } from "@/lib/collections";
import { entitlementsChanged } from "../customers/entitlements-cache";
import { and, eq, sql } from "drizzle-orm";
import { applyWrites } from "@/db/apply-writes";
import { inTextArray, queryRows, type Executor } from "@/db/client";
import { selectRows } from "@/db/select-rows";
import type { CustomerRow } from "@/db/queries/customers";
import type { InvoiceRow } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { customers, invoices, payments, subscriptions, testClocks } from "@/db/schema";
import type { FailedAttempt } from "@/lib/billing/retries/policy";
import { notFound } from "@/lib/errors";
import type { ChargeResult } from "@/lib/payments";
import type { ServiceContext } from "../context";
import { failingInvoices } from "../dunning/dunning-state";
import { getSetting } from "../settings/settings";
import { chargeNeeds, chargeResultWrites, planChargeResults, plannedFromKnown, takesResult, type ChargeOutcome, type ChargeToSettle } from "./plan-charge-result";
import { arrayLiteral } from "@/db/array-literal";

export interface ChargeAnswer {
  paymentId: string;
  result: ChargeResult;
}

/** A payment's rows as its caller knows them without reading them (a renewal's, as its transaction wrote them: renewedRows). */
export interface KnownCharge {
  payment: PaymentRow;
  invoice: InvoiceRow;
  subscription: SubscriptionRow;
  customer: CustomerRow;
}

/**
 * Apply gateway answers in the caller's transaction: lock the payments, then their invoices
 * (each in id order), then the subscriptions and the customers in dunning the results may change;
 * load what the rules read (the customers' now, failed attempts, owed invoices, the retry
 * schedule); plan every result (planChargeResults) and apply the plan as one set of writes
 * (`ctx.applyMode`). applyChargeResult settles one payment this way, chargeRenewals a batch.
 * Returns each payment's rows after its result, in the answers' order.
 *
 * `known`: rows the caller holds for some payments (chargeRenewals: what each renewal's
 * transaction wrote). A result plannedFromKnown is planned from them without reading them: its
 * updates are guarded by what the plan read (the payment still pending, the invoice still open
 * with nothing more paid), and after the writes its subscription is locked and it and its customer
 * checked to stand as known. A row moved since fails the transaction (chargeRenewals then settles
 * the batch payment by payment, each reading its rows).
 */
export async function settleCharges(tx: Executor, ctx: ServiceContext, answers: readonly ChargeAnswer[], opts: { known?: ReadonlyMap<string, KnownCharge> } = {}): Promise<ChargeOutcome[]> {
  if (answers.length === 0) return [];
  const known = answers.map(({ paymentId, result }) => {
    const rows = opts.known?.get(paymentId);
    return rows && plannedFromKnown(rows, result) ? rows : null;
  });
  const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();
  const toRead = answers.filter((_, k) => !known[k]);
  // selectRows: a batch's rows mapped with one column list per table (db/select-rows.ts). The
  // invoices before their payments (a payment's invoice never changes), the lock order lockInvoice
  // states.
  const readIds = sorted(toRead.map((a) => a.paymentId));
  const invoiceRows = readIds.length ? await selectRows(tx, invoices, sql`where ${invoices.id} in (select ${payments.invoiceId} from ${payments} where ${inTextArray(payments.id, readIds)}) order by ${invoices.id} for update`) : [];
  const invoiceById = new Map(invoiceRows.map((i) => [i.id, i]));
  const paymentRows = readIds.length ? await selectRows(tx, payments, sql`where ${inTextArray(payments.id, readIds)} order by ${payments.id} for update`) : [];
  const paymentById = new Map(paymentRows.map((p) => [p.id, p]));
  const read = toRead.map(({ paymentId, result }) => {
    const payment = paymentById.get(paymentId);
    if (!payment) throw notFound("payment");
    const invoice = invoiceById.get(payment.invoiceId);
    if (!invoice) throw notFound("invoice");
    return { payment, invoice, result, needs: chargeNeeds({ payment, invoice, result }) };
  });
  const readById = new Map(read.map((r) => [r.payment.id, r]));

  const subIds = sorted(read.flatMap((r) => (r.needs.subscription && r.invoice.subscriptionId ? [r.invoice.subscriptionId] : [])));
  const subscriptionById = new Map(
    (subIds.length ? await selectRows(tx, subscriptions, sql`where ${inTextArray(subscriptions.id, subIds)} order by ${subscriptions.id} for update`) : []).map((s) => [s.id, s]),
  );
  const customerIds = sorted(read.flatMap((r) => (takesResult(r.payment, r.result) ? [r.invoice.customerId] : [])));
  const customerById = new Map<string, CustomerRow>((customerIds.length ? await selectRows(tx, customers, sql`where ${inTextArray(customers.id, customerIds)}`) : []).map((c) => [c.id, c]));
  // Customers in dunning a payment may restore: locked, and what they owe read under the lock.
  const owed = new Map<string, string[]>();
  for (const id of sorted(read.flatMap((r) => (r.needs.owed && customerById.get(r.invoice.customerId)?.status !== "active" ? [r.invoice.customerId] : [])))) {
    const [locked] = await tx.select().from(customers).where(eq(customers.id, id)).for("update");
    if (!locked) continue;
    customerById.set(id, locked);
    if (locked.status !== "active") owed.set(id, (await failingInvoices(tx, { customerId: id }, ["open", "uncollectible"])).map((f) => f.invoiceId));
  }
  const knownRows = known.filter((k): k is KnownCharge => k !== null);
  const clockIds = sorted([...customerById.values(), ...knownRows.map((k) => k.customer)].flatMap((c) => (c.testClockId ? [c.testClockId] : [])));
  const clockNow = new Map((clockIds.length ? await tx.select({ id: testClocks.id, frozenTime: testClocks.frozenTime }).from(testClocks).where(inTextArray(testClocks.id, clockIds)) : []).map((c) => [c.id, c.frozenTime]));
  // A customer on a test clock lives in the clock's time.
  const nowOf = (customer: CustomerRow | null) => (customer?.testClockId ? clockNow.get(customer.testClockId) : undefined) ?? ctx.now;

  const failedIds = sorted(read.flatMap((r) => (r.needs.failures ? [r.invoice.id] : [])));
  let failures = new Map<string, FailedAttempt[]>();
  if (failedIds.length) {
    const rows = await tx
      .select({ invoiceId: payments.invoiceId, attempt: payments.attempt, settledAt: payments.settledAt, createdAt: payments.createdAt })
      .from(payments)
      .where(and(inTextArray(payments.invoiceId, failedIds), eq(payments.status, "failed")));
    failures = new Map([...groupBy(rows, (r) => r.invoiceId)].map(([invoiceId, list]) => [invoiceId, list.map((r) => ({ attempt: r.attempt, at: r.settledAt ?? r.createdAt }))]));
  }
  const retrySchedule = failedIds.length ? await getSetting(tx, "payments.retry_schedule_days") : [];

  const charges: ChargeToSettle[] = answers.map(({ paymentId, result }, k) => {
    const rows = known[k];
    if (rows) return { result, payment: rows.payment, invoice: rows.invoice, subscription: rows.subscription, customer: rows.customer, asOf: nowOf(rows.customer) };
    const { payment, invoice } = readById.get(paymentId)!;
    const customer = customerById.get(invoice.customerId) ?? null;
    return { result, payment, invoice, subscription: invoice.subscriptionId ? (subscriptionById.get(invoice.subscriptionId) ?? null) : null, customer, asOf: nowOf(customer) };
  });
  const plan = planChargeResults(charges, { failures, owed, retrySchedule }, { now: ctx.now, actor: ctx.actor, requestId: ctx.requestId });
  await applyWrites(tx, chargeResultWrites(plan), ctx.applyMode ?? "set");
  // A subscription's status (incomplete → active, past_due) or a customer's return from dunning.
  const changed = [...plan.customers.map((c) => c.row.id), ...plan.subscriptions.flatMap((s) => (s.row.status === s.was ? [] : (charges.find((c) => c.subscription?.id === s.row.id)?.subscription?.customerId ?? [])))];
  if (changed.length) entitlementsChanged(changed, { inTransaction: true });
  if (knownRows.length) await checkStanding(tx, knownRows);
  return plan.outcomes;
}

/**
 * The known rows' subscriptions and customers still stand as their plan saw them: the
 * subscriptions locked (in id order, after the payments and invoices the writes locked: the order
 * the reads take), the customers read as the reads read one in good standing (without a lock).
 * A status or test clock moved since fails the transaction.
 */
async function checkStanding(tx: Executor, known: readonly KnownCharge[]): Promise<void> {
  const subs = new Map(known.map((k) => [k.subscription.id, k.subscription.status]));
  const subIds = [...subs.keys()].sort();
  const moved = await queryRows<{ id: string }>(
    tx,
    sql`with locked as (select id, status from ${subscriptions} where ${inTextArray(subscriptions.id, subIds)} order by id for update)
        select locked.id from locked join unnest(${arrayLiteral(subIds)}::text[], ${arrayLiteral(subIds.map((id) => subs.get(id)!))}::text[]) as k(id, status) on k.id = locked.id
        where locked.status <> k.status`,
  );
  if (moved.length) throw new Error(`subscription ${moved[0]!.id} changed since its renewal (${moved.length} in the batch)`);
  const byId = new Map(known.map((k) => [k.customer.id, k.customer]));
  const ids = [...byId.keys()].sort();
  const changed = await queryRows<{ id: string }>(
    tx,
    sql`select c.id from ${customers} c join unnest(${arrayLiteral(ids)}::text[], ${arrayLiteral(ids.map((id) => byId.get(id)!.status))}::text[], ${arrayLiteral(ids.map((id) => byId.get(id)!.testClockId))}::text[]) as k(id, status, test_clock_id) on k.id = c.id
        where c.status <> k.status or c.test_clock_id is distinct from k.test_clock_id`,
  );
  if (changed.length) throw new Error(`customer ${changed[0]!.id} changed since its renewal (${changed.length} in the batch)`);
}
