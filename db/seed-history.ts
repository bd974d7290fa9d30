import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "./client";
import { outboxEvents, plans, prices, subscriptions } from "./schema";
import { systemActor } from "@/lib/actor";
import { seededRandom } from "@/lib/seeded-random";
import { DAY_MS } from "@/lib/time";
import { recordFxRate } from "@/lib/services/api-costs/fx";
import { runDueSubscriptions, selectDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { createCoupon } from "@/lib/services/discounts/create-coupon";
import { runDunning } from "@/lib/services/dunning/run-dunning";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { retryDuePayments } from "@/lib/services/payments/retries/retry-due-payments";
import { cancelSubscription } from "@/lib/services/subscriptions/cancel-subscription";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { pauseSubscription } from "@/lib/services/subscriptions/pause-subscription";
import { updateSubscription } from "@/lib/services/subscriptions/update-subscription";
import type { ServiceContext } from "@/lib/services/context";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";

/** The demo business's history: how long, and the hour of the day (UTC) everything in it happens. */
export const DEMO_HISTORY = { months: 18, hourUtc: 2 } as const;

/** The days of the month customers sign up on. */
const SIGN_UP_DAYS = new Set([1, 5, 9, 13, 17, 21, 25]);
/** From a card starting to fail to the end of dunning: the next monthly renewal, the retries (to day 14) and every dunning stage (to day 14). */
const FAILING_DAYS = 47;

type PlanCode = "starter" | "pro" | "starter-annual";
type Currency = "aud" | "usd";

const FIRST = ["Ava", "Noah", "Mia", "Leo", "Isla", "Jack", "Zoe", "Liam", "Ruby", "Oscar", "Chloe", "Ethan", "Grace", "Lucas", "Harper", "Henry", "Ella", "Kai", "Ivy", "Finn"];
const LAST = ["Nguyen", "Smith", "Patel", "Brown", "Wilson", "Chen", "Taylor", "Kelly", "Martin", "Singh", "Walker", "Lopez", "Clarke", "Young", "Hughes", "Reid", "Murphy", "Park", "Evans", "Khan"];

/**
 * Eighteen months of a small SaaS, simulated through the engine so every figure is real: a few
 * hundred customers sign up (more each month), in AUD or USD, on Starter, Pro (some after its
 * 14-day trial, some with seats) or Starter annual, some with the launch coupon; then they upgrade,
 * add seats, downgrade at their period end, pause for a month, have a card start failing (most put
 * a working card in, the rest run out of retries and dunning ends them), cancel (mostly at their
 * period end) and some come back. Each day of the history, at 02:00 UTC, runs what the jobs run —
 * the batched billing run (renewals, trial ends, scheduled changes, resumes), the payment retries
 * and dunning — in that day's time, then that day's customer actions through the services. So the
 * invoices, payments, credit notes, MRR movements, revenue schedules and journals all come from the
 * write path; nothing is inserted by hand. Reproducible from the seed (the plan of who does what
 * when); ids and the sandbox's card details are random.
 *
 * Afterwards the outbox events of the history are marked delivered: they happened before the
 * install did, so no email or webhook goes out for them. Their MRR refreshes are what seedDemo's
 * rebuild does at its end, once for every customer.
 */
export async function seedDemoHistory(db: Db, now: Date, opts: { seed?: number; months?: number } = {}): Promise<{ customers: number; days: number }> {
  const random = seededRandom(opts.seed ?? 18);
  const chance = (p: number) => random() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const first = new Date(today);
  first.setUTCMonth(first.getUTCMonth() - (opts.months ?? DEMO_HISTORY.months));
  const startDay = first.getTime();
  const days = Math.round((today - startDay) / DAY_MS);
  const instant = (day: number) => new Date(startDay + day * DAY_MS + DEMO_HISTORY.hourUtc * 3_600_000);
  const at = (t: Date): ServiceContext => ({ db, actor: systemActor("seed"), now: t });

  const priceIds = await demoPriceIds(db);
  const priceOf = (plan: PlanCode, currency: Currency) => {
    const id = priceIds.get(`${plan}:${currency}`);
    if (!id) throw new Error(`the demo has no ${plan} price in ${currency}`);
    return id;
  };
  const coupon = await createCoupon(at(instant(0)), { name: "Launch: 20% off for 3 months", percentOff: 20, duration: "repeating", durationInPeriods: 3 });

  // USD→AUD for every week of the history (the API-cost seed records the last weeks day by day):
  // the reporting currency's rate of the day is the latest on or before it.
  for (let day = 0; day < days - 21; day += 7) {
    const date = new Date(startDay + day * DAY_MS).toISOString().slice(0, 10);
    await recordFxRate(at(instant(day)), { base: "usd", quote: "aud", rate: (1.52 + 0.05 * Math.sin(day / 40)).toFixed(4), date });
  }

  // The agenda: what each day brings, in the order it was planned.
  const agenda = new Map<number, ((t: Date) => Promise<void>)[]>();
  const plan = (day: number, action: (t: Date) => Promise<void>) => {
    if (day > days || instant(day) > now) return;
    agenda.set(day, [...(agenda.get(day) ?? []), action]);
  };
  const statusOf = async (id: string): Promise<SubscriptionStatus | null> => (await db.select({ status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, id)))[0]?.status ?? null;
  const whenStatus = (id: () => string | null, allowed: readonly SubscriptionStatus[], action: (t: Date, id: string) => Promise<unknown>) => async (t: Date) => {
    const sub = id();
    if (sub && allowed.includes((await statusOf(sub)) ?? "canceled")) await action(t, sub);
  };

  let n = 0;
  let created = 0;
  // The days a card is failing or its customer is in retries and dunning: only then are they run.
  const failing = new Uint8Array(days + 1);
  const signUp = (day: number) => {
    const k = n++;
    const currency: Currency = chance(0.62) ? "aud" : "usd";
    const roll = random();
    const planCode: PlanCode = currency === "aud" && roll < 0.15 ? "starter-annual" : roll < 0.6 ? "starter" : "pro";
    const trial = planCode === "pro" && chance(0.6);
    const seats = planCode === "pro" && chance(0.3) ? between(2, 4) : 1;
    const withCoupon = planCode !== "starter-annual" && chance(0.15);
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    const state = { customerId: "", subscriptionId: null as string | null, plan: planCode, seats };
    const sub = () => state.subscriptionId;
    const item = (p: PlanCode, quantity: number) => [{ priceId: priceOf(p, currency), quantity }];

    plan(day, async (t) => {
      const customer = await createCustomer(at(t), {
        email: `${name.toLowerCase().replace(" ", ".")}.${k + 1}@example.com`,
        name,
        currency,
        address: currency === "aud" ? { country: "AU" } : { country: "US" },
        metadata: { demo: "history" },
      });
      state.customerId = customer.id;
      created += 1;
      await attachPaymentMethod(at(t), { customerId: customer.id, token: chance(0.5) ? "pm_card_visa" : "pm_card_mastercard" });
      const first = await createSubscription(at(t), { customerId: customer.id, items: item(planCode, seats), trialPeriodDays: planCode === "pro" && !trial ? 0 : undefined, couponId: withCoupon ? coupon.id : null });
      state.subscriptionId = first.subscription.id;
    });

    // A trial not taken up: canceled before it converts.
    if (trial && chance(0.3)) {
      plan(day + between(3, 12), whenStatus(sub, ["trialing"], (t, id) => cancelSubscription(at(t), id, { atPeriodEnd: false, reason: "trial not converted" })));
      return;
    }
    let life = day;
    if (planCode !== "starter-annual") {
      if (planCode === "starter" && chance(0.22)) {
        life += between(25, 240);
        plan(life, whenStatus(sub, ["active"], (t, id) => updateSubscription(at(t), id, { items: item("pro", 1), prorationBehavior: "always_invoice", effective: "now" })));
        state.plan = "pro";
      }
      if (state.plan === "pro" && chance(0.2)) {
        life += between(20, 200);
        plan(life, whenStatus(sub, ["active"], (t, id) => updateSubscription(at(t), id, { items: item("pro", state.seats + 1), prorationBehavior: "always_invoice", effective: "now" })));
      }
      if (state.plan === "pro" && chance(0.12)) {
        life += between(20, 150);
        plan(life, whenStatus(sub, ["active"], (t, id) => updateSubscription(at(t), id, { items: item("starter", 1), prorationBehavior: "none", effective: "period_end" })));
      }
      if (chance(0.05)) {
        const from = life + between(15, 200);
        plan(from, whenStatus(sub, ["active"], (t, id) => pauseSubscription(at(t), id, { resumesAt: new Date(t.getTime() + between(20, 45) * DAY_MS) })));
      }
    }
    // A card that starts failing; most customers put a working one in after the first failures.
    if (planCode !== "starter-annual" && chance(0.14)) {
      const from = day + between(20, 400);
      plan(from, whenStatus(sub, ["active", "trialing"], (t) => attachPaymentMethod(at(t), { customerId: state.customerId, token: "pm_card_chargeCustomerFail", makeDefault: true })));
      failing.fill(1, from, Math.min(from + FAILING_DAYS, days) + 1);
      if (chance(0.7)) {
        plan(from + between(33, 45), whenStatus(sub, ["past_due", "active"], (t) => attachPaymentMethod(at(t), { customerId: state.customerId, token: "pm_card_visa", makeDefault: true })));
      }
    }
    // Churn about 3.5% a month; a third of those who leave come back on Starter some months later.
    const churnDay = day + Math.ceil((-Math.log(1 - random()) / 0.035) * 30.4);
    const atPeriodEnd = chance(0.8);
    plan(churnDay, whenStatus(sub, ["active", "past_due", "trialing"], (t, id) => cancelSubscription(at(t), id, { atPeriodEnd, reason: pick(["too expensive", "missing features", "switched service", "no longer needed"]) })));
    if (chance(0.35)) {
      plan(churnDay + between(45, 160), async (t) => {
        const status = state.subscriptionId ? await statusOf(state.subscriptionId) : null;
        if (status !== "canceled") return;
        const again = await createSubscription(at(t), { customerId: state.customerId, items: item("starter", 1) });
        state.subscriptionId = again.subscription.id;
      });
    }
  };

  // More sign-ups as the business grows: about 0.15 a day at the start, 0.65 at the end. They start on
  // seven days of the month, so renewals fall on those days and the billing run bills them in batches.
  for (let day = 0; day <= days; day += 1) {
    if (!SIGN_UP_DAYS.has(new Date(startDay + day * DAY_MS).getUTCDate())) continue;
    const rate = (0.15 + (0.5 * day) / days) * (30.4 / SIGN_UP_DAYS.size);
    const count = Math.floor(rate + random());
    for (let i = 0; i < count; i += 1) signUp(day);
  }

  let simulated = 0;
  for (let day = 0; day <= days; day += 1) {
    const t = instant(day);
    if (t > now) break;
    simulated += 1;
    if ((await selectDueSubscriptions(db, t, { limit: 1 })).length > 0) {
      const billed = await runDueSubscriptions(db, t, 100_000, { workers: 1 });
      if (billed.failed[0]) throw new Error(`demo history: billing ${billed.failed[0].subscription} failed: ${billed.failed[0].error}`);
    }
    // Retries and dunning only while a card is failing (or a customer it failed is still in dunning).
    if (failing[day]) {
      await retryDuePayments(db, t);
        await runDunning(db, t);
    }
    for (const action of agenda.get(day) ?? []) await action(t);
  }

  await db.update(outboxEvents).set({ dispatchedAt: now }).where(and(isNull(outboxEvents.dispatchedAt), lt(outboxEvents.createdAt, now)));
  return { customers: created, days: simulated };
}

async function demoPriceIds(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ code: plans.code, currency: prices.currency, id: prices.id }).from(prices).innerJoin(plans, eq(plans.id, prices.planId)).where(eq(prices.active, true));
  return new Map(rows.map((r) => [`${r.code}:${r.currency}`, r.id]));
}
