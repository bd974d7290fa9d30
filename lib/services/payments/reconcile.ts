import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { customers, invoices, payments, reconciliationItems, testClocks } from "@/db/schema";
import { lockInvoice, type InvoiceRow } from "@/db/queries/invoices";
import type { PaymentRow } from "@/db/queries/payments";
import { systemActor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { newId, randomToken } from "@/lib/ids";
import { gateway as currentGateway, type ChargeResult, type PaymentGateway } from "@/lib/payments";
import type { ServiceContext } from "../context";
import { applyChargeResult } from "../invoices/attempt-payment";

/** The failure code of a payment the gateway never saw: the next attempt may run with a new key. */
export const NOT_SUBMITTED = "not_submitted";

export interface ReconcileOptions {
  /** A pending payment younger than this may still be in flight: leave it alone. Default 120 s. */
  olderThanSeconds?: number;
  /** requires_action payments are re-read once older than this (the customer may have authenticated and the webhook been lost). Default 24 h. */
  requiresActionAfterSeconds?: number;
  /** …and no longer after this (the customer never came back; dunning owns them). Default 30 days. */
  requiresActionUntilSeconds?: number;
  /** A payment marked not_submitted is re-checked for this long, in case the gateway's search lagged or a retry raced us. Default 24 h. */
  recheckNotSubmittedSeconds?: number;
  /** At most this many payments per run, oldest first. Default 500. */
  limit?: number;
  /** The gateway to ask; default the configured one. */
  gateway?: PaymentGateway;
}

export type ReconcileOutcome = "settled" | "failed" | "requires_action" | "not_submitted" | "flagged" | "unchanged";

export interface ReconcileSummary {
  checked: number;
  settled: number;
  failed: number;
  requiresAction: number;
  notSubmitted: number;
  flagged: number;
  unchanged: number;
  /** Payments of another gateway than the configured one, or not yet old enough. */
  skipped: number;
  errors: Array<{ paymentId: string; message: string }>;
}

/**
 * The janitor (Kill Bill's, for Tally): payments left `pending` — a crash or a lost answer between
 * the gateway call and our commit — and `requires_action` payments older than a day are settled by
 * asking the gateway what happened, by the payment's gateway id or, without one, by the metadata
 * every charge carries (payment_id, invoice_id).
 *
 * - The gateway charged: the result is applied with applyChargeResult (invoice paid, no second charge).
 * - The gateway declined, or wants authentication: applied the same way.
 * - The gateway never saw it (after `olderThanSeconds`): the payment fails with `not_submitted`, so
 *   the next attempt runs under a new key; it is re-checked for a day in case the answer was late.
 * - Anything that cannot be applied safely — the invoice was paid meanwhile by another payment, is
 *   void, or the amounts differ — is recorded as it is at the gateway on the payment only, and an
 *   open reconciliation item is raised for staff. Money is never refunded silently.
 *
 * Idempotent: a second run with no change at the gateway changes nothing.
 */
export async function reconcilePayments(db: Db, now: Date, options: ReconcileOptions = {}): Promise<ReconcileSummary> {
  const gw = options.gateway ?? currentGateway();
  const olderThanMs = (options.olderThanSeconds ?? 120) * 1000;
  const actionAfterMs = (options.requiresActionAfterSeconds ?? 24 * 3600) * 1000;
  const actionUntilMs = (options.requiresActionUntilSeconds ?? 30 * 24 * 3600) * 1000;
  const recheckMs = (options.recheckNotSubmittedSeconds ?? 24 * 3600) * 1000;
  const summary: ReconcileSummary = { checked: 0, settled: 0, failed: 0, requiresAction: 0, notSubmitted: 0, flagged: 0, unchanged: 0, skipped: 0, errors: [] };
  const ago = (ms: number) => new Date(now.getTime() - ms);

  // Customers on a test clock live in the clock's time: their rows are filtered below, after reading the clock.
  const onClock = isNotNull(customers.testClockId);
  const rows = await db
    .select({ payment: payments, clockTime: testClocks.frozenTime })
    .from(payments)
    .innerJoin(customers, eq(customers.id, payments.customerId))
    .leftJoin(testClocks, eq(testClocks.id, customers.testClockId))
    .where(
      and(
        inArray(payments.gateway, ["sandbox", "stripe"]),
        or(
          and(eq(payments.status, "pending"), or(onClock, lt(payments.createdAt, ago(olderThanMs)))),
          and(eq(payments.status, "requires_action"), or(onClock, and(lt(payments.createdAt, ago(actionAfterMs)), gte(payments.createdAt, ago(actionUntilMs))))),
          and(eq(payments.status, "failed"), eq(payments.failureCode, NOT_SUBMITTED), or(onClock, gte(payments.settledAt, ago(recheckMs)))),
        ),
      ),
    )
    .orderBy(asc(payments.createdAt), asc(payments.id))
    .limit(options.limit ?? 500);

  const ctx: ServiceContext = { db, actor: systemActor("reconciliation"), now, requestId: `reconcile_${randomToken(10)}` };
  for (const { payment, clockTime } of rows) {
    const asOf = clockTime ?? now;
    const age = asOf.getTime() - payment.createdAt.getTime();
    const due =
      payment.status === "pending"
        ? age >= olderThanMs
        : payment.status === "requires_action"
          ? age >= actionAfterMs && age < actionUntilMs
          : payment.settledAt !== null && asOf.getTime() - payment.settledAt.getTime() < recheckMs;
    if (!due || payment.gateway !== gw.name) {
      summary.skipped += 1;
      continue;
    }
    summary.checked += 1;
    try {
      const answer = await gw.retrieveCharge({
        gatewayId: payment.gatewayId,
        idempotencyKey: payment.idempotencyKey,
        metadata: { invoice_id: payment.invoiceId, payment_id: payment.id },
      });
      const outcome = await resolve(ctx, payment, answer, asOf);
      summary[OUTCOME_FIELD[outcome]] += 1;
    } catch (error) {
      summary.errors.push({ paymentId: payment.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return summary;
}

const OUTCOME_FIELD = {
  settled: "settled",
  failed: "failed",
  requires_action: "requiresAction",
  not_submitted: "notSubmitted",
  flagged: "flagged",
  unchanged: "unchanged",
} as const satisfies Record<ReconcileOutcome, keyof ReconcileSummary>;

/** Settle one payment with the gateway's answer, in one transaction holding the payment and its invoice. */
async function resolve(ctx: ServiceContext, seen: PaymentRow, answer: ChargeResult | null, asOf: Date): Promise<ReconcileOutcome> {
  return ctx.db.transaction(async (tx) => {
    // The invoice before its payment (lockInvoice's lock order); a payment's invoice never changes.
    const invoice = await lockInvoice(tx, seen.invoiceId);
    if (!invoice) throw new Error(`payment ${seen.id}: invoice ${seen.invoiceId} is missing`);
    const [payment] = await tx.select().from(payments).where(eq(payments.id, seen.id)).for("update");
    // Someone else (the attempt itself, a webhook) settled it since we read it: nothing to do.
    if (!payment || payment.status !== seen.status || payment.failureCode !== seen.failureCode) return "unchanged";

    if (payment.status === "failed") {
      // A not_submitted payment the gateway did see after all (search lag, or a retry raced the janitor).
      if (!answer || (answer.status !== "succeeded" && answer.status !== "requires_action")) return "unchanged";
      await tx
        .update(payments)
        .set({ status: "pending", failureCode: null, declineCode: null, failureMessage: null, settledAt: null })
        .where(eq(payments.id, payment.id));
      await recordAudit(tx, ctx.actor, { action: "payment.reopened", entityType: "payment", entityId: payment.id, before: { status: "failed", failure_code: NOT_SUBMITTED }, after: { status: "pending", gateway: answer.status } }, ctx.now, ctx.requestId);
      return settle(tx, ctx, { ...payment, status: "pending" }, invoice, answer, asOf);
    }

    if (!answer) {
      if (payment.status === "pending") {
        await tx
          .update(payments)
          .set({ status: "failed", failureCode: NOT_SUBMITTED, failureMessage: "The gateway has no record of this charge; it was never submitted.", settledAt: asOf })
          .where(eq(payments.id, payment.id));
        await recordAudit(tx, ctx.actor, { action: "payment.not_submitted", entityType: "payment", entityId: payment.id, before: { status: "pending" }, after: { status: "failed", failure_code: NOT_SUBMITTED } }, ctx.now, ctx.requestId);
        // Nothing was charged, so nothing was declined: the invoice is due for a charge again now
        // (the retry job makes the next attempt under a new key), unless it is settled meanwhile.
        if (invoice.collectionMethod === "charge_automatically" && (invoice.status === "open" || invoice.status === "uncollectible")) {
          await tx.update(invoices).set({ nextPaymentAttemptAt: asOf }).where(eq(invoices.id, invoice.id));
        }
        return "not_submitted";
      }
      return flag(tx, payment.id, "gateway_missing", `Payment ${payment.id} waits for authentication, but the gateway has no charge ${payment.gatewayId ?? "(no id)"}.`);
    }
    return settle(tx, ctx, payment, invoice, answer, asOf);
  });
}

async function settle(tx: Tx, ctx: ServiceContext, payment: PaymentRow, invoice: InvoiceRow, answer: ChargeResult, asOf: Date): Promise<ReconcileOutcome> {
  if (answer.status === "pending") return "unchanged";
  if (answer.status === "requires_action" && payment.status === "requires_action") return "unchanged";

  const chargeable = invoice.status === "open" || invoice.status === "uncollectible";
  // applyChargeResult in our transaction (a savepoint): the checks above and the change are atomic.
  const nested: ServiceContext = { ...ctx, db: tx as unknown as Db };
  const risk = "riskLevel" in answer ? { riskLevel: answer.riskLevel ?? null, outcome: answer.outcome ?? null } : {};

  if (answer.status === "succeeded") {
    const mismatch = whyNotApplicable(invoice, payment, answer);
    if (!mismatch) {
      await applyChargeResult(nested, payment.id, answer);
      return "settled";
    }
    // The money moved: the payment says so (and can be refunded), the invoice is left alone, staff decide.
    await tx
      .update(payments)
      .set({ status: "succeeded", gatewayId: answer.gatewayId, fee: answer.fee, settledAt: asOf, ...risk })
      .where(eq(payments.id, payment.id));
    await recordAudit(tx, ctx.actor, { action: "payment.succeeded_unapplied", entityType: "payment", entityId: payment.id, before: { status: payment.status }, after: { status: "succeeded", gateway_id: answer.gatewayId, reason: mismatch } }, ctx.now, ctx.requestId);
    return flag(tx, payment.id, "unapplied_gateway_success", `The gateway charged ${answer.gatewayId} for payment ${payment.id} (${payment.amount} ${payment.currency}), but it was not applied to invoice ${invoice.id}: ${mismatch}. Refund or credit it.`);
  }

  if (answer.status === "failed") {
    if (chargeable) {
      await applyChargeResult(nested, payment.id, answer);
      return "failed";
    }
    // The invoice was settled another way: record the decline, without dunning or past-due.
    await tx
      .update(payments)
      .set({ status: "failed", gatewayId: answer.gatewayId, failureCode: answer.failureCode, declineCode: answer.declineCode, failureMessage: answer.message, settledAt: asOf, ...risk })
      .where(eq(payments.id, payment.id));
    await recordAudit(tx, ctx.actor, { action: "payment.failed", entityType: "payment", entityId: payment.id, before: { status: payment.status }, after: { status: "failed", failure_code: answer.failureCode } }, ctx.now, ctx.requestId);
    return "failed";
  }

  // requires_action, for a payment we still had as pending.
  if (chargeable) {
    await applyChargeResult(nested, payment.id, answer);
    return "requires_action";
  }
  await tx.update(payments).set({ status: "requires_action", gatewayId: answer.gatewayId, ...risk }).where(eq(payments.id, payment.id));
  return flag(tx, payment.id, "action_required_on_settled_invoice", `Payment ${payment.id} (${answer.gatewayId}) waits for the customer's authentication, but invoice ${invoice.id} is ${invoice.status}: cancel it at the gateway.`);
}

/** Why a gateway success cannot be applied to the invoice as it stands; null when it can. */
function whyNotApplicable(invoice: InvoiceRow, payment: PaymentRow, answer: ChargeResult): string | null {
  if (invoice.status !== "open" && invoice.status !== "uncollectible") return `the invoice is ${invoice.status}`;
  if (invoice.amountRemaining !== payment.amount) return `the invoice has ${invoice.amountRemaining} remaining, the payment is for ${payment.amount}`;
  const facts = answer as { amount?: unknown; currency?: unknown };
  if (typeof facts.amount === "number" && facts.amount !== payment.amount) return `the gateway charged ${facts.amount}, the payment is for ${payment.amount}`;
  if (typeof facts.currency === "string" && facts.currency.toLowerCase() !== payment.currency.toLowerCase()) return `the gateway charged in ${facts.currency}, the payment is in ${payment.currency}`;
  return null;
}

/** Open a reconciliation item for staff, once: an open item of the same kind for the payment is kept. */
async function flag(tx: Tx, paymentId: string, kind: string, detail: string): Promise<"flagged" | "unchanged"> {
  const [open] = await tx
    .select({ id: reconciliationItems.id })
    .from(reconciliationItems)
    .where(and(eq(reconciliationItems.paymentId, paymentId), eq(reconciliationItems.kind, kind), eq(reconciliationItems.status, "open"), isNull(reconciliationItems.resolvedAt)))
    .limit(1);
  if (open) return "unchanged";
  await tx.insert(reconciliationItems).values({ id: newId("reconciliationItem"), paymentId, kind, detail });
  return "flagged";
}
