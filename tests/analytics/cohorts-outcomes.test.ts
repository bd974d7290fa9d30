import { inArray } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { cohortFigures } from "@/db/queries/cohorts";
import { auditLog, cancellationAttempts, invoices, mrrMovements, payments, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import { GET as getCohorts } from "@/app/api/v1/analytics/cohorts/route";
import { GET as getOutcomes } from "@/app/api/v1/analytics/outcomes/route";
import { POST as postFx } from "@/app/api/v1/fx_rates/route";
import { cohortFiguresOf, cohortGrid, type MovementPoint } from "@/lib/analytics/cohorts";
import { newId, randomToken } from "@/lib/ids";
import { cohortReport } from "@/lib/services/analytics/cohorts";
import { outcomesReport } from "@/lib/services/analytics/outcomes";
import { makeCustomer } from "../factories";
import { ctxAt } from "../scenarios/support";
import { newKey } from "../api/support";
import { answer, refusedWith } from "../usage/support";

/**
 * Cohorts in 2051 (a year no other history reaches), test mode, 1 USD = 2 AUD from 1 Jan 2051:
 *   P aud  3 Jan new 1000 · 2 Mar expansion 1500
 *   Q aud 20 Jan new 2000 · 10 Feb churn 0 · 5 Apr reactivation 500
 *   R usd  1 Feb new 400 (= 800 aud) · 15 Mar contraction 300 (= 600)
 *   S aud  2 Feb new 500 · 20 Feb churn (starts and ends in its start month)
 * and a live customer starting in January (never a test key's figure).
 * Grid Jan–Apr in AUD:
 *   Jan (P, Q): size 2, start 3000 · Feb 1000 (1 customer) · Mar 1500 (1) · Apr 2000 (2)
 *   Feb (R, S): size 2, start 800 (1 customer) · Mar 600 (1) · Apr 600 (1)
 *   Mar, Apr: no cohort.
 */
const mv = (customerId: string, day: string, mrr: number, currency = "aud", livemode = false) => ({ customerId, currency, day, mrr, livemode });
const [P, Q, R, S] = [newId("customer"), newId("customer"), newId("customer"), newId("customer")];
const cohortHistory = [mv(P, "2051-01-03", 1000), mv(P, "2051-03-02", 1500), mv(Q, "2051-01-20", 2000), mv(Q, "2051-02-10", 0), mv(Q, "2051-04-05", 500), mv(R, "2051-02-01", 400, "usd"), mv(R, "2051-03-15", 300, "usd"), mv(S, "2051-02-02", 500), mv(S, "2051-02-20", 0), mv(newId("customer"), "2051-01-07", 99_000, "aud", true)];

/** Movement rows with their deltas and kinds, as the engine writes them (the grid reads only mrr). */
function asRows(points: ReturnType<typeof mv>[]) {
  const last = new Map<string, number>();
  return [...points]
    .sort((a, b) => a.day.localeCompare(b.day))
    .map((p) => {
      const key = `${p.customerId}|${p.currency}`;
      const delta = p.mrr - (last.get(key) ?? 0);
      last.set(key, p.mrr);
      return { ...p, delta, kind: p.mrr === 0 ? ("churn" as const) : delta > 0 ? ("expansion" as const) : ("contraction" as const) };
    });
}

let key: string;
beforeAll(async () => {
  ({ key } = await newKey());
  const db = await getDb();
  await db.insert(mrrMovements).values(asRows(cohortHistory));
  await answer(postFx, key, 200, { path: "/fx_rates", body: { base: "usd", quote: "aud", rate: "2", date: "2051-01-01" } });
});

const cellsOf = (row: { cells: { mrr: number; revenue_retention: string | null; customers: number; customer_retention: string | null }[] }) => row.cells.map((c) => [c.mrr, c.revenue_retention, c.customers, c.customer_retention]);

describe("cohorts: the statement", () => {
  it("gives the crafted grid, USD converted at the last day's rate", async () => {
    const report = await cohortReport(await ctxAt(), { from: "2051-01", to: "2051-04", currency: "aud" });
    expect(report.rate_date).toBe("2051-04-30");
    expect(report.cohorts.map((r) => [r.cohort, r.customers, r.starting_mrr])).toEqual([
      ["2051-01", 2, 3000],
      ["2051-02", 2, 800],
    ]);
    expect(cellsOf(report.cohorts[0]!)).toEqual([
      [3000, "1", 2, "1"],
      [1000, "0.3333", 1, "0.5"],
      [1500, "0.5", 1, "0.5"],
      [2000, "0.6667", 2, "1"],
    ]);
    expect(cellsOf(report.cohorts[1]!)).toEqual([
      [800, "1", 1, "0.5"],
      [600, "0.75", 1, "0.5"],
      [600, "0.75", 1, "0.5"],
    ]);
  });

  it("equals the definition over random histories (currencies summed as they are)", async () => {
    const db = await getDb();
    const day = fc.integer({ min: 0, max: 500 }).map((d) => new Date(Date.UTC(2055, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const point = fc.record({ c: fc.integer({ min: 0, max: 5 }), currency: fc.constantFrom("aud", "usd"), day, mrr: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 })) });
    await fc.assert(
      fc.asyncProperty(fc.array(point, { maxLength: 30 }), async (raw) => {
        const ids = Array.from({ length: 6 }, () => newId("customer"));
        const points = [...new Map(raw.map((r) => [`${r.c}|${r.currency}|${r.day}`, mv(ids[r.c]!, r.day, r.mrr, r.currency)])).values()];
        if (points.length) await db.insert(mrrMovements).values(asRows(points));
        try {
          const q = { from: "2055-02", to: "2056-03", lastMonth: "2056-05" };
          const sql = await cohortFigures(db, false, q);
          const sumAll = (pc: [string, string][]) => pc.reduce((s, [, m]) => s + Number(m), 0);
          const expected = cohortFiguresOf(points as MovementPoint[], q);
          expect(cohortGrid(sql, q.lastMonth, sumAll)).toEqual(cohortGrid(expected, q.lastMonth, sumAll));
        } finally {
          await db.delete(mrrMovements).where(inArray(mrrMovements.customerId, ids));
        }
      }),
      { numRuns: 15 },
    );
  });
});

describe("GET /analytics/cohorts", () => {
  it("answers the grid with every cell", async () => {
    const body = await answer<{ object: string; data: { cohort: string; cells: { months_since_start: number }[] }[] }>(getCohorts, key, 200, { method: "GET", path: "/analytics/cohorts?from=2051-02&to=2051-03&currency=aud" });
    expect(body).toMatchObject({ object: "cohort_grid", from: "2051-02", to: "2051-03", currency: "aud", rate_date: "2051-03-31" });
    expect(body.data).toEqual([
      {
        cohort: "2051-02",
        customers: 2,
        starting_mrr: 800,
        cells: [
          { months_since_start: 0, mrr: 800, revenue_retention: "1", customers: 1, customer_retention: "0.5" },
          { months_since_start: 1, mrr: 600, revenue_retention: "0.75", customers: 1, customer_retention: "0.5" },
        ],
      },
    ]);
  });

  it("refuses what is not a month range and a currency without rates", async () => {
    expect((await refusedWith(getCohorts, key, 422, { path: "/analytics/cohorts?from=2051-13&to=2051-03" })).param).toBe("from");
    expect((await refusedWith(getCohorts, key, 422, { path: "/analytics/cohorts?from=2051-04&to=2051-03" })).param).toBe("from");
    expect((await refusedWith(getCohorts, key, 422, { path: "/analytics/cohorts?from=2041-01&to=2051-03" })).param).toBe("from");
    expect((await refusedWith(getCohorts, key, 422, { path: "/analytics/cohorts?from=2051-01&to=2051-03&currency=eur" })).code).toBe("fx_rate_missing");
  });
});

/**
 * Outcomes in March 2052, test mode.
 * Dunning (charge_automatically invoices, first failure in March, judged at the end of 31 March):
 *   1 aud 1000 failed 2 Mar, paid 5 Mar (succeeded payment 1000)     recovered
 *   2 aud 2000 failed 3 Mar, voided 10 Mar                           lost
 *   3 aud 3000 failed 4 Mar, marked uncollectible 20 Mar (audit)     lost
 *   4 usd  500 failed 6 Mar, its subscription canceled 15 Mar        lost
 *   5 aud  700 failed 7 Mar, still open                              in dunning
 *   6 aud  800 failed 8 Mar, paid 2 Apr                              in dunning (at 31 Mar)
 *   not counted: first failure 27 Feb (another on 5 Mar); a send_invoice invoice; a live invoice.
 * Retention (attempts started in March):
 *   X discount shown, accepted 10 Mar — X's MRR the day before: 2000 (1500 from 10 Mar)
 *   Y pause shown, paused 12 Mar — 1000 · an offer shown, canceled · no offer, canceled ·
 *   support shown, contacted · no offer, undecided since 5 Mar (abandoned by 1 Jun)
 *   not counted: started 28 Feb; a live attempt.
 */
describe("outcomes", () => {
  const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
  let ready: Promise<void> | undefined;
  const craft = async () => {
    const ctx = await ctxAt();
    const db = ctx.db;
    const customer = await makeCustomer(ctx, { card: null });
    const sub = async (currency = "aud", livemode = false, customerId = customer.id) => {
      const id = newId("subscription");
      await db.insert(subscriptions).values({ id, customerId, status: "active", currency, billingCycleAnchor: at("2052-01-01"), currentPeriodStart: at("2052-03-01"), currentPeriodEnd: at("2052-04-01"), livemode });
      return id;
    };
    const invoice = async (amount: number, o: { currency?: string; status?: "open" | "paid" | "void" | "uncollectible"; paidAt?: string; voidedAt?: string; subscriptionId?: string; method?: "send_invoice"; livemode?: boolean } = {}) => {
      const id = newId("invoice");
      const status = o.status ?? "open";
      await db.insert(invoices).values({ id, customerId: customer.id, subscriptionId: o.subscriptionId ?? null, status, billingReason: "manual", currency: o.currency ?? "aud", subtotal: amount, total: amount, amountDue: amount, amountPaid: status === "paid" ? amount : 0, amountRemaining: status === "paid" ? 0 : amount, collectionMethod: o.method ?? "charge_automatically", hostedToken: randomToken(16), paidAt: o.paidAt ? at(o.paidAt) : null, voidedAt: o.voidedAt ? at(o.voidedAt) : null, livemode: o.livemode ?? false });
      return id;
    };
    const pay = async (invoiceId: string, amount: number, status: "succeeded" | "failed", when: string, currency = "aud") =>
      db.insert(payments).values({ id: newId("payment"), invoiceId, customerId: customer.id, amount, currency, status, gateway: "sandbox", idempotencyKey: randomToken(20), attempt: 1, createdAt: at(when), settledAt: at(when) });

    const one = await invoice(1000, { status: "paid", paidAt: "2052-03-05" });
    await pay(one, 1000, "failed", "2052-03-02");
    await pay(one, 1000, "succeeded", "2052-03-05");
    await pay(await invoice(2000, { status: "void", voidedAt: "2052-03-10" }), 2000, "failed", "2052-03-03");
    const three = await invoice(3000, { status: "uncollectible" });
    await pay(three, 3000, "failed", "2052-03-04");
    await db.insert(auditLog).values({ at: at("2052-03-20"), actorType: "system", actorId: "test", action: "invoice.marked_uncollectible", entityType: "invoice", entityId: three, before: { status: "open" }, after: { status: "uncollectible" } });
    const canceledSub = await sub("usd");
    await pay(await invoice(500, { currency: "usd", subscriptionId: canceledSub }), 500, "failed", "2052-03-06", "usd");
    await db.insert(subscriptionStatusHistory).values({ subscriptionId: canceledSub, fromStatus: "past_due", toStatus: "canceled", reason: "dunning", at: at("2052-03-15") });
    await pay(await invoice(700), 700, "failed", "2052-03-07");
    const six = await invoice(800, { status: "paid", paidAt: "2052-04-02" });
    await pay(six, 800, "failed", "2052-03-08");
    await pay(six, 800, "succeeded", "2052-04-02");
    const early = await invoice(900);
    await pay(early, 900, "failed", "2052-02-27");
    await pay(early, 900, "failed", "2052-03-05");
    await pay(await invoice(400, { method: "send_invoice" }), 400, "failed", "2052-03-09");
    await pay(await invoice(400, { livemode: true }), 400, "failed", "2052-03-09");

    const x = await makeCustomer(ctx, { card: null });
    const y = await makeCustomer(ctx, { card: null });
    await db.insert(mrrMovements).values([
      { customerId: x.id, currency: "aud", day: "2052-01-01", mrr: 2000, delta: 2000, kind: "new", livemode: false },
      { customerId: x.id, currency: "aud", day: "2052-03-10", mrr: 1500, delta: -500, kind: "contraction", livemode: false },
      { customerId: y.id, currency: "aud", day: "2052-02-01", mrr: 1000, delta: 1000, kind: "new", livemode: false },
    ]);
    const discount = { terms: { kind: "discount" as const, percent: 25, months: 3 } };
    const attempt = async (o: { customerId?: string; subscriptionId?: string; offer?: typeof discount | null; outcome: (typeof cancellationAttempts.$inferInsert)["outcome"]; started: string; decided?: string; livemode?: boolean }) =>
      db.insert(cancellationAttempts).values({ id: `ca_${randomToken(12)}`, customerId: o.customerId ?? customer.id, subscriptionId: o.subscriptionId ?? (await sub()), reason: "too_expensive", offer: o.offer ?? null, outcome: o.outcome, startedAt: at(o.started), decidedAt: o.decided ? at(o.decided) : null, livemode: o.livemode ?? false });
    await attempt({ customerId: x.id, subscriptionId: await sub("aud", false, x.id), offer: discount, outcome: "accepted_discount", started: "2052-03-10", decided: "2052-03-10" });
    await attempt({ customerId: y.id, subscriptionId: await sub("aud", false, y.id), offer: { terms: { kind: "pause", maxMonths: 3 } } as never, outcome: "paused", started: "2052-03-12", decided: "2052-03-12" });
    await attempt({ offer: discount, outcome: "canceled", started: "2052-03-13", decided: "2052-03-13" });
    await attempt({ outcome: "canceled", started: "2052-03-14", decided: "2052-03-14" });
    await attempt({ offer: { terms: { kind: "contact_support", message: "Talk to us", url: null } } as never, outcome: "contacted_support", started: "2052-03-16", decided: "2052-03-16" });
    await attempt({ outcome: null, started: "2052-03-05" });
    await attempt({ offer: discount, outcome: "accepted_discount", started: "2052-02-28", decided: "2052-02-28" });
    await attempt({ offer: discount, outcome: "accepted_discount", started: "2052-03-11", decided: "2052-03-11", livemode: true });
  };
  const crafted = () => (ready ??= craft());

  const dunning = {
    entered: 6,
    recovered: 1,
    lost: 3,
    in_dunning: 2,
    recovery_rate: "0.1667",
    amounts: [
      { currency: "aud", amount_due: 7500, recovered: 1000, lost: 5000, in_dunning: 1500 },
      { currency: "usd", amount_due: 500, recovered: 0, lost: 500, in_dunning: 0 },
    ],
  };
  const retention = (undecided: "abandoned" | "in_progress") => ({
    attempts: 6,
    offers_shown: 4,
    accepted: 2,
    accepted_discount: 1,
    paused: 1,
    switched_plan: 0,
    contacted_support: 1,
    canceled: 2,
    canceled_after_offer: 1,
    abandoned: undecided === "abandoned" ? 1 : 0,
    in_progress: undecided === "in_progress" ? 1 : 0,
    acceptance_rate: "0.5",
    mrr_saved: [{ currency: "aud", amount: 3000 }],
  });

  it("counts each outcome as of the range's end", async () => {
    await crafted();
    const report = await outcomesReport({ ...(await ctxAt(new Date("2052-06-01T00:00:00Z"))) }, { from: "2052-03-01", to: "2052-03-31" });
    expect(report).toEqual({ from: "2052-03-01", to: "2052-03-31", dunning, retention: retention("abandoned") });
    // Judged at the end of 2 April, invoice 6 is recovered (and its payment with it).
    const later = await outcomesReport(await ctxAt(new Date("2052-06-01T00:00:00Z")), { from: "2052-03-01", to: "2052-04-02" });
    expect(later.dunning).toMatchObject({ entered: 6, recovered: 2, in_dunning: 1 });
    expect(later.dunning.amounts[0]).toMatchObject({ currency: "aud", recovered: 1800 });
  });

  it("GET /analytics/outcomes answers them (an attempt undecided is in progress until a day has passed now)", async () => {
    await crafted();
    const body = await answer(getOutcomes, key, 200, { method: "GET", path: "/analytics/outcomes?from=2052-03-01&to=2052-03-31" });
    expect(body).toEqual({ object: "analytics_outcomes", from: "2052-03-01", to: "2052-03-31", dunning, retention: retention("in_progress") });
    expect((await refusedWith(getOutcomes, key, 422, { path: "/analytics/outcomes?from=2052-04-01&to=2052-03-31" })).param).toBe("from");
  });
});
