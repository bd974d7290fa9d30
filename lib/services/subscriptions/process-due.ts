import { loadTaxSettings } from "../tax/tax-settings";
import { eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { customerNow, findPaymentMethod, lockCustomer } from "@/db/queries/customers";
import { nextDue, step } from "@/lib/billing/subscriptions/lifecycle";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { chargeRenewals } from "../renewals/charge-renewals";
import { planRenewal, type NumberedRenewal } from "../renewals/plan-renewal";
import { writeRenewals } from "../renewals/renew-batch";
import { applyStep } from "./apply-step";
import { loadSubscriptionState } from "./load-state";

export interface DueOutcome {
  kind: string;
  at: Date;
  invoiceId: string | null;
}

interface StepDone {
  outcome: DueOutcome;
  /** An invoice the general step issued, to collect after commit. */
  collect: string | null;
  /** A renewal written by the renewal plan, to charge after commit. */
  renewed: NumberedRenewal | null;
  /** Something more is due by now. */
  more: boolean;
}

/**
 * Run everything that has fallen due for one subscription up to the customer's now (the test
 * clock's time when attached to one), oldest first. Each step is one transaction holding the
 * subscription's row lock, so two runs at once do each step once; an invoice a step issues is
 * charged after its transaction commits. Running it again for the same now does nothing.
 *
 * A plain renewal is the billing run's, as a batch of one: planned by planRenewal, written by
 * writeRenewals and charged by chargeRenewals. Every other step (a trial end, a scheduled change,
 * credit to apply, a cancellation…) is the general step: planned by planStep, written by applyStep.
 */
export async function processDueSubscription(ctx: ServiceContext, subscriptionId: string, maxSteps = 500): Promise<DueOutcome[]> {
  const outcomes: DueOutcome[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const done = await ctx.db.transaction(async (tx): Promise<StepDone | null> => {
      const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for("update");
      if (!row) throw notFound("subscription");
      const customer = await lockCustomer(tx, row.customerId);
      if (!customer) throw notFound("customer");
      const now = await customerNow(tx, customer, ctx.now);
      const before = await loadSubscriptionState(tx, row, customer, now);
      const due = nextDue(before);
      if (!due || due.at > now) return null;
      // Only a renewal is planned (planRenewal hands every other step back before it looks at the card).
      const paymentMethod = due.kind === "renewal" && customer.defaultPaymentMethodId ? ((await findPaymentMethod(tx, customer.defaultPaymentMethodId)) ?? null) : null;
      const planned = planRenewal({ subscription: row, customer, state: before, paymentMethod, hasPendingItems: before.pendingLines.length > 0 }, { now, actor: ctx.actor, requestId: ctx.requestId, tax: await loadTaxSettings(tx) });
      if (planned.kind === "fast") {
        const [renewed] = await writeRenewals(tx, [planned.plan], ctx.applyMode ?? "set");
        if (!renewed) throw new Error("renewal not written");
        const next = renewed.subscription.nextDueAt;
        return { outcome: { kind: renewed.kind, at: renewed.at, invoiceId: renewed.invoice.id }, collect: null, renewed, more: next !== null && next <= now };
      }
      const result = step(before);
      if (!result) return null;
      const { invoice, subscription, collect } = await applyStep(tx, ctx, row, customer, before, result);
      return {
        outcome: { kind: result.kind, at: result.at, invoiceId: invoice?.id ?? null },
        collect,
        // Nothing more is due by now: no need for another pass (a charge only ever postpones the next step).
        more: subscription.nextDueAt !== null && subscription.nextDueAt <= now,
        renewed: null,
      };
    });
    if (!done) break;
    outcomes.push(done.outcome);
    if (done.collect) await attemptInvoicePayment(ctx, done.collect);
    if (done.renewed) {
      // An unanswered charge leaves its payment pending for reconciliation, as in the billing run; the caller hears of it.
      const charged = await chargeRenewals(ctx, [done.renewed]);
      if (charged.failed[0]) throw new Error(charged.failed[0].error);
    }
    if (!done.more) break;
  }
  return outcomes;
}
