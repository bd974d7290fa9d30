import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { sandboxGateway } from "@/lib/payments/sandbox/sandbox-gateway";
import { reconcilePayments } from "@/lib/services/payments/reconcile";
import { eq as eqOp } from "drizzle-orm";
import { customers as customersTable, subscriptions as subscriptionsTable } from "@/db/schema";
import { retryDuePayments } from "@/lib/services/payments/retries/retry-due-payments";
import { getDb, type Db } from "@/db/client";
import { invoices } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attemptInvoicePayment } from "@/lib/services/invoices/attempt-payment";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { processDueSubscription } from "@/lib/services/subscriptions/process-due";
import { invoiceView, invoicesOf, paymentsOfInvoice, subscriptionRow } from "./support";
import { makePlan } from "../factories";

/**
 * R15-lite: processDueSubscription is idempotent for a given now, including after being killed.
 * A$10.00 monthly (91 GST), UTC customer, no test clock: created 15 Sep 2026 00:00Z, so the renewal
 * for 15 Oct → 15 Nov is due when processing at 16 Oct.
 */
const CREATED = new Date("2026-09-15T00:00:00Z");
const NOW = new Date("2026-10-16T00:00:00Z");
const RENEWAL = {
  billingReason: "subscription_cycle",
  periodStart: "2026-10-15T00:00:00.000Z",
  periodEnd: "2026-11-15T00:00:00.000Z",
  subtotal: 1000,
  discountTotal: 0,
  tax: 91,
  total: 1000,
  creditApplied: 0,
  amountDue: 1000,
  lines: [{ description: "Starter", amount: 1000, quantity: 1, proration: false, periodStart: "2026-10-15T00:00:00.000Z", periodEnd: "2026-11-15T00:00:00.000Z", tax: 91 }],
};

async function dueSubscription(label: string) {
  const db = await getDb();
  const ctx = { db, actor: systemActor("scenario"), now: CREATED };
  const { priceId } = await makePlan(db, { code: label, name: "Starter", unitAmount: 1000 });
  const customer = await createCustomer(ctx, { email: `${label}@example.com`, currency: "aud", timezone: "UTC", address: { country: "AU" } });
  await attachPaymentMethod(ctx, { customerId: customer.id, token: "pm_card_visa" });
  const { subscription } = await createSubscription(ctx, { customerId: customer.id, items: [{ priceId, quantity: 1 }] });
  return { db, subscriptionId: subscription.id };
}

/**
 * A database handle whose `transaction` calls are counted; call number `killAt` dies — before its
 * work runs ("before") or after its work but before the commit ("before-commit", rolled back) —
 * as a process killed at that point would.
 */
function killingDb(db: Db, killAt: number, how: "before" | "before-commit"): Db {
  let calls = 0;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver) as unknown;
      return (fn: (tx: unknown) => Promise<unknown>, ...rest: unknown[]) => {
        calls += 1;
        if (calls === killAt && how === "before") return Promise.reject(new Error("killed"));
        const wrapped =
          calls === killAt
            ? async (tx: unknown) => {
                await fn(tx);
                throw new Error("killed before commit");
              }
            : fn;
        return (target.transaction as (f: typeof wrapped, ...r: unknown[]) => Promise<unknown>).call(target, wrapped, ...rest);
      };
    },
  });
}

async function renewals(db: Db, subscriptionId: string) {
  return db.select().from(invoices).where(and(eq(invoices.subscriptionId, subscriptionId), eq(invoices.billingReason, "subscription_cycle")));
}

