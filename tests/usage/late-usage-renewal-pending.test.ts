import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { usageLateChecks } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { billDueIds } from "@/lib/services/billing-run/bill-due";
import type { ServiceContext } from "@/lib/services/context";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { billLateUsage } from "@/lib/services/usage/bill-late-usage";
import { invoicesOf } from "../scenarios/support";
import { makeCustomer } from "../factories";
import { meteredPlan, usage } from "./metered-support";

/**
 * An event from a period that has ended but whose renewal has not run yet (decision 030): ingest
 * takes it as on time and notes the customer, because the renewal may already be measuring the
 * period. Here the renewal runs after it and counts it, so the late-usage job finds nothing
 * missing, bills nothing and clears the note; an event after the renewal is billed by the job.
 */
describe("usage from a period whose renewal is pending", () => {
  it("is noted, counted by the renewal, and the job then bills nothing twice; a later event is billed once", async () => {
    const db = await getDb();
    const now = new Date();
    // Subscribed a month and an hour ago (UTC customer): the first period ended about an hour ago and is not renewed yet.
    const start = new Date(now.getTime() - 3_600_000);
    start.setUTCMonth(start.getUTCMonth() - 1);
    const then: ServiceContext = { db, actor: systemActor("late-usage-test"), now: start };
    const ctx: ServiceContext = { ...then, now };
    const customer = await makeCustomer(then, { timezone: "UTC" });
    const calls = await meteredPlan(then, "pending-renewal", { aggregation: "sum", valueProperty: "n" }, { unitAmount: 100 });
    const { subscription } = await createSubscription(then, { customerId: customer.id, items: [{ priceId: calls.priceId, quantity: 1 }] });
    expect(subscription.currentPeriodEnd.getTime()).toBeLessThan(now.getTime());

    const [outcome] = await usage(ctx, calls.meter.code, customer.id, [{ at: new Date(subscription.currentPeriodEnd.getTime() - 600_000), properties: { n: 7 } }]);
    expect(outcome).toMatchObject({ status: "accepted", event: { late: false } });
    const [note] = await db.select().from(usageLateChecks).where(eq(usageLateChecks.customerId, customer.id));
    expect(note?.since.getTime()).toBe(subscription.currentPeriodEnd.getTime() - 600_000);

    // While the renewal is still due, the job keeps the note and bills nothing.
    expect(await billLateUsage(ctx)).toMatchObject({ invoices: [] });
    expect(await db.select().from(usageLateChecks).where(eq(usageLateChecks.customerId, customer.id))).toHaveLength(1);

    await billDueIds(ctx, [subscription.id]);
    const renewal = (await invoicesOf(subscription.id)).find((i) => i.billingReason === "subscription_cycle");
    expect(renewal?.lines.map((l) => [l.description, l.quantity, l.amount])).toEqual([["API calls usage", 7, 700]]);

    // Counted by the renewal: nothing more to bill, and the note goes.
    const first = await billLateUsage(ctx);
    expect(first.invoices).toEqual([]);
    expect(await db.select().from(usageLateChecks).where(eq(usageLateChecks.customerId, customer.id))).toHaveLength(0);

    // Reported now for the renewed period: late, billed once on a supplemental invoice.
    const [late] = await usage(ctx, calls.meter.code, customer.id, [{ at: new Date(subscription.currentPeriodEnd.getTime() - 300_000), properties: { n: 3 } }], 1);
    expect(late).toMatchObject({ status: "accepted", event: { late: true } });
    const second = await billLateUsage(ctx);
    expect(second.invoices).toHaveLength(1);
    expect(await billLateUsage(ctx)).toMatchObject({ invoices: [] });
    const supplemental = (await invoicesOf(subscription.id)).filter((i) => i.billingReason === "usage_late");
    expect(supplemental.map((i) => i.lines.map((l) => [l.description, l.quantity, l.amount]))).toEqual([[["API calls usage reported late", 3, 300]]]);
    expect(supplemental[0]?.status).toBe("paid");
  });
});
