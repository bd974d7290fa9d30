import fc from "fast-check";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { applyPlanChange, previewPlanChange } from "@/lib/services/checkout/change-plan";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { cancelScheduledChange } from "@/lib/services/subscriptions/cancel-scheduled-change";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { clockCustomer, invoicesOf, subscriptionRow } from "../scenarios/support";
import { makePlan } from "../factories";

const START = new Date("2027-03-31T23:00:00Z"); // 1 Apr 2027 10:00 AEDT

async function subscribed(planSpec: { unitAmount: number } = { unitAmount: 1000 }) {
  const env = await clockCustomer(START);
  const starter = await makePlan(env.ctx.db, { code: "starter", name: "Starter", ...planSpec });
  const pro = await makePlan(env.ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
  const { subscription } = await createSubscription(env.ctx, { customerId: env.customerId, items: [{ priceId: starter.priceId, quantity: 1 }] });
  return { ...env, starter, pro, subscription };
}

describe("portal plan change: what is previewed is what is charged", () => {
  it("an upgrade confirmed minutes after its preview charges exactly the previewed amount, invoiced now", async () => {
    const { ctx, customerId, advance, pro, subscription } = await subscribed();
    await advance("2027-04-10T03:17:29Z");
    const request = { subscriptionId: subscription.id, priceId: pro.priceId, quantity: 1 };
    const preview = await previewPlanChange(ctx, customerId, request);
    expect(preview.kind).toBe("upgrade");
    expect(preview.effective).toBe("now");
    expect(preview.amountDueNow).toBeGreaterThan(0);
    expect(preview.invoiceNow?.lines.map((l) => l.proration)).toEqual([true, true]);
    // The customer reads the preview for a while before confirming: the proration is still as of the preview.
    await advance("2027-04-10T03:41:02Z");
    const { invoice, kind } = await applyPlanChange(ctx, customerId, { ...request, prorationDate: preview.prorationDate, expectedAmountDue: preview.amountDueNow });
    expect(kind).toBe("upgrade");
    expect(invoice?.status).toBe("paid");
    expect(invoice?.amountDue).toBe(preview.amountDueNow);
    expect(invoice?.amountPaid).toBe(preview.amountDueNow);
    expect(invoice?.total).toBe(preview.invoiceNow?.total);
    const all = await invoicesOf(subscription.id);
    expect(all.at(-1)?.lines.map((l) => [l.description, l.amount])).toEqual(preview.invoiceNow?.lines.map((l) => [l.description, l.amount]));
  });

  it("property: for any preview instant in the period and any delay under an hour, the charge equals the preview", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 60, max: 29 * 86_400 }), fc.integer({ min: 0, max: 3_599 }), fc.integer({ min: 1, max: 4 }), async (offsetS, delayS, seats) => {
        const { ctx, customerId, advance, pro, subscription } = await subscribed();
        const previewAt = new Date(START.getTime() + offsetS * 1000);
        await advance(previewAt);
        const request = { subscriptionId: subscription.id, priceId: pro.priceId, quantity: seats };
        const preview = await previewPlanChange(ctx, customerId, request);
        if (delayS > 0) await advance(new Date(previewAt.getTime() + delayS * 1000));
        const { invoice } = await applyPlanChange(ctx, customerId, { ...request, prorationDate: preview.prorationDate, expectedAmountDue: preview.amountDueNow });
        expect(invoice?.amountDue).toBe(preview.amountDueNow);
        // …and the next invoice is the one the preview promised.
        const next = await previewPlanChange(ctx, customerId, { ...request, quantity: seats + 1 });
        expect(next.kind).toBe("upgrade");
        expect((await subscriptionRow(subscription.id)).currentPeriodEnd.toISOString()).toBe(preview.next?.date.toISOString());
      }),
      { numRuns: 6 },
    );
  });

  it("a confirm whose amount no longer matches, or whose preview is over an hour old, charges nothing", async () => {
    const { ctx, customerId, advance, pro, subscription } = await subscribed();
    await advance("2027-04-12T00:00:00Z");
    const request = { subscriptionId: subscription.id, priceId: pro.priceId, quantity: 1 };
    const preview = await previewPlanChange(ctx, customerId, request);
    await expect(applyPlanChange(ctx, customerId, { ...request, prorationDate: preview.prorationDate, expectedAmountDue: preview.amountDueNow - 1 })).rejects.toMatchObject({ code: "conflict", param: "expectedAmountDue" });
    await advance("2027-04-12T01:00:01Z");
    await expect(applyPlanChange(ctx, customerId, { ...request, prorationDate: preview.prorationDate, expectedAmountDue: preview.amountDueNow })).rejects.toMatchObject({ code: "conflict", param: "prorationDate" });
    expect(await invoicesOf(subscription.id)).toHaveLength(1);
  });
});

