import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import type { CustomerRow } from "@/db/queries/customers";
import { invoices, outboxEvents, payments, plans, prices, products, subscriptionStatusHistory, testClocks, type Address } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { newId, randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";

/** A fixed request time: tests never read the clock. */
export const NOW = new Date("2026-03-10T01:00:00.000Z");
export const DAY_MS = 86_400_000;

/** A service context acting as a system job. */
export function ctx(db: Db, now: Date = NOW): ServiceContext {
  return { db, actor: systemActor("test"), now, requestId: `req_${randomToken(8)}` };
}

export interface Catalog {
  productId: string;
  /** Monthly plan, no trial. */
  plan: PlanRow;
  /** AUD 10.00 GST-inclusive. */
  audInclusive: PriceRow;
  /** USD 15.00, tax-exclusive. */
  usdExclusive: PriceRow;
  /** Monthly plan priced AUD 10.00 tax-exclusive. */
  exclusivePlan: PlanRow;
  audExclusive: PriceRow;
  /** Monthly plan with a 14-day trial, AUD 29.00 inclusive. */
  trialPlan: PlanRow;
  audTrial: PriceRow;
}

/** A product with three monthly plans; codes are unique so a file can call this more than once. */
export async function makeCatalog(db: Db): Promise<Catalog> {
  const suffix = randomToken(6).toLowerCase();
  const productId = newId("product");
  await db.insert(products).values({ id: productId, name: "Test Cloud" });
  const plan = async (code: string, name: string, trialPeriodDays: number) => {
    const [row] = await db
      .insert(plans)
      .values({ id: newId("plan"), productId, code: `${code}-${suffix}`, name, interval: "month", intervalCount: 1, trialPeriodDays })
      .returning();
    if (!row) throw new Error("plan insert returned nothing");
    return row;
  };
  const price = async (planId: string, currency: string, unitAmount: number, taxBehavior: "inclusive" | "exclusive") => {
    const [row] = await db.insert(prices).values({ id: newId("price"), planId, currency, version: 1, taxBehavior, unitAmount }).returning();
    if (!row) throw new Error("price insert returned nothing");
    return row;
  };
  const starter = await plan("starter", "Starter", 0);
  const exclusivePlan = await plan("starter-ex", "Starter (ex GST)", 0);
  const trialPlan = await plan("pro", "Pro", 14);
  return {
    productId,
    plan: starter,
    audInclusive: await price(starter.id, "aud", 1000, "inclusive"),
    usdExclusive: await price(starter.id, "usd", 1500, "exclusive"),
    exclusivePlan,
    audExclusive: await price(exclusivePlan.id, "aud", 1000, "exclusive"),
    trialPlan,
    audTrial: await price(trialPlan.id, "aud", 2900, "inclusive"),
  };
}

export interface CustomerOverrides {
  email?: string;
  name?: string;
  currency?: string;
  timezone?: string;
  address?: Address;
  testClockId?: string | null;
  /** A Stripe test PaymentMethod token to attach as the default; null for none. Default pm_card_visa. */
  card?: string | null;
}

/** An Australian customer billed in AUD, with pm_card_visa as the default payment method unless told otherwise. */
export async function makeCustomer(c: ServiceContext, overrides: CustomerOverrides = {}): Promise<CustomerRow> {
  const customer = await createCustomer(c, {
    email: overrides.email ?? `c_${randomToken(8).toLowerCase()}@example.test`,
    name: overrides.name ?? "Casey Customer",
    currency: overrides.currency ?? "aud",
    timezone: overrides.timezone ?? "Australia/Sydney",
    address: overrides.address ?? { country: "AU" },
    testClockId: overrides.testClockId ?? null,
  });
  const card = overrides.card === undefined ? "pm_card_visa" : overrides.card;
  if (card) {
    const method = await attachPaymentMethod(c, { customerId: customer.id, token: card });
    return { ...customer, defaultPaymentMethodId: method.id };
  }
  return customer;
}

/** A test clock frozen at `frozenTime`. */
export async function makeTestClock(db: Db, frozenTime: Date): Promise<string> {
  const id = newId("testClock");
  await db.insert(testClocks).values({ id, name: "test", frozenTime });
  return id;
}

export async function paymentsOf(db: Db, invoiceId: string) {
  return db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.attempt));
}

export async function invoicesOfCustomer(db: Db, customerId: string) {
  return db.select().from(invoices).where(eq(invoices.customerId, customerId)).orderBy(asc(invoices.createdAt));
}

export async function historyOf(db: Db, subscriptionId: string) {
  const rows = await db
    .select()
    .from(subscriptionStatusHistory)
    .where(eq(subscriptionStatusHistory.subscriptionId, subscriptionId))
    .orderBy(asc(subscriptionStatusHistory.id));
  return rows.map((r) => ({ from: r.fromStatus, to: r.toStatus, reason: r.reason }));
}

export async function eventsFor(db: Db, entityId: string, type?: string) {
  return db
    .select()
    .from(outboxEvents)
    .where(type ? and(eq(outboxEvents.entityId, entityId), eq(outboxEvents.type, type)) : eq(outboxEvents.entityId, entityId))
    .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id));
}

/** Needs real PostgreSQL (concurrency): declared everywhere, skipped on PGlite. */
export const needsPostgres = !process.env.DATABASE_URL;
