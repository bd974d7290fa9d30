import { asc, inArray, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { customers, invoices, payments, subscriptions } from "@/db/schema";
import { newId } from "@/lib/ids";
import { gateway, type ChargeResult } from "@/lib/payments";
import type { ServiceContext } from "../../context";
import { applyChargeResult } from "../../invoices/attempt-payment";
import type { NumberedRenewal } from "./plan-renewal";
import { AUDIT, EVENT } from "./renew-batch";
import { insertRows } from "./set-sql";

export interface ChargeBatchResult {
  charged: number;
  failed: { subscription: string; error: string }[];
}

type Succeeded = Extract<ChargeResult, { status: "succeeded" }>;

/** Statuses a paid invoice moves back to active (activateSubscriptionOnPayment): those take the per-payment path. */
const REACTIVATED = new Set(["incomplete", "past_due", "unpaid"]);

/**
 * Charge a committed batch's renewals: each invoice through the gateway with its pending payment's
 * idempotency key (`inv_<invoice>_attempt_1`, recorded in the renewal's transaction, so a crash
 * before or after the call is settled by reconciliation and never charged twice), several calls in
 * flight at once. The bookkeeping is batched: gateway customer ids in one UPDATE before the calls,
 * and the common result — a success on an open invoice of a subscription and customer in good
 * standing — applied for the whole batch in one transaction (payments, invoices, audit entries,
 * events). Any other result (a decline, authentication required, a payment or invoice that moved
 * meanwhile, a subscription to reactivate, a customer in dunning) goes through applyChargeResult,
 * the per-payment path, which handles every case.
 */
export async function chargeRenewals(ctx: ServiceContext, renewed: readonly NumberedRenewal[], opts: { concurrency?: number } = {}): Promise<ChargeBatchResult> {
  const todo = renewed.filter((r) => r.payment && r.paymentMethod);
  const failed: ChargeBatchResult["failed"] = [];
  if (todo.length === 0) return { charged: 0, failed };
  const gw = gateway();

  // The customers' gateway ids, created on first use and remembered (gatewayCustomerId, for many).
  const byCustomer = new Map(todo.map((r) => [r.customer.id, r.customer]));
  const gatewayIds = new Map<string, string>();
  await inPool([...byCustomer.values()], opts.concurrency ?? 8, async (c) => {
    try {
      gatewayIds.set(c.id, await gw.ensureCustomer({ customerId: c.id, email: c.email, name: c.name, existing: c.gatewayCustomerId }));
    } catch (error) {
      // Not charged now: the invoice stays open with its payment pending, for reconciliation and the retry job.
      for (const r of todo) if (r.customer.id === c.id) failed.push({ subscription: r.subscriptionId, error: error instanceof Error ? error.message : String(error) });
    }
  });
  const changed = [...byCustomer.values()].filter((c) => gatewayIds.has(c.id) && gatewayIds.get(c.id) !== c.gatewayCustomerId);
  if (changed.length) {
    await ctx.db.execute(sql`
      update customers as c set gateway_customer_id = v.gateway_customer_id
      from unnest(${sql.param(changed.map((c) => c.id))}::text[], ${sql.param(changed.map((c) => gatewayIds.get(c.id) ?? null))}::text[]) as v(id, gateway_customer_id)
      where c.id = v.id`);
  }

  const results: { renewal: NumberedRenewal; result: ChargeResult }[] = [];
  await inPool(todo, opts.concurrency ?? 8, async (renewal) => {
    const payment = renewal.payment!;
    if (!gatewayIds.has(payment.customerId)) return;
    try {
      const result = await gw.charge({
        amount: payment.amount,
        currency: payment.currency,
        paymentMethodGatewayId: renewal.paymentMethod!.gatewayId,
        customerId: payment.customerId,
        customerGatewayId: gatewayIds.get(payment.customerId) ?? null,
        idempotencyKey: payment.idempotencyKey,
        metadata: { invoice_id: payment.invoiceId, payment_id: payment.id },
      });
      results.push({ renewal, result });
    } catch (error) {
      // The payment stays pending: reconciliation asks the gateway what happened.
      failed.push({ subscription: renewal.subscriptionId, error: error instanceof Error ? error.message : String(error) });
    }
  });

  const simple = results.filter((r): r is { renewal: NumberedRenewal; result: Succeeded } => r.result.status === "succeeded" && "riskLevel" in r.result);
  // Should the batched transaction fail (a lock timeout, a deadlock), every result takes the per-payment path.
  const applied = simple.length ? await applySucceeded(ctx, simple).catch(() => new Set<string>()) : new Set<string>();
  for (const { renewal, result } of results) {
    if (applied.has(renewal.payment!.id)) continue;
    try {
      await applyChargeResult(ctx, renewal.payment!.id, result);
    } catch (error) {
      failed.push({ subscription: renewal.subscriptionId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { charged: results.length, failed };
}

/**
 * applyChargeResult's success branch for many payments in one transaction, for those it applies
 * to exactly: the payment still pending, its invoice still open, the subscription not one a payment
 * reactivates, the customer active and not on a test clock. Returns the payment ids applied; the
 * rest are left pending for the per-payment path.
 */
async function applySucceeded(ctx: ServiceContext, charged: { renewal: NumberedRenewal; result: Succeeded }[]): Promise<Set<string>> {
  return ctx.db.transaction(async (tx) => {
    const paymentIds = charged.map((c) => c.renewal.payment!.id).sort();
    const invoiceIds = charged.map((c) => c.renewal.invoice.id).sort();
    const subIds = [...new Set(charged.map((c) => c.renewal.subscriptionId))].sort();
    const customerIds = [...new Set(charged.map((c) => c.renewal.customerId))];
    // Locks in applyChargeResult's order: payments, invoices, subscriptions.
    const paymentRows = await tx.select().from(payments).where(inArray(payments.id, paymentIds)).orderBy(asc(payments.id)).for("update");
    const invoiceRows = await tx.select().from(invoices).where(inArray(invoices.id, invoiceIds)).orderBy(asc(invoices.id)).for("update");
    const subRows = await tx.select({ id: subscriptions.id, status: subscriptions.status }).from(subscriptions).where(inArray(subscriptions.id, subIds)).orderBy(asc(subscriptions.id)).for("update");
    const customerRows = await tx.select({ id: customers.id, status: customers.status, testClockId: customers.testClockId }).from(customers).where(inArray(customers.id, customerIds));
    const paymentById = new Map(paymentRows.map((p) => [p.id, p]));
    const invoiceById = new Map(invoiceRows.map((i) => [i.id, i]));
    const subById = new Map(subRows.map((s) => [s.id, s]));
    const customerById = new Map(customerRows.map((c) => [c.id, c]));

    const apply = charged.flatMap(({ renewal, result }) => {
      const payment = paymentById.get(renewal.payment!.id);
      const invoice = invoiceById.get(renewal.invoice.id);
      const sub = subById.get(renewal.subscriptionId);
      const customer = customerById.get(renewal.customerId);
      const ok = payment?.status === "pending" && invoice?.status === "open" && sub && !REACTIVATED.has(sub.status) && customer?.status === "active" && !customer.testClockId;
      return ok ? [{ payment: payment!, invoice: invoice!, result }] : [];
    });
    if (apply.length === 0) return new Set<string>();
    const asOf = ctx.now;

    const paid = await queryRows<{ id: string }>(tx, sql`
      update payments as p set status = 'succeeded', gateway_id = v.gateway_id, fee = v.fee, settled_at = ${asOf.toISOString()}::timestamptz,
        risk_level = v.risk_level, outcome = v.outcome
      from unnest(
        ${sql.param(apply.map((a) => a.payment.id))}::text[], ${sql.param(apply.map((a) => a.result.gatewayId))}::text[],
        ${sql.param(apply.map((a) => a.result.fee))}::bigint[], ${sql.param(apply.map((a) => a.result.riskLevel ?? null))}::text[],
        ${sql.param(apply.map((a) => a.result.outcome ?? null))}::text[]
      ) as v(id, gateway_id, fee, risk_level, outcome)
      where p.id = v.id and p.status = 'pending'
      returning p.id`);
    if (paid.length !== apply.length) throw new Error(`settled ${paid.length} of ${apply.length} payments`);
    const settled = await queryRows<{ id: string }>(tx, sql`
      update invoices as i set status = 'paid', amount_paid = i.amount_paid + v.amount, amount_remaining = 0,
        paid_at = ${asOf.toISOString()}::timestamptz, next_payment_attempt_at = null
      from unnest(${sql.param(apply.map((a) => a.invoice.id))}::text[], ${sql.param(apply.map((a) => a.payment.amount))}::bigint[]) as v(id, amount)
      where i.id = v.id and i.status = 'open'
      returning i.id`);
    if (settled.length !== apply.length) throw new Error(`paid ${settled.length} of ${apply.length} invoices`);
    await insertRows(
      tx,
      "audit_log",
      apply.map((a) => ({
        at: ctx.now,
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
        action: "invoice.paid",
        entityType: "invoice",
        entityId: a.invoice.id,
        before: { status: a.invoice.status },
        after: { status: "paid", payment: a.payment.id },
        requestId: ctx.requestId ?? null,
      })),
      AUDIT,
    );
    await insertRows(
      tx,
      "outbox_events",
      apply.map((a) => ({ id: newId("event"), type: "invoice.paid", customerId: a.invoice.customerId, entityId: a.invoice.id, payload: { invoice: a.invoice.id, payment: a.payment.id }, createdAt: asOf })),
      EVENT,
    );
    return new Set(apply.map((a) => a.payment.id));
  });
}

/** Run `fn` over `items` with at most `concurrency` in flight. */
async function inPool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
