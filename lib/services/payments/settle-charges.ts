import { and, eq, sql } from "drizzle-orm";
import { applyWrites } from "@/db/apply-writes";
import { inTextArray, type Executor } from "@/db/client";
import { selectRows } from "@/db/select-rows";
import type { CustomerRow } from "@/db/queries/customers";
import { customers, invoices, payments, subscriptions, testClocks } from "@/db/schema";
import type { FailedAttempt } from "@/lib/billing/retries/policy";
import { notFound } from "@/lib/errors";
import type { ChargeResult } from "@/lib/payments";
import type { ServiceContext } from "../context";
import { failingInvoices } from "../dunning/dunning-state";
import { getSetting } from "../settings/settings";
import { chargeNeeds, chargeResultWrites, planChargeResults, takesResult, type ChargeOutcome, type ChargeToSettle } from "./plan-charge-result";

export interface ChargeAnswer {
  paymentId: string;
  result: ChargeResult;
}

/**
 * Apply gateway answers in the caller's transaction: lock the payments, then their invoices
 * (each in id order), then the subscriptions and the customers in dunning the results may change;
 * load what the rules read (the customers' now, failed attempts, owed invoices, the retry
 * schedule); plan every result (planChargeResults) and apply the plan as one set of writes
 * (`ctx.applyMode`). applyChargeResult settles one payment this way, chargeRenewals a batch.
 * Returns each payment's rows after its result, in the answers' order.
 */
export async function settleCharges(tx: Executor, ctx: ServiceContext, answers: readonly ChargeAnswer[]): Promise<ChargeOutcome[]> {
  if (answers.length === 0) return [];
  const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();
  // selectRows: a batch's rows mapped with one column list per table (db/select-rows.ts).
  const paymentRows = await selectRows(tx, payments, sql`where ${inTextArray(payments.id, sorted(answers.map((a) => a.paymentId)))} order by ${payments.id} for update`);
  const paymentById = new Map(paymentRows.map((p) => [p.id, p]));
  const invoiceRows = await selectRows(tx, invoices, sql`where ${inTextArray(invoices.id, sorted(paymentRows.map((p) => p.invoiceId)))} order by ${invoices.id} for update`);
  const invoiceById = new Map(invoiceRows.map((i) => [i.id, i]));
  const read = answers.map(({ paymentId, result }) => {
    const payment = paymentById.get(paymentId);
    if (!payment) throw notFound("payment");
    const invoice = invoiceById.get(payment.invoiceId);
    if (!invoice) throw notFound("invoice");
    return { payment, invoice, result, needs: chargeNeeds({ payment, invoice, result }) };
  });

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
  const clockIds = sorted([...customerById.values()].flatMap((c) => (c.testClockId ? [c.testClockId] : [])));
  const clockNow = new Map((clockIds.length ? await tx.select({ id: testClocks.id, frozenTime: testClocks.frozenTime }).from(testClocks).where(inTextArray(testClocks.id, clockIds)) : []).map((c) => [c.id, c.frozenTime]));

  const failedIds = sorted(read.flatMap((r) => (r.needs.failures ? [r.invoice.id] : [])));
  const failures = new Map<string, FailedAttempt[]>();
  if (failedIds.length) {
    const rows = await tx
      .select({ invoiceId: payments.invoiceId, attempt: payments.attempt, settledAt: payments.settledAt, createdAt: payments.createdAt })
      .from(payments)
      .where(and(inTextArray(payments.invoiceId, failedIds), eq(payments.status, "failed")));
    for (const r of rows) failures.set(r.invoiceId, [...(failures.get(r.invoiceId) ?? []), { attempt: r.attempt, at: r.settledAt ?? r.createdAt }]);
  }
  const retrySchedule = failedIds.length ? await getSetting(tx, "payments.retry_schedule_days") : [];

  const charges: ChargeToSettle[] = read.map(({ payment, invoice, result }) => {
    const customer = customerById.get(invoice.customerId) ?? null;
    return {
      result,
      payment,
      invoice,
      subscription: invoice.subscriptionId ? (subscriptionById.get(invoice.subscriptionId) ?? null) : null,
      customer,
      // A customer on a test clock lives in the clock's time.
      asOf: (customer?.testClockId ? clockNow.get(customer.testClockId) : undefined) ?? ctx.now,
    };
  });
  const plan = planChargeResults(charges, { failures, owed, retrySchedule }, { now: ctx.now, actor: ctx.actor, requestId: ctx.requestId });
  await applyWrites(tx, chargeResultWrites(plan), ctx.applyMode ?? "set");
  return plan.outcomes;
}
