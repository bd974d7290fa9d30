/**
 * Test data, made one way: catalog rows (products, plans, prices), customers with a card, and test
 * clocks. Each factory gives unique codes and emails, so a file can call it as often as it likes.
 * Harnesses (scenario clocks, API callers, staff sessions) live in the support file of their folder
 * and build on these.
 */
import type { Db } from "@/db/client";
import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import type { CustomerRow } from "@/db/queries/customers";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { plans, prices, products, testClocks, type Address } from "@/db/schema";
import { newId, randomToken } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/customers/create-customer";
import { attachPaymentMethod } from "@/lib/services/payment-methods/attach-payment-method";

export async function makeProduct(db: Db, name = "Test Cloud"): Promise<string> {
  const id = newId("product");
  await db.insert(products).values({ id, name });
  return id;
}

export interface PriceSpec {
  /** Minor units. */
  unitAmount: number;
  /** Default aud. */
  currency?: string;
  /** Default inclusive (GST-inclusive for AUD). */
  taxBehavior?: "inclusive" | "exclusive";
}

/** A price (version 1) for a plan. */
export async function makePrice(db: Db, planId: string, spec: PriceSpec): Promise<PriceRow> {
  const [row] = await db
    .insert(prices)
    .values({ id: newId("price"), planId, currency: spec.currency ?? "aud", version: 1, taxBehavior: spec.taxBehavior ?? "inclusive", unitAmount: spec.unitAmount })
    .returning();
  if (!row) throw new Error("price insert returned nothing");
  return row;
}

export interface PlanSpec extends PriceSpec {
  /** Prefix of the plan's unique code. */
  code: string;
  /** Default the code. */
  name?: string;
  /** The product the plan belongs to; default a new product of its own. */
  productId?: string;
  interval?: "day" | "week" | "month" | "year";
  intervalCount?: number;
  trialDays?: number;
  sortOrder?: number;
}

/** A plan with one price (monthly, AUD, inclusive unless told otherwise). */
export async function makePlan(db: Db, spec: PlanSpec): Promise<{ productId: string; plan: PlanRow; price: PriceRow; planId: string; priceId: string }> {
  const productId = spec.productId ?? (await makeProduct(db, `${spec.code} product`));
  const [plan] = await db
    .insert(plans)
    .values({
      id: newId("plan"),
      productId,
      // Six random characters: the apply-mode comparison (tests/scenarios/apply-modes.ts) sets exactly that suffix aside.
      code: `${spec.code}-${randomToken(6).toLowerCase()}`,
      name: spec.name ?? spec.code,
      interval: spec.interval ?? "month",
      intervalCount: spec.intervalCount ?? 1,
      trialPeriodDays: spec.trialDays ?? 0,
      ...(spec.sortOrder === undefined ? {} : { sortOrder: spec.sortOrder }),
    })
    .returning();
  if (!plan) throw new Error("plan insert returned nothing");
  const price = await makePrice(db, plan.id, spec);
  return { productId, plan, price, planId: plan.id, priceId: price.id };
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

/** A product with three monthly plans. */
export async function makeCatalog(db: Db): Promise<Catalog> {
  const productId = await makeProduct(db);
  const starter = await makePlan(db, { productId, code: "starter", name: "Starter", unitAmount: 1000 });
  const exclusive = await makePlan(db, { productId, code: "starter-ex", name: "Starter (ex GST)", unitAmount: 1000, taxBehavior: "exclusive" });
  const trial = await makePlan(db, { productId, code: "pro", name: "Pro", trialDays: 14, unitAmount: 2900 });
  return {
    productId,
    plan: starter.plan,
    audInclusive: starter.price,
    usdExclusive: await makePrice(db, starter.planId, { currency: "usd", unitAmount: 1500, taxBehavior: "exclusive" }),
    exclusivePlan: exclusive.plan,
    audExclusive: exclusive.price,
    trialPlan: trial.plan,
    audTrial: trial.price,
  };
}

export interface CustomerOverrides {
  email?: string;
  /** Default "Casey Customer"; null for none. */
  name?: string | null;
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
    name: overrides.name === undefined ? "Casey Customer" : overrides.name,
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

/**
 * A subscription row in memory (no database) for the pure plans' unit tests: a monthly, active,
 * automatically charged subscription created at `createdAt`, in its first period; `overrides`
 * set what a case varies.
 */
export function subscriptionRow(overrides: Partial<SubscriptionRow> & Pick<SubscriptionRow, "id" | "customerId" | "currentPeriodStart" | "currentPeriodEnd">): SubscriptionRow {
  const createdAt = overrides.createdAt ?? overrides.currentPeriodStart;
  return {
    status: "active",
    currency: "aud",
    billingCycleAnchor: createdAt,
    trialStart: null,
    trialEnd: null,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    endedAt: null,
    collectionMethod: "charge_automatically",
    daysUntilDue: null,
    latestInvoiceId: null,
    pendingChange: null,
    pausedAt: null,
    pauseResumesAt: null,
    couponId: null,
    promotionCodeId: null,
    discountStart: null,
    discountPeriodsApplied: 0,
    cancellationReason: null,
    nextDueAt: overrides.currentPeriodEnd,
    testClockId: null,
    usageSpendThreshold: null,
    livemode: false,
    metadata: {},
    createdAt,
    ...overrides,
  };
}

/** A customer row in memory (no database) for the pure plans' unit tests: active, in AUD, in Sydney, with no balance or card; `overrides` set what a case varies. */
export function customerRow(overrides: Partial<CustomerRow> & Pick<CustomerRow, "id" | "createdAt">): CustomerRow {
  return {
    email: `${overrides.id}@example.test`,
    name: null,
    currency: "aud",
    timezone: "Australia/Sydney",
    preferredLocales: [],
    address: { country: "AU" },
    taxIds: [],
    taxExempt: "none",
    taxExemptionCertificate: null,
    providedTax: null,
    creditBalance: 0,
    status: "active",
    defaultPaymentMethodId: null,
    gatewayCustomerId: null,
    externalId: null,
    testClockId: null,
    livemode: false,
    metadata: {},
    currentSubscriptionId: null,
    currentSubscriptionStatus: null,
    currentPlanId: null,
    ...overrides,
  };
}
