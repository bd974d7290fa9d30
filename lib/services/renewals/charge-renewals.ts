import { inPool } from "@/lib/async/in-pool";
import { newId } from "@/lib/ids";
import { gateway, type ChargeResult } from "@/lib/payments";
import type { ServiceContext } from "../context";
import { applyChargeResult } from "../invoices/attempt-payment";
import type { NumberedRenewal } from "./plan-renewal";
import { applyWrites, insertInto, updateIn } from "@/db/apply-writes";
import { auditLog, customers, invoices, outboxEvents, payments } from "@/db/schema";

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
    await applyWrites(ctx.db, [updateIn(customers, changed.map((c) => ({ id: c.id, gatewayCustomerId: gatewayIds.get(c.id) ?? null })), { missing: "skip" })], ctx.applyMode ?? "set");
  }

  // One batch call: the sandbox records the whole batch at once, Stripe's adapter keeps `concurrency` calls in flight.
  const charged = todo.filter((r) => gatewayIds.has(r.payment!.customerId));
  const answers = await gw.chargeMany(
    charged.map((renewal) => {
      const payment = renewal.payment!;
      return {
        amount: payment.amount,
        currency: payment.currency,
        paymentMethodGatewayId: renewal.paymentMethod!.gatewayId,
        customerId: payment.customerId,
        customerGatewayId: gatewayIds.get(payment.customerId) ?? null,
        idempotencyKey: payment.idempotencyKey,
        metadata: { invoice_id: payment.invoiceId, payment_id: payment.id },
      };
    }),
    { concurrency: opts.concurrency ?? 8 },
  );
  const results: { renewal: NumberedRenewal; result: ChargeResult }[] = [];
  charged.forEach((renewal, k) => {
    const answer = answers[k]!;
    // An unanswered charge leaves the payment pending: reconciliation asks the gateway what happened.
    if (answer instanceof Error) failed.push({ subscription: renewal.subscriptionId, error: answer.message });
    else results.push({ renewal, result: answer });
  });

  // In good standing as the batch locked them (see applySucceeded): anything else takes the per-payment path.
  const simple = results.filter(
    (r): r is { renewal: NumberedRenewal; result: Succeeded } =>
      r.result.status === "succeeded" && "riskLevel" in r.result && !REACTIVATED.has(r.renewal.subscriptionStatus) && r.renewal.customer.status === "active",
  );
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
 * reactivates, the customer active. Each is settled in its customer's now — the instant its payment
 * was recorded at (a test clock's time for a customer on one; the clock stands still while it
 * advances) — and audited at the run's. Returns the payment ids applied; the rest are left for the
 * per-payment path.
 *
 * The standing of the subscription and the customer is the one the renewal's transaction read
 * under lock, moments before: a change committed since (a staff action, another invoice's dunning)
 * orders after this payment, as if it had waited — paying a fresh renewal invoice neither
 * reactivates nor restores anything for a subscription and customer that were in good standing.
 * Nothing is read only to lock it: the UPDATEs lock each payment, then each invoice —
 * applyChargeResult's order — keeping only rows still pending and open. A payment settled
 * meanwhile (by a webhook) is left to the per-payment path, which sees it done; an invoice no
 * longer open rolls the whole batch back to that path, which records the charge for staff.
 */
async function applySucceeded(ctx: ServiceContext, charged: { renewal: NumberedRenewal; result: Succeeded }[]): Promise<Set<string>> {
  const asOf = (c: { renewal: NumberedRenewal }) => c.renewal.payment!.createdAt ?? ctx.now;
  return ctx.db.transaction(async (tx) => {
    const mode = ctx.applyMode ?? "set";
    const [paidIds = []] = await applyWrites(
      tx,
      [
        updateIn(
          payments,
          charged.map((c) => ({ id: c.renewal.payment!.id, status: "succeeded" as const, gatewayId: c.result.gatewayId, fee: c.result.fee, settledAt: asOf(c), riskLevel: c.result.riskLevel ?? null, outcome: c.result.outcome ?? null })),
          { guard: { column: "status", equals: "pending" }, missing: "skip" },
        ),
      ],
      mode,
    );
    const paid = new Set(paidIds);
    const apply = charged.filter((c) => paid.has(c.renewal.payment!.id)).map((c) => ({ invoice: c.renewal.invoice, payment: c.renewal.payment!, at: asOf(c) }));
    if (apply.length === 0) return paid;
    // An invoice no longer open throws ("updated n of m"): the whole batch goes to the per-payment path.
    await applyWrites(
      tx,
      [
        updateIn(
          invoices,
          apply.map((a) => ({ id: a.invoice.id, status: "paid" as const, amountPaid: a.payment.amount, amountRemaining: 0, paidAt: a.at, nextPaymentAttemptAt: null })),
          { guard: { column: "status", equals: "open" }, add: ["amountPaid"] },
        ),
        insertInto(
          auditLog,
          apply.map((a) => ({
            at: ctx.now,
            actorType: ctx.actor.type,
            actorId: ctx.actor.id,
            action: "invoice.paid",
            entityType: "invoice",
            entityId: a.invoice.id,
            before: { status: "open" },
            after: { status: "paid", payment: a.payment.id },
            requestId: ctx.requestId ?? null,
          })),
        ),
        insertInto(
          outboxEvents,
          apply.map((a) => ({ id: newId("event"), type: "invoice.paid", customerId: a.invoice.customerId, entityId: a.invoice.id, payload: { invoice: a.invoice.id, payment: a.payment.id }, createdAt: a.at })),
        ),
      ],
      mode,
    );
    return paid;
  });
}
