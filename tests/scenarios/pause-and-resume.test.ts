import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import { subscriptionStatuses } from "@/lib/billing/subscriptions/statuses";
import { pausableStatuses } from "@/lib/billing/subscriptions/state-machine";
import { AppError } from "@/lib/errors";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { balanceLedger, balanceOf, clockCustomer, draftMoney, invoiceMoney, invoiceView, invoicesOf, paymentsOfInvoice, statusHistory, subscriptionRow } from "./support";
import { inBothApplyModes } from "./apply-modes";
import { makePlan } from "../factories";

/**
 * A$30.00 a month, GST-inclusive (3000 / 11 = 272.7 → 273 GST), Sydney (AEST):
 *   period 1 Jun 2027 09:00 AEST (2027-05-31T23:00Z) → 1 Jul (2027-06-30T23:00Z), 30 days
 *   pause on 11 Jun 09:00 AEST (2027-06-10T23:00Z): 20/30 unused → 2000 to the balance
 *
 * With resumes_at 21 Jul 09:00 AEST (2027-07-20T23:00Z): nothing is billed on 1 Jul; on 21 Jul a
 * new period starts (21 Jul → 21 Aug, the new anchor) billed in full, 3000, of which the balance
 * pays 2000 and the card 1000. The 21 Aug renewal is 3000 on the card.
 *
 * Without resumes_at: canceled 90 days after the pause, 9 Sep 09:00 AEST (2027-09-08T23:00Z), with
 * no invoice in between; the 2000 stays on the balance.
 */
const START = new Date("2027-05-31T23:00:00Z");
const PAUSED_AT = "2027-06-10T23:00:00.000Z";

async function pausedSubscription(resumesAt: Date | null) {
  const clock = await clockCustomer(START);
  const { priceId } = await makePlan(clock.ctx.db, { code: "team", name: "Team", unitAmount: 3000 });
  const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
  await clock.advance(PAUSED_AT);
  const { subscription: paused, credited } = await pauseSubscription(clock.ctx, subscription.id, { resumesAt });
  expect(credited).toBe(2000);
  expect(paused.status).toBe("paused");
  expect(paused.pausedAt?.toISOString()).toBe(PAUSED_AT);
  expect(await balanceOf(clock.customerId)).toBe(2000);
  return { ...clock, subscription };
}

const team = (start: string, end: string) => ({ description: "Team", amount: 3000, quantity: 1, proration: false, periodStart: start, periodEnd: end, tax: 273 });
const base = { subtotal: 3000, discountTotal: 0, tax: 273, total: 3000, status: "paid" };

describe("scenario: pause", () => {
  it("with resumes_at: credit at the pause, nothing while paused, a full period from the resume less the balance", inBothApplyModes(async () => {
    const resumesAt = new Date("2027-07-20T23:00:00Z");
    const { ctx, advance, customerId, subscription } = await pausedSubscription(resumesAt);
    expect((await subscriptionRow(subscription.id)).nextDueAt?.toISOString()).toBe(resumesAt.toISOString());

    // Past the old period end and up to an hour before the resume: no invoice.
    await advance("2027-07-20T22:00:00Z");
    expect(await invoicesOf(subscription.id)).toHaveLength(1);
    expect((await subscriptionRow(subscription.id)).status).toBe("paused");
    const upcoming = await upcomingInvoice(ctx, subscription.id);
    expect(upcoming.date.toISOString()).toBe(resumesAt.toISOString());

    await advance("2027-08-22T00:00:00Z");
    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map(invoiceView)).toEqual([
      { ...base, billingReason: "subscription_create", periodStart: START.toISOString(), periodEnd: "2027-06-30T23:00:00.000Z", creditApplied: 0, amountDue: 3000, amountPaid: 3000, lines: [team(START.toISOString(), "2027-06-30T23:00:00.000Z")] },
      { ...base, billingReason: "subscription_cycle", periodStart: "2027-07-20T23:00:00.000Z", periodEnd: "2027-08-20T23:00:00.000Z", creditApplied: 2000, amountDue: 1000, amountPaid: 1000, lines: [team("2027-07-20T23:00:00.000Z", "2027-08-20T23:00:00.000Z")] },
      { ...base, billingReason: "subscription_cycle", periodStart: "2027-08-20T23:00:00.000Z", periodEnd: "2027-09-20T23:00:00.000Z", creditApplied: 0, amountDue: 3000, amountPaid: 3000, lines: [team("2027-08-20T23:00:00.000Z", "2027-09-20T23:00:00.000Z")] },
    ]);
    // R10: the preview seen while paused is the resume invoice, balance included.
    expect(draftMoney(upcoming.invoice)).toEqual(invoiceMoney(invoices[1]!));
    expect((await paymentsOfInvoice(invoices[1]!.id)).map((p) => p.amount)).toEqual([1000]);
    expect((await balanceLedger(customerId)).map((t) => [t.type, t.amount, t.endingBalance])).toEqual([
      ["proration_credit", 2000, 2000],
      ["applied_to_invoice", -2000, 0],
    ]);
    const sub = await subscriptionRow(subscription.id);
    expect(sub).toMatchObject({ status: "active", pausedAt: null, pauseResumesAt: null });
    expect(sub.billingCycleAnchor.toISOString()).toBe("2027-07-20T23:00:00.000Z");
    expect(await statusHistory(subscription.id)).toEqual(["∅→incomplete", "incomplete→active", "active→paused", "paused→active"]);
  }));

  it("without resumes_at: canceled 90 days after the pause, no invoices, the credit stays on the balance", inBothApplyModes(async () => {
    const { ctx, advance, customerId, subscription } = await pausedSubscription(null);
    expect((await subscriptionRow(subscription.id)).nextDueAt?.toISOString()).toBe("2027-09-08T23:00:00.000Z");
    await expect(upcomingInvoice(ctx, subscription.id)).rejects.toBeInstanceOf(AppError);

    await advance("2027-09-08T22:59:00Z");
    expect((await subscriptionRow(subscription.id)).status).toBe("paused");

    await advance("2027-12-01T00:00:00Z");
    const sub = await subscriptionRow(subscription.id);
    expect(sub.status).toBe("canceled");
    expect(sub.endedAt?.toISOString()).toBe("2027-09-08T23:00:00.000Z");
    expect(sub.nextDueAt).toBeNull();
    const invoices = await invoicesOf(subscription.id);
    expect(invoices.map((i) => i.billingReason)).toEqual(["subscription_create"]);
    expect(await balanceOf(customerId)).toBe(2000);
    expect(await statusHistory(subscription.id)).toEqual(["∅→incomplete", "incomplete→active", "active→paused", "paused→canceled"]);
  }));
});

describe("pause is allowed from exactly the statuses the state machine allows", () => {
  it.each(subscriptionStatuses)("a %s subscription", async (status) => {
    const clock = await clockCustomer(START);
    const { priceId } = await makePlan(clock.ctx.db, { code: "team", name: "Team", unitAmount: 3000 });
    const { subscription } = await createSubscription(clock.ctx, { customerId: clock.customerId, items: [{ priceId, quantity: 1 }] });
    await clock.ctx.db.update(subscriptions).set({ status }).where(eq(subscriptions.id, subscription.id));
    const outcome = await pauseSubscription(clock.ctx, subscription.id, { resumesAt: null }).then(
      (r) => r.subscription.status,
      (error: unknown) => (error instanceof AppError ? error.code : error),
    );
    expect(outcome).toBe(pausableStatuses.includes(status) ? "paused" : "conflict");
  });
});
