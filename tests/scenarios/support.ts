import { asc, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { invoiceLines, invoices, plans, prices, products, subscriptions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";
import { createTestClock } from "@/lib/services/test-clocks/create-test-clock";
import { advanceTestClock } from "@/lib/services/test-clocks/advance-test-clock";

export async function ctxAt(now = new Date("2026-11-21T00:00:00Z")): Promise<ServiceContext> {
  return { db: await getDb(), actor: systemActor("scenario"), now };
}

export interface PlanSpec {
  code: string;
  name?: string;
  interval?: "day" | "week" | "month" | "year";
  intervalCount?: number;
  trialDays?: number;
  currency?: string;
  unitAmount: number;
  taxBehavior?: "inclusive" | "exclusive";
}

/** A plan with one price; returns the price id. */
export async function makePlan(db: Db, spec: PlanSpec): Promise<{ planId: string; priceId: string }> {
  const productId = newId("product");
  await db.insert(products).values({ id: productId, name: `${spec.code} product` });
  const planId = newId("plan");
  await db.insert(plans).values({
    id: planId,
    productId,
    code: `${spec.code}-${planId.slice(-6)}`,
    name: spec.name ?? spec.code,
    interval: spec.interval ?? "month",
    intervalCount: spec.intervalCount ?? 1,
    trialPeriodDays: spec.trialDays ?? 0,
  });
  const priceId = newId("price");
  await db.insert(prices).values({ id: priceId, planId, currency: spec.currency ?? "aud", version: 1, taxBehavior: spec.taxBehavior ?? "inclusive", unitAmount: spec.unitAmount });
  return { planId, priceId };
}

/** A test clock at `start` with one customer on it (AU, Sydney by default) and a card. */
export async function clockCustomer(
  start: Date,
  opts: { currency?: string; timezone?: string; country?: string; token?: string | null } = {},
): Promise<{ ctx: ServiceContext; clockId: string; customerId: string; advance: (to: string | Date) => Promise<void> }> {
  const ctx = await ctxAt();
  const clock = await createTestClock(ctx, { frozenTime: start, name: "scenario" });
  const customer = await createCustomer(ctx, {
    email: `scenario-${clock.id}@example.com`,
    currency: opts.currency ?? "aud",
    timezone: opts.timezone ?? "Australia/Sydney",
    address: { country: opts.country ?? "AU" },
    testClockId: clock.id,
  });
  if (opts.token !== null) await attachPaymentMethod(ctx, { customerId: customer.id, token: opts.token ?? "pm_card_visa" });
  return {
    ctx,
    clockId: clock.id,
    customerId: customer.id,
    advance: async (to) => {
      await advanceTestClock(ctx, clock.id, typeof to === "string" ? new Date(to) : to);
    },
  };
}

/** Every invoice of a subscription with its lines, oldest first, in minor units. */
export async function invoicesOf(subscriptionId: string) {
  const db = await getDb();
  const rows = await db.select().from(invoices).where(eq(invoices.subscriptionId, subscriptionId)).orderBy(asc(invoices.createdAt), asc(invoices.number));
  return Promise.all(
    rows.map(async (inv) => ({
      ...inv,
      lines: await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, inv.id)).orderBy(asc(invoiceLines.position)),
    })),
  );
}

export async function subscriptionRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, id));
  if (!row) throw new Error(`no subscription ${id}`);
  return row;
}

/** Local calendar date in a zone, e.g. "2026-02-28". */
export function localDate(at: Date | null, timeZone: string): string {
  if (!at) return "—";
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}
