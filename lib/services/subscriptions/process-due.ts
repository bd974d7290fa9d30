import { eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { customerNow, lockCustomer } from "@/db/queries/customers";
import { nextDue, step } from "@/lib/billing/subscriptions/lifecycle";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { attemptInvoicePayment } from "../invoices/attempt-payment";
import { applyStep } from "./apply-step";
import { loadSubscriptionState } from "./load-state";

export interface DueOutcome {
  kind: string;
  at: Date;
  invoiceId: string | null;
}

/**
 * Run everything that has fallen due for one subscription up to the customer's now (the test
 * clock's time when attached to one), oldest first. Each step is one transaction holding the
 * subscription's row lock, so two runs at once do each step once; an invoice a step issues is
 * charged after its transaction commits. Running it again for the same now does nothing.
 */
export async function processDueSubscription(ctx: ServiceContext, subscriptionId: string, maxSteps = 500): Promise<DueOutcome[]> {
  const outcomes: DueOutcome[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const done = await ctx.db.transaction(async (tx) => {
      const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for("update");
      if (!row) throw notFound("subscription");
      const customer = await lockCustomer(tx, row.customerId);
      if (!customer) throw notFound("customer");
      const now = await customerNow(tx, customer, ctx.now);
      const before = await loadSubscriptionState(tx, row, customer);
      const due = nextDue(before);
      if (!due || due.at > now) return null;
      const result = step(before);
      if (!result) return null;
      const { invoice, subscription } = await applyStep(tx, ctx, row, customer, before, result);
      return {
        outcome: { kind: result.kind, at: result.at, invoiceId: invoice?.id ?? null },
        invoice,
        // Nothing more is due by now: no need for another pass (a charge only ever postpones the next step).
        more: subscription.nextDueAt !== null && subscription.nextDueAt <= now,
        collect: row.collectionMethod === "charge_automatically" && customer.defaultPaymentMethodId !== null,
      };
    });
    if (!done) break;
    outcomes.push(done.outcome);
    if (done.invoice?.status === "open" && done.collect) await attemptInvoicePayment(ctx, done.invoice.id);
    if (!done.more) break;
  }
  return outcomes;
}
