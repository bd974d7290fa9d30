import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { auditLog, coupons, leakageRuns, meters, prices, reconciliationItems, usageEvents } from "@/db/schema";
import { findLeakage } from "@/db/queries/leakage";
import { latestLeakageRun } from "@/db/queries/leakage-runs";
import { LEAKAGE_RULES, type LeakageItem } from "@/lib/billing/leakage/rules";
import { newId, randomToken } from "@/lib/ids";
import { runDailyLeakageChecks, runLeakageChecks, runLeakageChecksNow } from "@/lib/services/leakage/run-leakage-checks";
import { makePlan } from "../factories";
import { ctx } from "../services/support";
import { at } from "./support";
import { defaultCard, ensureUsagePartitions, issuedInvoice, leakCustomer, leakPayment, leakSubscription } from "./leakage-support";

/**
 * One case per rule, each on customers of its own in 2031 (a year no other test writes in); the
 * rules run over the whole database, so each case reads only its customers' items. Prices in USD:
 * Basic 2500 a month.
 */
let db: Db;
let basic: string;

beforeAll(async () => {
  db = await getDb();
  basic = (await makePlan(db, { code: "leak-basic", unitAmount: 2500, currency: "usd", taxBehavior: "exclusive" })).priceId;
});

async function found(now: Date, ...customerIds: string[]): Promise<LeakageItem[]> {
  return (await findLeakage(db, now)).filter((i) => customerIds.includes(i.customerId));
}

