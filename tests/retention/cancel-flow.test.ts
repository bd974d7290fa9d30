import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { outcomeCounts } from "@/db/queries/retention";
import { coupons, outboxEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { acceptCheaperPlanOffer, acceptDiscountOffer, acceptPauseOffer, acceptSupportOffer, confirmCancellation } from "@/lib/services/retention/decide";
import { offerConfigs, updateRetentionOffer } from "@/lib/services/retention/offers";
import { defaultOffers } from "@/lib/billing/retention/offer-policy";
import { startCancellation } from "@/lib/services/retention/start-cancellation";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { ctxAt, invoicesOf, subscriptionRow } from "../scenarios/support";
import { attemptRow, auditActions, DAY_MS, JUL1, makeTiers, START, subscriber } from "./support";

let tiers: Awaited<ReturnType<typeof makeTiers>>;

beforeAll(async () => {
  tiers = await makeTiers();
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("retention offers: configuration", () => {
  it("uses the documented defaults until staff configure a reason, then the staff's offer, audited before/after", async () => {
    const ctx = await ctxAt();
    const before = await offerConfigs(ctx.db);
    expect(before.map((c) => [c.reason, c.offer, c.isDefault])).toEqual(Object.entries(defaultOffers).map(([reason, offer]) => [reason, offer, true]));

    const error = await rejection(updateRetentionOffer(ctx, "technical_issues", { offer: { kind: "discount", percent: 0, months: 3 }, enabled: true }));
    expect(error.param).toBe("percent");
    expect((await rejection(updateRetentionOffer(ctx, "technical_issues", { offer: { kind: "pause", maxMonths: 4 }, enabled: true }))).param).toBe("maxMonths");
    expect((await rejection(updateRetentionOffer(ctx, "technical_issues", { offer: { kind: "discount", percent: 20, months: 13 }, enabled: true }))).param).toBe("months");
    expect((await rejection(updateRetentionOffer(ctx, "technical_issues", { offer: { kind: "contact_support", message: "Hi", url: "javascript:alert(1)" }, enabled: true }))).param).toBe("url");

    const saved = await updateRetentionOffer(ctx, "technical_issues", { offer: { kind: "contact_support", message: "Write to us.", url: "mailto:help@example.com" }, enabled: true });
    expect(saved).toMatchObject({ isDefault: false, enabled: true });
    const after = await offerConfigs(ctx.db);
    expect(after.find((c) => c.reason === "technical_issues")).toMatchObject({ offer: { kind: "contact_support", url: "mailto:help@example.com" }, isDefault: false });
    expect(await auditActions("technical_issues")).toEqual(["retention_offer.updated"]);
  });
});

describe("retention: each outcome, in one transaction with the subscription change", () => {
  it("too expensive → 25% for 3 months: the coupon goes on the subscription and the next invoice is discounted; a second subscriber reuses the coupon", async () => {
    const { ctx, customerId, subscription, advance } = await subscriber(tiers.starter.priceId);
    const attempt = await startCancellation(ctx, { customerId, subscriptionId: subscription.id, reason: "too_expensive" });
    expect(attempt.offer).toEqual({ terms: { kind: "discount", percent: 25, months: 3 }, periods: 3 });
    expect(attempt.offerWithheld).toBeNull();

    const { attempt: decided } = await acceptDiscountOffer(ctx, customerId, attempt.id);
    expect(decided).toMatchObject({ outcome: "accepted_discount", effectiveAt: JUL1 });
    const [coupon] = await ctx.db.select().from(coupons).where(eq(coupons.id, decided.couponId!));
    expect(coupon).toMatchObject({ name: "Retention 25% × 3 months", percentOffBps: 2500, duration: "repeating", durationInPeriods: 3, timesRedeemed: 1, livemode: false });
    expect((await subscriptionRow(subscription.id)).couponId).toBe(coupon!.id);

    const upcoming = await upcomingInvoice(ctx, subscription.id);
    expect(upcoming.date).toEqual(JUL1);
    expect(upcoming.invoice.discountTotal).toBe(250);
    expect(upcoming.invoice.total).toBe(750);
    await advance(new Date(JUL1.getTime() + DAY_MS));
    const renewal = (await invoicesOf(subscription.id)).at(-1)!;
    expect(renewal).toMatchObject({ billingReason: "subscription_cycle", discountTotal: 250, total: 750, status: "paid" });

    expect(await auditActions(subscription.id)).toEqual(expect.arrayContaining(["retention.cancel_started", "subscription.discount_applied", "retention.accepted_discount"]));
    const events = await ctx.db.select().from(outboxEvents).where(and(eq(outboxEvents.entityId, subscription.id), eq(outboxEvents.type, "retention.outcome_recorded")));
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ outcome: "accepted_discount", reason: "too_expensive" })]);

    // Another subscriber accepting the same offer gets the same coupon.
    const other = await subscriber(tiers.starter.priceId);
    const second = await startCancellation(other.ctx, { customerId: other.customerId, subscriptionId: other.subscription.id, reason: "switching" });
    const { attempt: secondDecided } = await acceptDiscountOffer(other.ctx, other.customerId, second.id);
    expect(secondDecided.couponId).toBe(coupon!.id);
    const [reused] = await ctx.db.select().from(coupons).where(eq(coupons.id, coupon!.id));
    expect(reused!.timesRedeemed).toBe(2);
  });

  it("a discount is not offered to the same subscription twice within 12 months, nor on top of a discount; the earlier open attempt is abandoned", async () => {
    const { ctx, customerId, subscription } = await subscriber(tiers.starter.priceId);
    const first = await startCancellation(ctx, { customerId, subscriptionId: subscription.id, reason: "too_expensive" });
    expect(first.offer?.terms.kind).toBe("discount");
    const again = await startCancellation(ctx, { customerId, subscriptionId: subscription.id, reason: "switching" });
    expect(again).toMatchObject({ offer: null, offerWithheld: "discount_shown_recently" });
    expect((await attemptRow(first.id)).outcome).toBe("abandoned");
    // Deciding the abandoned attempt is refused.
    expect((await rejection(acceptDiscountOffer(ctx, customerId, first.id))).code).toBe("conflict");
    // The open one can still be confirmed: no offer was shown, so nothing was declined.
    const { attempt: canceled } = await confirmCancellation(ctx, customerId, again.id);
    expect(canceled.outcome).toBe("canceled");
  });

  it("not using it → pause for 2 months: paused, resuming on the same local day two months later (as the portal's own pause does); a longer pause than offered is refused and changes nothing", async () => {
    const { ctx, customerId, subscription } = await subscriber(tiers.starter.priceId);
    const attempt = await startCancellation(ctx, { customerId, subscriptionId: subscription.id, reason: "not_using" });
    expect(attempt.offer).toEqual({ terms: { kind: "pause", maxMonths: 3 } });

    expect((await rejection(acceptPauseOffer(ctx, customerId, attempt.id, 4))).param).toBe("months");
    expect((await attemptRow(attempt.id)).outcome).toBeNull();
    expect((await subscriptionRow(subscription.id)).status).toBe("active");

    const now = new Date(START.getTime() + 9 * DAY_MS);
    const { attempt: decided, subscription: paused } = await acceptPauseOffer(ctx, customerId, attempt.id, 2);
    expect(paused).toMatchObject({ status: "paused" });
    // 10 June 09:00 in Sydney → 10 August 09:00.
    const resumes = new Date("2027-08-09T23:00:00.000Z");
    expect(paused!.pauseResumesAt).toEqual(resumes);
    expect(decided).toMatchObject({ outcome: "paused", effectiveAt: resumes, decidedAt: now });
    expect(await auditActions(subscription.id)).toEqual(expect.arrayContaining(["subscription.paused", "retention.paused"]));
    // Deciding twice (a double submit) is refused.
    expect((await rejection(acceptPauseOffer(ctx, customerId, attempt.id, 2))).code).toBe("conflict");
  });

  it("declining the offer cancels at the period end: active until 1 Jul, then canceled; the reason is kept on the subscription", async () => {
    const { ctx, customerId, subscription, advance } = await subscriber(tiers.starter.priceId);
    const attempt = await startCancellation(ctx, { customerId, subscriptionId: subscription.id, reason: "other", reasonText: "Company closed" });
    expect(attempt).toMatchObject({ offer: null, offerWithheld: null, reasonText: "Company closed" });
    const { attempt: decided, subscription: scheduled } = await confirmCancellation(ctx, customerId, attempt.id);
    expect(decided).toMatchObject({ outcome: "canceled", effectiveAt: JUL1 });
    expect(scheduled).toMatchObject({ status: "active", cancelAtPeriodEnd: true, cancellationReason: "other: Company closed" });
    await advance(new Date(JUL1.getTime() + DAY_MS));
    expect((await subscriptionRow(subscription.id)).status).toBe("canceled");
    expect((await invoicesOf(subscription.id)).length).toBe(1);
  });

  it("cheaper plan (next cheaper of the same product): Pro → Starter scheduled for the period end, no charge now", async () => {
    const { ctx, customerId, subscription } = await subscriber(tiers.pro.priceId);
    await updateRetentionOffer(ctx, "switching", { offer: { kind: "cheaper_plan", planId: null }, enabled: true });
    const attempt = await startCancellation(ctx, { customerId, subscriptionId: subscription.id, reason: "switching" });
    expect(attempt.offer).toMatchObject({ terms: { kind: "cheaper_plan", planId: null }, plan: { id: tiers.starter.planId, name: "Starter", unitAmount: 1000 } });
    const { attempt: decided, subscription: changed } = await acceptCheaperPlanOffer(ctx, customerId, attempt.id);
    expect(decided).toMatchObject({ outcome: "switched_plan", effectiveAt: JUL1 });
    expect(changed!.pendingChange).toMatchObject({ items: [{ price: tiers.starter.priceId, quantity: 1 }], effective_at: JUL1.toISOString() });
    expect((await invoicesOf(subscription.id)).length).toBe(1);
    // A Starter subscriber has nothing cheaper: the offer is withheld.
    const starter = await subscriber(tiers.starter.priceId);
    const none = await startCancellation(starter.ctx, { customerId: starter.customerId, subscriptionId: starter.subscription.id, reason: "switching" });
    expect(none).toMatchObject({ offer: null, offerWithheld: "no_cheaper_plan" });
    await updateRetentionOffer(ctx, "switching", { offer: defaultOffers.switching, enabled: true });
  });

  it("talk to support: recorded, the subscription is untouched; a disabled offer is withheld", async () => {
    const { ctx, customerId, subscription } = await subscriber(tiers.starter.priceId);
    const attempt = await startCancellation(ctx, { customerId, subscriptionId: subscription.id, reason: "missing_feature" });
    expect(attempt.offer?.terms.kind).toBe("contact_support");
    const { attempt: decided } = await acceptSupportOffer(ctx, customerId, attempt.id);
    expect(decided.outcome).toBe("contacted_support");
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "active", cancelAtPeriodEnd: false });

    await updateRetentionOffer(ctx, "missing_feature", { offer: defaultOffers.missing_feature, enabled: false });
    const again = await startCancellation(ctx, { customerId, subscriptionId: subscription.id, reason: "missing_feature" });
    expect(again).toMatchObject({ offer: null, offerWithheld: "disabled" });
    await updateRetentionOffer(ctx, "missing_feature", { offer: defaultOffers.missing_feature, enabled: true });
  });
});

