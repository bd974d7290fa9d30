import { asc, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { mrrMovements } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { dispatchOutbox } from "@/lib/events/outbox";
import { mrrSeries, rebuildMrr } from "@/lib/services/analytics/mrr";
import { createCoupon } from "@/lib/services/discounts/create-coupon";
import { outboxHandler } from "@/lib/services/notifications/handle-outbox-event";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription, resumeSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import { updateCustomer } from "@/lib/services/customers/update-customer";
import { recordFxRate } from "@/lib/services/api-costs/fx";
import { makePlan } from "../factories";
import { clockCustomer, statusHistory, subscriptionRow } from "../scenarios/support";

/**
 * A crafted history, every customer on its own test clock in UTC from 1 Jan 2027, prices
 * tax-exclusive unless said (exclusive tax is never MRR), each movement in minor units:
 *
 *   A  Starter 1000/month                      1 Jan  new          +1000  → 1000
 *      upgrade to Pro 3000 now (prorated)     10 Jan  expansion    +2000  → 3000
 *      downgrade to Starter now (prorated)    15 Feb  contraction  −2000  → 1000
 *      cancel now                              5 Mar  churn        −1000  → 0
 *      a new Starter subscription              1 Apr  reactivation +1000  → 1000
 *   B  annual 12000 incl. GST (1091 tax)       1 Jan  new           +909  = (12000 − 1091) / 12 = 909.08 → 909
 *   C  2000/month, 25 % off forever            1 Jan  new          +1500
 *   D  1000/month after a 14-day trial        15 Jan  new          +1000  (0 while trialing)
 *   E  1000/month, paused 20 Jan, resumed 3 Feb: 1 Jan new +1000, 20 Jan churn −1000, 3 Feb reactivation +1000
 *   F  1000/month, renewal on 1 Feb fails: past_due still counts (no movement) until the last retry
 *      fails on 15 Feb (unpaid): churn −1000; canceling it on 20 Feb moves nothing
 *   G  Starter 1000/month, upgraded to Pro on 10 Jan with create_prorations: nothing is billed until
 *      the 1 Feb renewal, so on 20 Jan G has only its new +1000; the renewal carries the proration
 *      lines for [10 Jan, 1 Feb) and its refresh dates the expansion +2000 on 10 Jan
 *   H  Starter 1000/month in AUD from 1 Jan; on 15 Feb it is canceled, the customer moves to USD and
 *      takes Starter at US$700/month: AUD 15 Feb churn −1000 → 0, USD 15 Feb new +700 → 700 (two
 *      series, one per currency: the old currency's MRR churns and the new one's starts; the
 *      US$700 renewals on 15 Mar and 15 Apr move nothing)
 */
const START = new Date("2027-01-01T00:00:00Z");

async function craftHistory() {
  const a = await clockCustomer(START, { timezone: "UTC" });
  const db = a.ctx.db;
  const starter = await makePlan(db, { code: "starter", unitAmount: 1000, taxBehavior: "exclusive" });
  const pro = await makePlan(db, { code: "pro", unitAmount: 3000, taxBehavior: "exclusive" });
  const annual = await makePlan(db, { code: "annual", unitAmount: 12000, interval: "year" });
  const team = await makePlan(db, { code: "team", unitAmount: 2000, taxBehavior: "exclusive" });
  const trial = await makePlan(db, { code: "trial", unitAmount: 1000, taxBehavior: "exclusive", trialDays: 14 });
  const starterUsd = await makePlan(db, { code: "starter-usd", unitAmount: 700, taxBehavior: "exclusive", currency: "usd" });
  const b = await clockCustomer(START, { timezone: "UTC" });
  const c = await clockCustomer(START, { timezone: "UTC" });
  const d = await clockCustomer(START, { timezone: "UTC" });
  const e = await clockCustomer(START, { timezone: "UTC" });
  const f = await clockCustomer(START, { timezone: "UTC" });
  const g = await clockCustomer(START, { timezone: "UTC" });
  const h = await clockCustomer(START, { timezone: "UTC" });
  const item = (priceId: string) => ({ items: [{ priceId, quantity: 1 }] });

  const subA = (await createSubscription(a.ctx, { customerId: a.customerId, ...item(starter.priceId) })).subscription;
  await createSubscription(b.ctx, { customerId: b.customerId, ...item(annual.priceId) });
  const coupon = await createCoupon(c.ctx, { name: "Quarter off", percentOff: 25, duration: "forever" });
  await createSubscription(c.ctx, { customerId: c.customerId, ...item(team.priceId), couponId: coupon.id });
  await createSubscription(d.ctx, { customerId: d.customerId, ...item(trial.priceId) });
  const subE = (await createSubscription(e.ctx, { customerId: e.customerId, ...item(starter.priceId) })).subscription;
  const subF = (await createSubscription(f.ctx, { customerId: f.customerId, ...item(starter.priceId) })).subscription;
  await attachPaymentMethod(f.ctx, { customerId: f.customerId, token: "pm_card_chargeCustomerFail", makeDefault: true });
  const subG = (await createSubscription(g.ctx, { customerId: g.customerId, ...item(starter.priceId) })).subscription;
  const subH = (await createSubscription(h.ctx, { customerId: h.customerId, ...item(starter.priceId) })).subscription;

  const all = [a, b, c, d, e, f, g, h];
  const advanceAll = async (to: string) => {
    for (const x of all) await x.advance(to);
  };
  await advanceAll("2027-01-10T12:00:00Z");
  await updateSubscription(a.ctx, subA.id, { items: [{ priceId: pro.priceId, quantity: 1 }], prorationBehavior: "always_invoice", effective: "now" });
  await updateSubscription(g.ctx, subG.id, { items: [{ priceId: pro.priceId, quantity: 1 }], prorationBehavior: "create_prorations", effective: "now" });
  await advanceAll("2027-01-20T09:00:00Z");
  await drain(db);
  expect((await movementsOf([g.customerId])).get(g.customerId)).toEqual([["2027-01-01", "new", 1000, 1000]]);
  await pauseSubscription(e.ctx, subE.id, {});
  await advanceAll("2027-02-03T09:00:00Z");
  await resumeSubscription(e.ctx, subE.id);
  expect((await subscriptionRow(subF.id)).status).toBe("past_due");
  await advanceAll("2027-02-15T09:00:00Z");
  // The last retry failed: unpaid, which ends F's MRR (past_due counted until then).
  expect(await statusHistory(subF.id)).toEqual(["∅→incomplete", "incomplete→active", "active→past_due", "past_due→unpaid"]);
  await updateSubscription(a.ctx, subA.id, { items: [{ priceId: starter.priceId, quantity: 1 }], prorationBehavior: "always_invoice", effective: "now" });
  // H: a currency change is a new subscription in the new currency, once the old one has ended.
  await expect(updateCustomer(h.ctx, h.customerId, { currency: "usd" })).rejects.toThrow(/only between subscriptions/);
  await cancelSubscription(h.ctx, subH.id, { atPeriodEnd: false });
  await updateCustomer(h.ctx, h.customerId, { currency: "usd" });
  await createSubscription(h.ctx, { customerId: h.customerId, ...item(starterUsd.priceId) });
  await advanceAll("2027-02-20T09:00:00Z");
  await cancelSubscription(f.ctx, subF.id, { atPeriodEnd: false });
  await advanceAll("2027-03-05T09:00:00Z");
  await cancelSubscription(a.ctx, subA.id, { atPeriodEnd: false });
  await advanceAll("2027-04-01T09:00:00Z");
  await createSubscription(a.ctx, { customerId: a.customerId, ...item(starter.priceId) });
  await advanceAll("2027-04-10T00:00:00Z");
  return { db, ids: all.map((x) => x.customerId) };
}

/** The write path: each subscription and invoice event refreshes its customer. */
async function drain(db: Db): Promise<void> {
  while ((await dispatchOutbox(db, outboxHandler(db))) > 0) {
    // until every event is handled
  }
}

type Row = [string, string, number, number];
/** Each customer's movements, day by day; in a currency other than AUD the row ends with its currency. */
async function movementsOf(ids: string[]): Promise<Map<string, (Row | [...Row, string])[]>> {
  const db = await getDb();
  const rows = await db.select().from(mrrMovements).where(inArray(mrrMovements.customerId, ids)).orderBy(asc(mrrMovements.customerId), asc(mrrMovements.day), asc(mrrMovements.currency));
  const out = new Map<string, (Row | [...Row, string])[]>(ids.map((id) => [id, []]));
  for (const r of rows) out.get(r.customerId)!.push(r.currency === "aud" ? [r.day, r.kind, r.delta, r.mrr] : [r.day, r.kind, r.delta, r.mrr, r.currency]);
  return out;
}

describe("MRR movements of a crafted history", () => {
  it("records every movement in minor units, the same from the write path and from a rebuild", async () => {
    const { db, ids } = await craftHistory();
    await drain(db);
    const incremental = await movementsOf(ids);
    const [a, b, c, d, e, f, g, h] = ids.map((id) => incremental.get(id));
    expect(a).toEqual([
      ["2027-01-01", "new", 1000, 1000],
      ["2027-01-10", "expansion", 2000, 3000],
      ["2027-02-15", "contraction", -2000, 1000],
      ["2027-03-05", "churn", -1000, 0],
      ["2027-04-01", "reactivation", 1000, 1000],
    ]);
    expect(b).toEqual([["2027-01-01", "new", 909, 909]]);
    expect(c).toEqual([["2027-01-01", "new", 1500, 1500]]);
    expect(d).toEqual([["2027-01-15", "new", 1000, 1000]]);
    expect(e).toEqual([
      ["2027-01-01", "new", 1000, 1000],
      ["2027-01-20", "churn", -1000, 0],
      ["2027-02-03", "reactivation", 1000, 1000],
    ]);
    expect(f).toEqual([
      ["2027-01-01", "new", 1000, 1000],
      ["2027-02-15", "churn", -1000, 0],
    ]);
    expect(g).toEqual([
      ["2027-01-01", "new", 1000, 1000],
      ["2027-01-10", "expansion", 2000, 3000],
    ]);
    expect(h).toEqual([
      ["2027-01-01", "new", 1000, 1000],
      ["2027-02-15", "churn", -1000, 0],
      ["2027-02-15", "new", 700, 700, "usd"],
    ]);

    await rebuildMrr(db);
    expect(await movementsOf(ids)).toEqual(incremental);

    // The series in AUD converts H's dollars at the rate of each month's last day.
    await recordFxRate({ db, actor: systemActor("test"), now: new Date() }, { base: "usd", quote: "aud", rate: "1.5", date: "2026-12-31" });
    // The series: movements summed by month, MRR at each month's last day (other files' customers may add to it: compare differences).
    const series = await mrrSeries({ db, actor: systemActor("test"), now: new Date() }, { from: "2027-01-01", to: "2027-04-30", interval: "month", currency: "aud" });
    expect(series.currency).toBe("aud");
    expect(series.data.map((p) => p.date)).toEqual(["2027-01-01", "2027-02-01", "2027-03-01", "2027-04-01"]);
    for (const [i, p] of series.data.entries()) {
      const before = i === 0 ? series.data[0]!.mrr - (p.new + p.expansion + p.contraction + p.churn + p.reactivation) : series.data[i - 1]!.mrr;
      expect(p.mrr - before).toBe(p.new + p.expansion + p.contraction + p.churn + p.reactivation);
    }
  });
});
