import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { takeInvoiceNumber } from "@/db/queries/invoices";
import { invoiceNumberSeries, invoices } from "@/db/schema";
import type { BillingReason } from "@/lib/billing/invoices/statuses";
import { newId, randomToken } from "@/lib/ids";
import { createSubscription } from "@/lib/services/subscriptions/create-subscription";
import { ctx, needsPostgres } from "./support";
import { makeCatalog, makeCustomer, type Catalog } from "../factories";

let db: Db;
let catalog: Catalog;

beforeAll(async () => {
  db = await getDb();
  catalog = await makeCatalog(db);
});

const expectedNumbers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `TLY-${String(from + i).padStart(6, "0")}`);

function invoiceValues(customerId: string, subscriptionId: string, periodStart: Date, billingReason: BillingReason) {
  return {
    id: newId("invoice"),
    customerId,
    subscriptionId,
    status: "draft" as const,
    billingReason,
    currency: "aud",
    periodStart,
    periodEnd: new Date(periodStart.getTime() + 30 * 86_400_000),
    subtotal: 1000,
    total: 1000,
    amountDue: 1000,
    amountRemaining: 1000,
    collectionMethod: "charge_automatically" as const,
    hostedToken: randomToken(32),
  };
}

/** The error a unique violation surfaces as, on either driver (drizzle wraps it in `cause`). */
async function uniqueViolation(promise: Promise<unknown>): Promise<{ code?: string; constraint?: string; message?: string }> {
  const error = await promise.then(
    () => {
      throw new Error("expected a unique violation");
    },
    (e: unknown) => e as { cause?: { code?: string; constraint?: string; message?: string } },
  );
  const cause = error.cause ?? {};
  expect(cause.code).toBe("23505");
  return cause;
}

describe("invoice numbers", () => {
  it.skipIf(needsPostgres)("are sequential and gap-free under 20 concurrent subscription creations (needs PostgreSQL)", async () => {
    const c = ctx(db);
    const customers = await Promise.all(Array.from({ length: 20 }, () => makeCustomer(c)));
    const created = await Promise.all(
      customers.map((customer) => createSubscription(ctx(db), { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] })),
    );
    expect(created.map((r) => r.invoice?.status)).toEqual(Array.from({ length: 20 }, () => "paid"));
    const rows = await db.select({ number: invoices.number }).from(invoices).where(inArray(invoices.customerId, customers.map((cu) => cu.id)));
    expect(rows.map((r) => r.number).sort()).toEqual(expectedNumbers(1, 20));
    const [series] = await db.select().from(invoiceNumberSeries).where(eq(invoiceNumberSeries.series, "default"));
    expect(series?.nextNumber).toBe(21);
  });

  it("returns a number to the series when the finalizing transaction rolls back", async () => {
    const [before] = await db.select().from(invoiceNumberSeries).where(eq(invoiceNumberSeries.series, "default"));
    const next = before?.nextNumber ?? 1;
    let taken = "";
    await expect(
      db.transaction(async (tx) => {
        taken = await takeInvoiceNumber(tx);
        throw new Error("finalization failed after taking a number");
      }),
    ).rejects.toThrow("finalization failed after taking a number");
    expect(taken).toBe(expectedNumbers(next, next)[0]);

    const again = await db.transaction((tx) => takeInvoiceNumber(tx));
    expect(again).toBe(taken);
    const third = await db.transaction((tx) => takeInvoiceNumber(tx));
    expect(third).toBe(expectedNumbers(next + 1, next + 1)[0]);
  });

  it("the (subscription, period_start) unique index refuses a second recurring invoice for the same period", async () => {
    const c = ctx(db);
    const customer = await makeCustomer(c);
    const { subscription, invoice } = await createSubscription(c, { customerId: customer.id, items: [{ priceId: catalog.audInclusive.id, quantity: 1 }] });
    if (!invoice?.periodStart) throw new Error("no first invoice");
    const period = invoice.periodStart;

    // The first invoice is subscription_create; neither a cycle nor another create invoice may join it.
    for (const reason of ["subscription_cycle", "subscription_create"] as const) {
      const cause = await uniqueViolation(db.insert(invoices).values(invoiceValues(customer.id, subscription.id, period, reason)));
      if (cause.constraint !== undefined) expect(cause.constraint).toBe("invoices_subscription_period_key");
    }

    // The next period is free once, then refused.
    const next = subscription.currentPeriodEnd;
    await db.insert(invoices).values(invoiceValues(customer.id, subscription.id, next, "subscription_cycle"));
    await uniqueViolation(db.insert(invoices).values(invoiceValues(customer.id, subscription.id, next, "subscription_cycle")));

    // Proration and manual invoices are outside the index: several for the same period are fine.
    await db.insert(invoices).values(invoiceValues(customer.id, subscription.id, period, "subscription_update"));
    await db.insert(invoices).values(invoiceValues(customer.id, subscription.id, period, "manual"));
    const rows = await db.select({ reason: invoices.billingReason, start: invoices.periodStart }).from(invoices).where(eq(invoices.subscriptionId, subscription.id));
    expect(rows.map((r) => `${r.reason}@${r.start?.toISOString()}`).sort()).toEqual(
      [`manual@${period.toISOString()}`, `subscription_create@${period.toISOString()}`, `subscription_cycle@${next.toISOString()}`, `subscription_update@${period.toISOString()}`].sort(),
    );
  });
});