describe("retention: eligibility and isolation", () => {
  it("only the subscription's own customer can start or decide; 'other' needs a note; paused or scheduled subscriptions cannot start", async () => {
    const a = await subscriber(tiers.starter.priceId);
    const b = await subscriber(tiers.starter.priceId);
    expect((await rejection(startCancellation(b.ctx, { customerId: b.customerId, subscriptionId: a.subscription.id, reason: "too_expensive" }))).code).toBe("not_found");
    expect((await rejection(startCancellation(a.ctx, { customerId: a.customerId, subscriptionId: a.subscription.id, reason: "other", reasonText: "  " }))).param).toBe("reasonText");

    const attempt = await startCancellation(a.ctx, { customerId: a.customerId, subscriptionId: a.subscription.id, reason: "not_using" });
    expect((await rejection(confirmCancellation(b.ctx, b.customerId, attempt.id))).code).toBe("not_found");
    expect((await subscriptionRow(a.subscription.id)).cancelAtPeriodEnd).toBe(false);

    await acceptPauseOffer(a.ctx, a.customerId, attempt.id, 1);
    expect((await rejection(startCancellation(a.ctx, { customerId: a.customerId, subscriptionId: a.subscription.id, reason: "not_using" }))).code).toBe("conflict");

    const scheduled = await startCancellation(b.ctx, { customerId: b.customerId, subscriptionId: b.subscription.id, reason: "other", reasonText: "x" });
    await confirmCancellation(b.ctx, b.customerId, scheduled.id);
    expect((await rejection(startCancellation(b.ctx, { customerId: b.customerId, subscriptionId: b.subscription.id, reason: "other", reasonText: "x" }))).code).toBe("conflict");
  });

  it("a failing subscription change rolls back the coupon, the outcome and its audit entry", async () => {
    const ctx = await ctxAt();
    await updateRetentionOffer(ctx, "too_expensive", { offer: { kind: "discount", percent: 35, months: 2 }, enabled: true });
    const { ctx: c, customerId, subscription } = await subscriber(tiers.starter.priceId);
    const attempt = await startCancellation(c, { customerId, subscriptionId: subscription.id, reason: "too_expensive" });
    // The subscription ends before the offer is accepted (e.g. staff canceled it meanwhile).
    await cancelSubscription(c, subscription.id, { atPeriodEnd: false });
    expect((await rejection(acceptDiscountOffer(c, customerId, attempt.id))).code).toBe("conflict");
    expect((await attemptRow(attempt.id)).outcome).toBeNull();
    const [{ count }] = (await c.db.select({ count: sql<number>`count(*)::int` }).from(coupons).where(sql`${coupons.metadata}->>'retention_offer' = '35x2'`)) as [{ count: number }];
    expect(count).toBe(0);
    expect(await auditActions(subscription.id)).not.toContain("retention.accepted_discount");
    await updateRetentionOffer(ctx, "too_expensive", { offer: defaultOffers.too_expensive, enabled: true });
  });

  it("the outcomes summary counts by reason and outcome, with attempts left open for a day counted as abandoned", async () => {
    const db = await getDb();
    const counts = await outcomeCounts(db, new Date(START.getTime() - DAY_MS), new Date(START.getTime() + 400 * DAY_MS));
    const get = (reason: string, outcome: string | null) => counts.find((c) => c.reason === reason && c.outcome === outcome)?.count ?? 0;
    expect(get("too_expensive", "accepted_discount")).toBe(1);
    expect(get("switching", "accepted_discount")).toBe(1);
    expect(get("switching", "switched_plan")).toBe(1);
    expect(get("not_using", "paused")).toBe(2);
    expect(get("other", "canceled")).toBe(2);
    expect(get("missing_feature", "contacted_support")).toBe(1);
    // Started on day 9 and never decided: abandoned by the window's end.
    expect(get("too_expensive", "abandoned")).toBe(2);
    // Within a day of the window's end an undecided attempt is still in progress.
    const nine = new Date(START.getTime() + 9 * DAY_MS);
    const early = await outcomeCounts(db, new Date(START.getTime() - DAY_MS), new Date(nine.getTime() + 3_600_000));
    expect(early.some((c) => c.outcome === null)).toBe(true);
  });
});