describe("portal plan change: downgrades wait for the period end and can be undone", () => {
  it("schedules Pro → Starter for the period end, charges nothing, and Undo removes it (audited)", async () => {
    const env = await clockCustomer(START);
    const starter = await makePlan(env.ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
    const pro = await makePlan(env.ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
    const { subscription } = await createSubscription(env.ctx, { customerId: env.customerId, items: [{ priceId: pro.priceId, quantity: 1 }] });
    await env.advance("2027-04-15T00:00:00Z");
    const request = { subscriptionId: subscription.id, priceId: starter.priceId, quantity: 1 };
    const preview = await previewPlanChange(env.ctx, env.customerId, request);
    expect(preview).toMatchObject({ kind: "downgrade", effective: "period_end", amountDueNow: 0, invoiceNow: null });
    expect(preview.effectiveAt.toISOString()).toBe("2027-05-01T00:00:00.000Z");
    expect(preview.next?.invoice.lines.map((l) => [l.description, l.amount])).toEqual([["Starter", 1000]]);

    const { invoice, subscription: updated } = await applyPlanChange(env.ctx, env.customerId, { ...request, prorationDate: preview.prorationDate, expectedAmountDue: 0 });
    expect(invoice).toBeNull();
    expect(updated.pendingChange?.items).toEqual([{ price: starter.priceId, quantity: 1 }]);

    const undone = await cancelScheduledChange(env.ctx, subscription.id);
    expect(undone.pendingChange).toBeNull();
    const audit = await env.ctx.db.select().from(auditLog).where(and(eq(auditLog.entityId, subscription.id), eq(auditLog.action, "subscription.scheduled_change_canceled")));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.before).toMatchObject({ pending_change: { items: [{ price: starter.priceId, quantity: 1 }] } });
    await expect(cancelScheduledChange(env.ctx, subscription.id)).rejects.toMatchObject({ code: "conflict" });

    // The renewal bills Pro again.
    await env.advance("2027-05-01T00:00:01Z");
    const all = await invoicesOf(subscription.id);
    expect(all.map((i) => i.lines.map((l) => l.description))).toEqual([["Pro"], ["Pro"]]);
  });

  it("fewer seats is a downgrade at the period end; more seats is an upgrade now; monthly → annual is an upgrade now", async () => {
    const { ctx, customerId, advance, starter, subscription } = await subscribed();
    const annual = await makePlan(ctx.db, { code: "annual", name: "Starter (annual)", interval: "year", unitAmount: 10000 });
    await advance("2027-04-05T00:00:00Z");
    const more = await previewPlanChange(ctx, customerId, { subscriptionId: subscription.id, priceId: starter.priceId, quantity: 3 });
    expect(more.kind).toBe("upgrade");
    expect(more.invoiceNow?.lines.map((l) => l.description)).toEqual([expect.stringContaining("Unused time"), expect.stringContaining("Remaining time")]);
    const year = await previewPlanChange(ctx, customerId, { subscriptionId: subscription.id, priceId: annual.priceId, quantity: 1 });
    expect(year.kind).toBe("upgrade");
    expect(year.invoiceNow?.lines.some((l) => l.amount === 10000)).toBe(true);
    await applyPlanChange(ctx, customerId, { subscriptionId: subscription.id, priceId: starter.priceId, quantity: 3, prorationDate: more.prorationDate, expectedAmountDue: more.amountDueNow });
    const fewer = await previewPlanChange(ctx, customerId, { subscriptionId: subscription.id, priceId: starter.priceId, quantity: 2 });
    expect(fewer).toMatchObject({ kind: "downgrade", amountDueNow: 0 });
    await expect(previewPlanChange(ctx, customerId, { subscriptionId: subscription.id, priceId: starter.priceId, quantity: 3 })).rejects.toMatchObject({ code: "validation_failed", param: "priceId" });
    await expect(previewPlanChange(ctx, customerId, { subscriptionId: subscription.id, priceId: starter.priceId, quantity: 0 })).rejects.toMatchObject({ param: "quantity" });
  });
});

describe("portal plan change: only the customer's own subscription", () => {
  it("another customer's subscription is not found, and nothing changes", async () => {
    const { ctx, pro, subscription } = await subscribed();
    const other = await createCustomer({ ...ctx, actor: systemActor("test") }, { email: "other@example.com", currency: "aud", timezone: "Australia/Sydney", address: { country: "AU" } });
    const request = { subscriptionId: subscription.id, priceId: pro.priceId, quantity: 1 };
    await expect(previewPlanChange(ctx, other.id, request)).rejects.toMatchObject({ code: "not_found" });
    await expect(applyPlanChange(ctx, other.id, { ...request, prorationDate: START, expectedAmountDue: 0 })).rejects.toMatchObject({ code: "not_found" });
    expect(await invoicesOf(subscription.id)).toHaveLength(1);
  });
});