describe("revenue leakage rules", () => {
  it("a clean customer — paid current period, an invoice nothing is owed on, a card valid past renewal — finds nothing", async () => {
    const customer = await leakCustomer(db, "Clean Ltd");
    const sub = await leakSubscription(db, customer, [{ priceId: basic, quantity: 2 }], ["2031-01-01", "2031-02-01"]);
    await issuedInvoice(db, { customerId: customer, subscriptionId: sub, billingReason: "subscription_create", period: ["2031-01-01", "2031-02-01"], finalizedAt: "2031-01-01", status: "paid", total: 5000 });
    await defaultCard(db, customer, 12, 2031);
    expect(await found(at("2031-01-20"), customer)).toEqual([]);
  });

  it("period_not_invoiced: a current period with no invoice an hour after it began, and a renewal over an hour late", async () => {
    const uninvoiced = await leakCustomer(db, "Uninvoiced Ltd");
    const sub = await leakSubscription(db, uninvoiced, [{ priceId: basic, quantity: 3 }], ["2031-01-01", "2031-02-01"]);
    // Within the hour's grace: the billing run may simply not have got to it.
    expect(await found(at("2031-01-01T00:59:00Z"), uninvoiced)).toEqual([]);
    const [item] = await found(at("2031-01-01T01:00:00Z"), uninvoiced);
    expect(item).toMatchObject({ rule: "period_not_invoiced", subscriptionId: sub, currency: "usd", amount: 7500, detail: "No invoice for the period from 2031-01-01 00:00 UTC" });

    const late = await leakCustomer(db, "Late Renewal Ltd");
    const lateSub = await leakSubscription(db, late, [{ priceId: basic }], ["2031-01-01", "2031-02-01"]);
    await issuedInvoice(db, { customerId: late, subscriptionId: lateSub, billingReason: "subscription_create", period: ["2031-01-01", "2031-02-01"], finalizedAt: "2031-01-01", status: "paid", total: 2500 });
    expect(await found(at("2031-02-01T00:30:00Z"), late)).toEqual([]);
    expect(await found(at("2031-02-01T01:30:00Z"), late)).toEqual([
      expect.objectContaining({ rule: "period_not_invoiced", subscriptionId: lateSub, amount: 2500, detail: "Renewal due 2031-02-01 00:00 UTC has not run" }),
    ]);

    // A canceled subscription bills nothing more; a voided invoice covers nothing.
    const voided = await leakCustomer(db, "Voided Ltd");
    const voidedSub = await leakSubscription(db, voided, [{ priceId: basic }], ["2031-01-01", "2031-02-01"]);
    await issuedInvoice(db, { customerId: voided, subscriptionId: voidedSub, billingReason: "subscription_create", period: ["2031-01-01", "2031-02-01"], finalizedAt: "2031-01-01", status: "void" });
    const canceled = await leakCustomer(db, "Canceled Ltd");
    await leakSubscription(db, canceled, [{ priceId: basic }], ["2031-01-01", "2031-02-01"], { status: "canceled" });
    expect((await found(at("2031-01-10"), voided, canceled)).map((i) => i.customerId)).toEqual([voided]);
  });

  it("past_due_no_retry: open past due with nothing collecting; not while a retry is planned, a payment is in flight or dunning runs", async () => {
    const customer = await leakCustomer(db, "Overdue Ltd");
    const sent = await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2031-03-01", dueDate: "2031-03-31", collectionMethod: "send_invoice", total: 12000 });
    const neverCharged = await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2031-03-01", total: 3000 });
    const retrying = await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2031-03-01", total: 4000, nextPaymentAttemptAt: "2031-04-02" });
    const inFlight = await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2031-03-01", total: 5000 });
    await leakPayment(db, { invoiceId: inFlight, customerId: customer, amount: 5000, status: "pending", createdAt: "2031-04-01T09:50:00Z" });
    const dunning = await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2031-03-01", total: 6000 });
    await leakPayment(db, { invoiceId: dunning, customerId: customer, amount: 6000, status: "failed", createdAt: "2031-03-01" });
    await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2031-03-01", status: "paid" });

    const items = (await found(at("2031-04-01T10:00:00Z"), customer)).filter((i) => i.rule === "past_due_no_retry");
    expect(items.map((i) => [i.invoiceId, i.amount]).sort()).toEqual([[neverCharged, 3000], [sent, 12000]].sort());
    expect(items.find((i) => i.invoiceId === sent)?.detail).toMatch(/due 2031-03-31, sent for payment; no payment attempted$/);
    // Not yet an hour past its due date.
    expect((await found(at("2031-03-31T00:30:00Z"), customer)).some((i) => i.invoiceId === sent)).toBe(false);
    expect(items.some((i) => i.invoiceId === retrying)).toBe(false);
  });

  it("expired_coupon_discounting: an invoice discounted after a once coupon was used; a forever coupon never ends", async () => {
    const once = newId("coupon");
    const forever = newId("coupon");
    await db.insert(coupons).values([
      { id: once, name: "Welcome", percentOffBps: 5000, duration: "once" },
      { id: forever, name: "Friends", percentOffBps: 1000, duration: "forever" },
    ]);
    const customer = await leakCustomer(db, "Coupon Ltd");
    const sub = await leakSubscription(db, customer, [{ priceId: basic }], ["2031-06-01", "2031-07-01"], { couponId: once, discountStart: at("2031-05-01") });
    await issuedInvoice(db, { customerId: customer, subscriptionId: sub, billingReason: "subscription_create", period: ["2031-05-01", "2031-06-01"], finalizedAt: "2031-05-01", status: "paid", total: 1250, discount: 1250, couponId: once });
    const second = await issuedInvoice(db, { customerId: customer, subscriptionId: sub, period: ["2031-06-01", "2031-07-01"], finalizedAt: "2031-06-01", status: "paid", total: 1250, discount: 1250, couponId: once });

    const loyal = await leakCustomer(db, "Loyal Ltd");
    const loyalSub = await leakSubscription(db, loyal, [{ priceId: basic }], ["2031-06-01", "2031-07-01"], { couponId: forever, discountStart: at("2031-05-01") });
    for (const [start, end] of [["2031-05-01", "2031-06-01"], ["2031-06-01", "2031-07-01"]] as const) {
      await issuedInvoice(db, { customerId: loyal, subscriptionId: loyalSub, period: [start, end], finalizedAt: start, status: "paid", total: 2250, discount: 250, couponId: forever });
    }
    expect(await found(at("2031-06-02"), customer, loyal)).toEqual([
      expect.objectContaining({ rule: "expired_coupon_discounting", customerId: customer, subscriptionId: sub, invoiceId: second, amount: 1250, detail: expect.stringContaining("invoice 2 of a coupon for 1") }),
    ]);
  });

  it("gateway_success_unrecorded: an unapplied gateway success reconciliation raised, and a payment pending past the hour", async () => {
    const customer = await leakCustomer(db, "Gateway Ltd");
    const invoice = await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2031-08-01", status: "paid", total: 900 });
    const unapplied = await leakPayment(db, { invoiceId: invoice, customerId: customer, amount: 900, status: "succeeded", createdAt: "2031-08-01T10:00:00Z" });
    await db.insert(reconciliationItems).values({ id: newId("reconciliationItem"), paymentId: unapplied, kind: "unapplied_gateway_success", detail: "invoice already paid" });
    const resolved = await leakPayment(db, { invoiceId: invoice, customerId: customer, amount: 900, status: "succeeded", createdAt: "2031-08-01T10:00:00Z" });
    await db.insert(reconciliationItems).values({ id: newId("reconciliationItem"), paymentId: resolved, kind: "unapplied_gateway_success", detail: "refunded", status: "resolved" });
    const open = await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2031-08-01", total: 700, nextPaymentAttemptAt: "2031-08-09" });
    const stuck = await leakPayment(db, { invoiceId: open, customerId: customer, amount: 700, status: "pending", createdAt: "2031-08-01T10:00:00Z" });
    const fresh = await leakPayment(db, { invoiceId: open, customerId: customer, amount: 700, status: "pending", createdAt: "2031-08-01T11:30:00Z" });

    const items = (await found(at("2031-08-01T12:00:00Z"), customer)).filter((i) => i.rule === "gateway_success_unrecorded");
    expect(items.map((i) => [i.paymentId, i.amount]).sort()).toEqual([[stuck, 700], [unapplied, 900]].sort());
    expect(items.find((i) => i.paymentId === unapplied)?.detail).toMatch(/but not applied: invoice already paid$/);
    expect(items.some((i) => i.paymentId === fresh || i.paymentId === resolved)).toBe(false);
  });

  it("usage_not_billed: events in a closed period with no usage line for it; billed usage and open periods are not", async () => {
    const meterCode = `leak_calls_${randomToken(6).toLowerCase()}`;
    const meterId = newId("meter");
    await db.insert(meters).values({ id: meterId, code: meterCode, version: 1, name: "API calls", aggregation: "count" });
    const plan = await makePlan(db, { code: "leak-metered", unitAmount: 0, currency: "usd", taxBehavior: "exclusive" });
    const metered = newId("price");
    await db.insert(prices).values({ id: metered, planId: plan.planId, currency: "usd", version: 2, taxBehavior: "exclusive", unitAmount: 5, usageType: "metered", meterId });
    await ensureUsagePartitions(db, "2031-09-01", "2031-12-01");

    const customer = await leakCustomer(db, "Metered Ltd");
    const sub = await leakSubscription(db, customer, [{ priceId: basic }, { priceId: metered }], ["2031-10-01", "2031-11-01"]);
    await issuedInvoice(db, { customerId: customer, subscriptionId: sub, billingReason: "subscription_create", period: ["2031-09-01", "2031-10-01"], finalizedAt: "2031-09-01", status: "paid" });
    await issuedInvoice(db, { customerId: customer, subscriptionId: sub, period: ["2031-10-01", "2031-11-01"], finalizedAt: "2031-10-01", status: "paid", lines: [{ priceId: basic, amount: 2500, period: ["2031-10-01", "2031-11-01"] }] });
    const event = (ts: string) => ({ id: newId("usageEvent"), identifier: randomToken(16), meterCode, customerId: customer, timestamp: at(ts) });
    // September: 3 calls, no usage line for September anywhere. October: 2 calls, the period still open.
    await db.insert(usageEvents).values([event("2031-09-03"), event("2031-09-15"), event("2031-09-30T23:59:59Z"), event("2031-10-02"), event("2031-10-20")]);

    expect(await found(at("2031-10-20"), customer)).toEqual([
      expect.objectContaining({ rule: "usage_not_billed", subscriptionId: sub, amount: 15, detail: `3 event(s) of meter ${meterCode} from 2031-09-01 00:00 to 2031-10-01 00:00 UTC, no usage line for price ${metered}` }),
    ]);

    // A supplemental invoice bills September's usage: nothing is left.
    await issuedInvoice(db, { customerId: customer, subscriptionId: sub, billingReason: "manual", finalizedAt: "2031-10-21", status: "paid", total: 15, lines: [{ priceId: metered, amount: 15, period: ["2031-09-01", "2031-10-01"] }] });
    expect(await found(at("2031-10-22"), customer)).toEqual([]);
  });

  it("card_expires_before_renewal: the default card stops working before the period ends; not for send_invoice or a subscription ending", async () => {
    const customer = await leakCustomer(db, "Expiring Ltd");
    await defaultCard(db, customer, 1, 2031);
    const sub = await leakSubscription(db, customer, [{ priceId: basic, quantity: 2 }], ["2031-01-15", "2031-02-15"]);
    await issuedInvoice(db, { customerId: customer, subscriptionId: sub, billingReason: "subscription_create", period: ["2031-01-15", "2031-02-15"], finalizedAt: "2031-01-15", status: "paid" });
    await leakSubscription(db, customer, [{ priceId: basic }], ["2031-01-15", "2031-02-15"], { collectionMethod: "send_invoice", status: "trialing" });
    await leakSubscription(db, customer, [{ priceId: basic }], ["2031-01-15", "2031-02-15"], { cancelAtPeriodEnd: true, status: "trialing" });
    // Valid through January 2031: it works at a renewal on 31 January, not on 15 February.
    const fine = await leakCustomer(db, "Renews In Time Ltd");
    await defaultCard(db, fine, 1, 2031);
    await leakSubscription(db, fine, [{ priceId: basic }], ["2030-12-31", "2031-01-31T23:59:59Z"], { status: "trialing" });

    expect(await found(at("2031-01-20"), customer, fine)).toEqual([
      expect.objectContaining({ rule: "card_expires_before_renewal", customerId: customer, subscriptionId: sub, amount: 5000, detail: "Visa •••• 4242 expires 01/2031, renewal 2031-02-15" }),
    ]);
  });
});

