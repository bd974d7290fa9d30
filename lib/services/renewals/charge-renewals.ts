import { inPool } from "@/lib/async/in-pool";
import { gateway, type ChargeResult } from "@/lib/payments";
import { databaseMessage } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { applyChargeResult } from "../invoices/attempt-payment";
import type { NumberedRenewal } from "./plan-renewal";
import { applyWrites, updateIn } from "@/db/apply-writes";
import { customers } from "@/db/schema";
import { settleCharges } from "../payments/settle-charges";
import { renewedRows } from "./renew-batch";
import { log } from "@/lib/observability/logger";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

export interface ChargeBatchResult {
  charged: number;
  failed: { subscription: string; error: string }[];
  /** Charge results settled payment by payment because their batch's transaction failed, by reason (0 when all went well). */
  oneByOne: Record<string, number>;
}

/**
 * Charge a committed batch's renewals: each invoice through the gateway with its pending payment's
 * idempotency key (`inv_<invoice>_attempt_1`, recorded in the renewal's transaction, so a crash
 * before or after the call is settled by reconciliation and never charged twice), several calls in
 * flight at once. The bookkeeping is batched: gateway customer ids in one UPDATE before the calls,
 * and every result — a success, a decline, authentication required, a payment settled meanwhile —
 * applied for the whole batch in one transaction with the plan applyChargeResult uses for one
 * payment (settleCharges: planChargeResults, then the applier).
 */
export async function chargeRenewals(ctx: ServiceContext, renewed: readonly NumberedRenewal[], opts: { concurrency?: number } = {}): Promise<ChargeBatchResult> {
  const todo = renewed.filter((r) => r.payment && r.paymentMethod);
  const failed: ChargeBatchResult["failed"] = [];
  if (todo.length === 0) return { charged: 0, failed, oneByOne: {} };
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

  // Every result settled together, as one plan (settleCharges). Should the batch's transaction fail
  // (a lock timeout, a deadlock, a payment, invoice, subscription or customer that moved since the
  // renewal), each result is settled on its own instead (applyChargeResult), reading its rows under
  // lock, counted and logged with the reason.
  const oneByOne: Record<string, number> = {};
  const settleAlone = async ({ renewal, result }: (typeof results)[number]) => {
    try {
      await applyChargeResult(ctx, renewal.payment!.id, result);
    } catch (error) {
      failed.push({ subscription: renewal.subscriptionId, error: error instanceof Error ? error.message : String(error) });
    }
  };
  if (results.length === 1) await settleAlone(results[0]!);
  else if (results.length > 1) {
    try {
      // Planned from the rows each renewal wrote (renewedRows), not read again: a row moved since fails the batch.
      const known = new Map(results.flatMap(({ renewal }) => (renewal.payment ? [[renewal.payment.id, renewedRows(renewal)!] as const] : [])));
      await ctx.db.transaction((tx) => settleCharges(tx, ctx, results.map(({ renewal, result }) => ({ paymentId: renewal.payment!.id, result })), { known }));
    } catch (error) {
      const reason = `settlement batch failed: ${databaseMessage(error)}`;
      oneByOne[reason] = results.length;
      log.warn({ payments: results.length, reason }, `billing run: ${fmt.count(results.length)} charge results settled one by one (${reason})`);
      for (const r of results) await settleAlone(r);
    }
  }
  return { charged: results.length, failed, oneByOne };
}

