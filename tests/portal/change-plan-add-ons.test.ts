import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { subscriptionItems } from "@/db/schema";
import { randomToken } from "@/lib/ids";
import { applyPlanChange, previewPlanChange } from "@/lib/services/checkout/change-plan";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { clockCustomer, invoiceView, invoicesOf } from "../scenarios/support";
import { makePlan } from "../factories";
import { meteredPlan, usage } from "../usage/metered-support";

/**
 * A portal plan change on a subscription with a metered add-on (decision 030): the licensed plan is
 * replaced, the add-on stays with its price and its usage_from, so its usage keeps counting across
 * the change and is billed once, tiered as a whole, at the period's end. Sydney: the period is
 * 1 Apr 10:00 AEDT (31 Mar 23:00 UTC) → 1 May 10:00 AEST (1 May 00:00 UTC), 721 hours.
 */
const START = new Date("2027-03-31T23:00:00Z");
/** The add-on is added the day after subscribing: it measures from then. */
const ADD_ON_AT = "2027-04-01T12:00:00.000Z";
const CHANGE_AT = "2027-04-16T00:00:00Z"; // 360 of the period's 721 hours left
/** "API calls": first 1,000 free, then A$0.002 (0.2 cents) each — graduated. */
const FREE_THEN_POINT_TWO = { billingScheme: "tiered" as const, tiersMode: "graduated" as const, tiers: [{ up_to: 1000, unit_amount: 0 }, { up_to: null, unit_amount_decimal: "0.2" }] };

/** Starter plus API calls: subscribed together, or the add-on added at `addOnAt` (it then measures from there). */
async function starterWithApiCalls(addOnAt?: string) {
  const env = await clockCustomer(START);
  const starter = await makePlan(env.ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
  const pro = await makePlan(env.ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
  const calls = await meteredPlan(env.ctx, `calls-${randomToken(6).toLowerCase()}`, { aggregation: "sum", valueProperty: "calls" }, FREE_THEN_POINT_TWO);
  const both = [{ priceId: starter.priceId, quantity: 1 }, { priceId: calls.priceId, quantity: 1 }];
  const { subscription } = await createSubscription(env.ctx, { customerId: env.customerId, items: addOnAt ? both.slice(0, 1) : both });
  if (addOnAt) {
    await env.advance(addOnAt);
    await updateSubscription(env.ctx, subscription.id, { items: both, prorationBehavior: "create_prorations", effective: "now" });
  }
  const itemRows = () => env.ctx.db.select().from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, subscription.id)).orderBy(asc(subscriptionItems.position));
  return { ...env, starter, pro, calls, subscription, itemRows };
}