describe("the daily leakage job", () => {
  it("stores one snapshot per UTC day: the job runs once a day, a run on demand replaces the day's snapshot and is audited", async () => {
    const customer = await leakCustomer(db, "Snapshot Ltd");
    await leakSubscription(db, customer, [{ priceId: basic }], ["2032-01-01", "2032-02-01"]);
    const day1 = at("2032-01-05T03:00:00Z");

    const first = await runDailyLeakageChecks(db, day1);
    expect(first).toMatchObject({ day: "2032-01-05" });
    expect("skipped" in first).toBe(false);
    const stored = await latestLeakageRun(db);
    expect(stored?.day).toBe("2032-01-05");
    expect(stored?.ranAt).toEqual(day1);
    expect(stored?.totals.map((t) => t.rule)).toEqual([...LEAKAGE_RULES]);
    const mine = stored?.items.filter((i) => i.customerId === customer);
    expect(mine).toEqual([expect.objectContaining({ rule: "period_not_invoiced", amount: 2500 })]);
    const periodTotals = stored?.totals.find((t) => t.rule === "period_not_invoiced");
    expect(periodTotals?.count).toBeGreaterThanOrEqual(1);
    expect(periodTotals?.amounts.find((a) => a.currency === "usd")?.amount).toBeGreaterThanOrEqual(2500);

    // Later the same day the job finds the snapshot and does nothing.
    expect(await runDailyLeakageChecks(db, at("2032-01-05T23:00:00Z"))).toEqual({ day: "2032-01-05", skipped: true });
    expect((await latestLeakageRun(db))?.ranAt).toEqual(day1);

    // A run on demand replaces the day's row (still one), and says who ran it.
    const c = ctx(db, at("2032-01-05T15:00:00Z"));
    const summary = await runLeakageChecksNow(c);
    expect(summary.counts.period_not_invoiced).toBe(periodTotals?.count);
    const rows = await db.select().from(leakageRuns).where(eq(leakageRuns.day, "2032-01-05"));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ranAt).toEqual(at("2032-01-05T15:00:00Z"));
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, "leakage.checked"), eq(auditLog.entityId, "2032-01-05")));
    expect(entry).toMatchObject({ actorId: c.actor.id, after: { counts: summary.counts } });

    // The next day is a new snapshot; the day before stays as it was.
    await runLeakageChecks(db, at("2032-01-06T03:00:00Z"));
    expect((await latestLeakageRun(db))?.day).toBe("2032-01-06");
    expect(await db.select().from(leakageRuns).where(eq(leakageRuns.day, "2032-01-05"))).toHaveLength(1);
  });
});
