import fc from "fast-check";
import { asc, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { invoiceLines, invoices, mrrMovements, subscriptions, subscriptionStatusHistory } from "@/db/schema";
import { lineMonthlyRate, movementsOf, subscriptionMrrOn, dayOf, type IntervalUnit, type StatusChange } from "@/lib/analytics/mrr";
import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";
import { newId, randomToken } from "@/lib/ids";
import { rebuildMrr, refreshCustomerMrr } from "@/lib/services/analytics/mrr";
import { makeCustomer, makePlan } from "../factories";
import { ctxAt } from "../scenarios/support";

/**
 * Random histories written as rows — invoices (issued, voided, draft) with full-period, proration,
 * discounted and tax-inclusive lines on monthly, annual and weekly plans, and status changes at any
 * instant — in time order, the customer's movements refreshed after each row as the write path
 * does. Then: the refreshed rows equal a rebuild's, and both equal the definition
 * (lib/analytics/mrr.ts) applied day by day.
 */
// Invoices of one subscription need distinct period starts (one recurring invoice per period): a counter keeps them apart.
let invoiceSeq = 0;
const T0 = Date.parse("2027-01-01T00:00:00Z");
const HOUR = 3_600_000;
const statuses: SubscriptionStatus[] = ["trialing", "active", "past_due", "paused", "canceled", "unpaid"];

const lineArb = fc.record({
  plan: fc.integer({ min: 0, max: 2 }),
  full: fc.integer({ min: 1, max: 50_000 }),
  quantity: fc.integer({ min: 1, max: 3 }),
  proration: fc.boolean(),
  fraction: fc.integer({ min: 0, max: 100 }),
  credit: fc.boolean(),
  discountPct: fc.constantFrom(0, 0, 10, 25),
  inclusiveTax: fc.boolean(),
  startHour: fc.integer({ min: 0, max: 24 * 120 }),
  lengthHours: fc.integer({ min: 1, max: 24 * 60 }),
  invoiceStatus: fc.constantFrom("paid", "paid", "open", "void", "draft", "uncollectible"),
});
const statusArb = fc.record({ hour: fc.integer({ min: 0, max: 24 * 150 }), status: fc.constantFrom(...statuses) });
const subArb = fc.record({ lines: fc.array(lineArb, { maxLength: 6 }), statuses: fc.array(statusArb, { maxLength: 5 }), currency: fc.constantFrom("aud", "usd") });
const historyArb = fc.array(fc.array(subArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 });

type Step = { at: number; write: (db: Db) => Promise<void>; customerId: string };

async function movementRows(db: Db, ids: string[]) {
  const rows = await db.select().from(mrrMovements).where(inArray(mrrMovements.customerId, ids)).orderBy(asc(mrrMovements.customerId), asc(mrrMovements.currency), asc(mrrMovements.day));
  return rows.map((r) => `${r.customerId} ${r.currency} ${r.day} ${r.kind} ${r.delta} ${r.mrr}`);
}

describe("property: MRR movements — refreshed as history is written, rebuilt, and as defined", () => {
  it("are the same three ways", async () => {
    const ctx = await ctxAt();
    const db = ctx.db;
    const plans = [
      await makePlan(db, { code: "m", unitAmount: 1000, interval: "month" }),
      await makePlan(db, { code: "y", unitAmount: 1000, interval: "year" }),
      await makePlan(db, { code: "w", unitAmount: 1000, interval: "week", intervalCount: 2 }),
    ];
    const intervals: { unit: IntervalUnit; count: number }[] = [{ unit: "month", count: 1 }, { unit: "year", count: 1 }, { unit: "week", count: 2 }];
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        const steps: Step[] = [];
        const expected: string[] = [];
        const customerIds: string[] = [];
        for (const subs of history) {
          const customer = await makeCustomer(ctx, { card: null });
          customerIds.push(customer.id);
          const perCurrency = new Map<string, Map<string, number>>();
          const model: { currency: string; lines: { rate: number | null; periodStart: Date; periodEnd: Date }[]; statuses: StatusChange[] }[] = [];
          for (const sub of subs) {
            const subscriptionId = newId("subscription");
            await db.insert(subscriptions).values({ id: subscriptionId, customerId: customer.id, status: "active", currency: sub.currency, billingCycleAnchor: new Date(T0), currentPeriodStart: new Date(T0), currentPeriodEnd: new Date(T0) });
            const m = { currency: sub.currency, lines: [] as { rate: number | null; periodStart: Date; periodEnd: Date }[], statuses: [] as StatusChange[] };
            model.push(m);
            for (const l of sub.lines) {
              const periodStart = new Date(T0 + l.startHour * HOUR);
              const periodEnd = new Date(periodStart.getTime() + l.lengthHours * HOUR);
              const gross = l.full * l.quantity;
              const amount = l.proration ? (l.credit ? -1 : 1) * Math.round((gross * l.fraction) / 100) : gross;
              const discountAmount = Math.trunc((amount * l.discountPct) / 100);
              const tax = l.inclusiveTax ? Math.round((amount - discountAmount) / 11) : 0;
              const row = { amount, discountAmount, inclusiveTax: tax, quantity: l.quantity, unitAmount: l.full, proration: l.proration, interval: intervals[l.plan]!, periodStart, periodEnd };
              if (["paid", "open", "uncollectible"].includes(l.invoiceStatus)) m.lines.push({ rate: lineMonthlyRate(row), periodStart, periodEnd });
              steps.push({
                at: periodStart.getTime(),
                customerId: customer.id,
                write: async (w) => {
                  const invoiceId = newId("invoice");
                  await w.insert(invoices).values({ id: invoiceId, customerId: customer.id, subscriptionId, status: l.invoiceStatus as "paid", billingReason: "subscription_cycle", currency: sub.currency, subtotal: amount, total: amount, amountDue: amount, amountRemaining: 0, collectionMethod: "charge_automatically", hostedToken: randomToken(16), periodStart: new Date(periodStart.getTime() + (invoiceSeq += 1)) });
                  await w.insert(invoiceLines).values({ id: newId("invoiceLine"), invoiceId, position: 0, description: "x", amount, quantity: l.quantity, unitAmount: l.full, periodStart, periodEnd, proration: l.proration, priceId: plans[l.plan]!.priceId, discountAmount, taxAmounts: tax ? [{ amount: tax, rate: "0.1", jurisdiction: "AU", inclusive: true }] : [] });
                },
              });
            }
            for (const [i, s] of sub.statuses.entries()) {
              const at = new Date(T0 + s.hour * HOUR + i);
              m.statuses.push({ at, status: s.status });
              steps.push({ at: at.getTime(), customerId: customer.id, write: async (w) => void (await w.insert(subscriptionStatusHistory).values({ subscriptionId, toStatus: s.status, reason: "test", at })) });
            }
            m.statuses.sort((a, b) => a.at.getTime() - b.at.getTime());
          }
          // The definition, day by day over every day anything happens.
          const days = new Set<string>();
          for (const m of model) {
            for (const l of m.lines) if (l.rate !== null) days.add(dayOf(l.periodStart)).add(dayOf(l.periodEnd));
            for (const s of m.statuses) days.add(dayOf(s.at));
          }
          for (const day of days) {
            for (const m of model) {
              const daily = perCurrency.get(m.currency) ?? new Map<string, number>();
              perCurrency.set(m.currency, daily.set(day, (daily.get(day) ?? 0) + subscriptionMrrOn(m.lines, m.statuses, day)));
            }
          }
          for (const [currency, daily] of [...perCurrency].sort(([a], [b]) => a.localeCompare(b))) {
            for (const mv of movementsOf(daily)) expected.push(`${customer.id} ${currency} ${mv.day} ${mv.kind} ${mv.delta} ${mv.mrr}`);
          }
        }
        // Written in time order, each customer refreshed after each of its rows.
        steps.sort((a, b) => a.at - b.at);
        for (const step of steps) {
          await step.write(db);
          await refreshCustomerMrr(db, [step.customerId]);
        }
        const ids = [...customerIds].sort();
        const refreshed = await movementRows(db, ids);
        await rebuildMrr(db);
        expect(await movementRows(db, ids)).toEqual(refreshed);
        expect(refreshed).toEqual(expected.sort((a, b) => {
          const [ca, cua, da] = a.split(" ");
          const [cb, cub, dbb] = b.split(" ");
          return ca!.localeCompare(cb!) || cua!.localeCompare(cub!) || da!.localeCompare(dbb!);
        }));
      }),
      { numRuns: 25 },
    );
  });
});