describe("portal plan change with a metered add-on", () => {
  it("Starter → Pro mid-period replaces Starter, keeps API calls (same price, same usage_from), charges exactly the previewed prorations, and the renewal bills the whole period's calls once", async () => {
    const { ctx, customerId, advance, starter, pro, calls, subscription, itemRows } = await starterWithApiCalls(ADD_ON_AT);
    const before = await itemRows();
    expect(before.map((i) => [i.priceId, i.usageFrom?.toISOString() ?? null])).toEqual([
      [starter.priceId, null],
      [calls.priceId, ADD_ON_AT],
    ]);

    await advance("2027-04-10T00:00:00Z");
    await usage(ctx, calls.meter.code, customerId, [
      { at: "2027-04-01T06:00:00Z", properties: { calls: 5000 } }, // before the add-on: not billed
      { at: "2027-04-02T00:00:00Z", properties: { calls: 900 } },
      { at: "2027-04-09T12:00:00Z", properties: { calls: 600 } },
    ]);
    await advance(CHANGE_AT);

    const request = { subscriptionId: subscription.id, priceId: pro.priceId, quantity: 1 };
    const preview = await previewPlanChange(ctx, customerId, request);
    expect(preview).toMatchObject({ kind: "upgrade", effective: "now" });
    expect(preview.addOns.map((a) => a.price.id)).toEqual([calls.priceId]);
    // Only the plan is prorated: the kept add-on's usage is not billed now (it goes on measuring).
    // 1000 × 360/721 = 499.3 → 499 back; 2900 × 360/721 = 1447.99 → 1448 charged.
    expect(preview.lines.map((l) => [l.description.split(" after ")[0], l.amount, l.proration, l.priceId])).toEqual([
      ["Unused time on Starter", -499, true, starter.priceId],
      ["Remaining time on Pro", 1448, true, pro.priceId],
    ]);
    expect(preview.amountDueNow).toBe(949);
    // The next invoice the preview promises: Pro in advance, and the whole period's calls so far.
    expect(preview.next?.invoice.lines.map((l) => [l.description, l.amount])).toEqual([
      ["Pro", 2900],
      ["API calls usage", 100],
    ]);

    const { invoice, kind } = await applyPlanChange(ctx, customerId, { ...request, prorationDate: preview.prorationDate, expectedAmountDue: preview.amountDueNow });
    expect(kind).toBe("upgrade");
    expect(invoice).toMatchObject({ billingReason: "subscription_update", status: "paid", amountDue: 949, amountPaid: 949 });
    const charged = (await invoicesOf(subscription.id)).at(-1);
    expect(charged?.lines.map((l) => [l.description, l.amount])).toEqual(preview.invoiceNow?.lines.map((l) => [l.description, l.amount]));

    // Items after: Pro in Starter's place; API calls kept with its price, quantity and usage_from.
    const after = await itemRows();
    expect(after.map((i) => [i.position, i.priceId, i.quantity])).toEqual([
      [0, pro.priceId, 1],
      [1, calls.priceId, 1],
    ]);
    expect(after[1]?.usageFrom?.toISOString()).toBe(ADD_ON_AT);

    // Calls after the change add to those before it (from the add-on's usage_from): 1,500 + 700 = 2,200 → 1,200 × 0.2 = 240, one line.
    await advance("2027-04-21T00:00:00Z");
    await usage(ctx, calls.meter.code, customerId, [{ at: "2027-04-20T00:00:00Z", properties: { calls: 700 } }], 3);
    await advance("2027-05-01T00:00:01Z");
    const renewal = (await invoicesOf(subscription.id)).at(-1);
    expect(renewal && invoiceView(renewal)).toMatchObject({
      billingReason: "subscription_cycle",
      lines: [
        { description: "Pro", amount: 2900, proration: false },
        { description: "API calls usage", amount: 240, quantity: 2200, periodStart: ADD_ON_AT, periodEnd: "2027-05-01T00:00:00.000Z" },
      ],
    });
  });

  it("a plan on another interval than the add-on is refused with the reason, and nothing changes", async () => {
    const { ctx, customerId, advance, subscription, itemRows } = await starterWithApiCalls();
    const annual = await makePlan(ctx.db, { code: "annual", name: "Pro (annual)", interval: "year", unitAmount: 29000 });
    await advance("2027-04-05T00:00:00Z");
    await expect(previewPlanChange(ctx, customerId, { subscriptionId: subscription.id, priceId: annual.priceId, quantity: 1 })).rejects.toMatchObject({
      code: "validation_failed",
      param: "priceId",
      userMessage: expect.stringContaining("add-on is billed every month, so your plan must be too"),
    });
    expect((await itemRows()).length).toBe(2);
  });

  it("a subscription with several licensed items is still refused, with the reason", async () => {
    const env = await clockCustomer(START);
    const starter = await makePlan(env.ctx.db, { code: "starter", name: "Starter", unitAmount: 1000 });
    const support = await makePlan(env.ctx.db, { code: "support", name: "Priority support", unitAmount: 500 });
    const pro = await makePlan(env.ctx.db, { code: "pro", name: "Pro", unitAmount: 2900 });
    const { subscription } = await createSubscription(env.ctx, { customerId: env.customerId, items: [{ priceId: starter.priceId, quantity: 1 }, { priceId: support.priceId, quantity: 1 }] });
    const request = { subscriptionId: subscription.id, priceId: pro.priceId, quantity: 1 };
    await expect(previewPlanChange(env.ctx, env.customerId, request)).rejects.toMatchObject({
      code: "conflict",
      userMessage: "This subscription combines several plans, so its plan can't be swapped for another in one step. Please contact support to change it.",
    });
    await expect(applyPlanChange(env.ctx, env.customerId, { ...request, prorationDate: START, expectedAmountDue: 0 })).rejects.toMatchObject({ code: "conflict" });
    expect(await invoicesOf(subscription.id)).toHaveLength(1);
  });
});
