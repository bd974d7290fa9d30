import { and, asc, eq, lte, sql } from "drizzle-orm";
import { entitlementsChanged } from "../customers/entitlements-cache";
import { customers, subscriptions, testClocks } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { nextRetryDueOnClock, retryDuePayments } from "../payments/retries/retry-due-payments";
import { billDueIds } from "../billing-run/bill-due";
import { billLateUsage } from "../usage/bill-late-usage";
import { nextDunningDueOnClock, runDunning } from "../dunning/run-dunning";
import type { TestClockRow } from "@/db/queries/test-clocks";

/**
 * Stripe-style advance: move the clock forward and run everything that falls due for its
 * customers, in time order — the clock stops at each due instant so every renewal, trial end,
 * scheduled change, resume, payment retry and dunning step happens at its own time — and return when done.
 */
export async function advanceTestClock(ctx: ServiceContext, clockId: string, to: Date): Promise<TestClockRow> {
  await ctx.db.transaction(async (tx) => {
    const [clock] = await tx.select().from(testClocks).where(eq(testClocks.id, clockId)).for("update");
    if (!clock) throw notFound("test clock", "id");
    if (clock.status === "advancing") throw new AppError("conflict", { userMessage: "This test clock is already advancing." });
    if (to <= clock.frozenTime) {
      throw new AppError("validation_failed", { param: "frozen_time", userMessage: `frozen_time must be later than the clock's current time (${clock.frozenTime.toISOString()}).` });
    }
    await tx.update(testClocks).set({ status: "advancing" }).where(eq(testClocks.id, clockId));
  });
  try {
    // Usage reported late while the clock stood is billed at the time it was reported (supplemental invoices).
    await billLateUsage(ctx, { testClockId: clockId });
    for (;;) {
      const due = await ctx.db
        .select({ id: subscriptions.id, at: subscriptions.nextDueAt })
        .from(subscriptions)
        .innerJoin(customers, eq(customers.id, subscriptions.customerId))
        .where(and(eq(customers.testClockId, clockId), lte(subscriptions.nextDueAt, to)))
        .orderBy(asc(subscriptions.nextDueAt), asc(subscriptions.id));
      const renewalAt = due[0]?.at ?? null;
      const retryAt = await nextRetryDueOnClock(ctx.db, clockId, to);
      const dunningAt = await nextDunningDueOnClock(ctx.db, clockId, to);
      const at = [renewalAt, retryAt, dunningAt].reduce<Date | null>((a, b) => (b && (!a || b < a) ? b : a), null);
      if (!at) break;
      await ctx.db.update(testClocks).set({ frozenTime: at }).where(eq(testClocks.id, clockId));
      // The subscriptions due at this instant, billed in the clock's time by the billing run's entry point.
      const billed = await billDueIds(ctx, due.filter((d) => d.at?.getTime() === at.getTime()).map((d) => d.id));
      if (billed.failed[0]) throw new Error(billed.failed[0].error);
      // Then the payment retries due at this instant (each moves or clears its invoice's next attempt).
      const retried = await retryDuePayments(ctx.db, at, { testClockId: clockId });
      // Then dunning, after the retry that may have paid (each stage acted on is recorded, so it is not due again).
      const dunned = await runDunning(ctx.db, at, { testClockId: clockId });
      if (billed.steps === 0 && retried.due === 0 && dunned.stages.length === 0) throw new Error(`test clock ${clockId} made no progress at ${at.toISOString()}`);
    }
    const [done] = await ctx.db.update(testClocks).set({ frozenTime: to, status: "ready" }).where(eq(testClocks.id, clockId)).returning();
    if (!done) throw notFound("test clock", "id");
    // Its customers' periods, trials and usage windows moved with the clock (renewals included).
    entitlementsChanged("all");
    await recordAudit(ctx.db, ctx.actor, { action: "test_clock.advanced", entityType: "test_clock", entityId: clockId, after: { frozen_time: to.toISOString() } }, ctx.now, ctx.requestId);
    return done;
  } catch (error) {
    await ctx.db.update(testClocks).set({ status: "ready", frozenTime: sql`${testClocks.frozenTime}` }).where(eq(testClocks.id, clockId));
    throw error;
  }
}