describe("scenario: processDueSubscription run twice for the same now (R15-lite)", () => {
  it("the second call does nothing: one renewal invoice, one charge", async () => {
    const { db, subscriptionId } = await dueSubscription("twice");
    const ctx = { db, actor: systemActor("scenario"), now: NOW };
    const first = await processDueSubscription(ctx, subscriptionId);
    expect(first.map((o) => [o.kind, o.at.toISOString()])).toEqual([["renewal", "2026-10-15T00:00:00.000Z"]]);
    expect(await processDueSubscription(ctx, subscriptionId)).toEqual([]);

    const all = await invoicesOf(subscriptionId);
    expect(all).toHaveLength(2);
    expect(invoiceView(all[1]!)).toEqual({ ...RENEWAL, status: "paid", amountPaid: 1000 });
    expect((await paymentsOfInvoice(all[1]!.id)).map((p) => [p.status, p.amount, p.attempt])).toEqual([["succeeded", 1000, 1]]);
    expect((await subscriptionRow(subscriptionId)).currentPeriodEnd.toISOString()).toBe("2026-11-15T00:00:00.000Z");
  });

  it("killed after the renewal committed, before the charge: the re-run adds no invoice, and reconciliation then the retry sweep charge it once", async () => {
    const { db, subscriptionId } = await dueSubscription("killed-after-commit");
    // The renewal commits with its first attempt recorded pending; the process dies before the gateway hears of it.
    const charge = vi.spyOn(sandboxGateway, "chargeMany").mockRejectedValueOnce(new Error("killed"));
    await expect(processDueSubscription({ db, actor: systemActor("scenario"), now: NOW }, subscriptionId)).rejects.toThrow("killed");
    charge.mockRestore();
    const committed = await renewals(db, subscriptionId);
    expect(committed).toHaveLength(1);
    expect(committed[0]!.status).toBe("open");
    expect((await paymentsOfInvoice(committed[0]!.id)).map((p) => [p.status, p.attempt])).toEqual([["pending", 1]]);

    const ctx = { db, actor: systemActor("scenario"), now: NOW };
    expect(await processDueSubscription(ctx, subscriptionId)).toEqual([]);
    const after = await renewals(db, subscriptionId);
    expect(after.map((i) => i.id)).toEqual([committed[0]!.id]);
    // Reconciliation finds the gateway never saw the attempt and closes it; the retry sweep then
    // collects the invoice exactly once however often it runs (and a direct attempt charges nothing more).
    const reconciled = await reconcilePayments(db, NOW, { olderThanSeconds: 0 });
    expect(reconciled.errors).toEqual([]);
    const customer = await customerOfSubscription(db, subscriptionId);
    await retryDuePayments(db, NOW, customer.testClockId ? { testClockId: customer.testClockId } : {});
    await retryDuePayments(db, NOW, customer.testClockId ? { testClockId: customer.testClockId } : {});
    await attemptInvoicePayment(ctx, committed[0]!.id);
    const all = await invoicesOf(subscriptionId);
    expect(all).toHaveLength(2);
    expect(invoiceView(all[1]!)).toEqual({ ...RENEWAL, status: "paid", amountPaid: 1000 });
    expect((await paymentsOfInvoice(all[1]!.id)).filter((p) => p.status === "succeeded").map((p) => p.amount)).toEqual([1000]);
  });

  it("killed inside the renewal transaction before it commits: nothing was written, the re-run bills the period once", async () => {
    const { db, subscriptionId } = await dueSubscription("killed-before-commit");
    const before = await subscriptionRow(subscriptionId);
    await expect(processDueSubscription({ db: killingDb(db, 1, "before-commit"), actor: systemActor("scenario"), now: NOW }, subscriptionId)).rejects.toThrow("killed before commit");
    expect(await renewals(db, subscriptionId)).toEqual([]);
    expect(await subscriptionRow(subscriptionId)).toEqual(before);

    const ctx = { db, actor: systemActor("scenario"), now: NOW };
    expect((await processDueSubscription(ctx, subscriptionId)).map((o) => o.kind)).toEqual(["renewal"]);
    expect(await processDueSubscription(ctx, subscriptionId)).toEqual([]);
    const all = await invoicesOf(subscriptionId);
    expect(all.map((i) => i.billingReason)).toEqual(["subscription_create", "subscription_cycle"]);
    expect(invoiceView(all[1]!)).toEqual({ ...RENEWAL, status: "paid", amountPaid: 1000 });
    // The rolled-back attempt did not burn an invoice number: numbers stay gap-free.
    const numbers = all.map((i) => Number(i.number?.slice(4)));
    expect(numbers[1]).toBe(numbers[0]! + 1);
  });
});

async function customerOfSubscription(db: Db, subscriptionId: string) {
  const [row] = await db
    .select({ testClockId: customersTable.testClockId })
    .from(subscriptionsTable)
    .innerJoin(customersTable, eqOp(customersTable.id, subscriptionsTable.customerId))
    .where(eqOp(subscriptionsTable.id, subscriptionId));
  if (!row) throw new Error("no customer");
  return row;
}
