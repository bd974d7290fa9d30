import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customers, invoiceLines, invoices, paymentMethods, payments, subscriptionItems, subscriptions } from "@/db/schema";
import { newId, randomToken } from "@/lib/ids";
import { at } from "./support";

/**
 * Rows for the leakage rules, written directly (the rules read rows, whatever wrote them): a
 * customer in UTC, a subscription with items, issued invoices with lines, payments and cards.
 */

export async function leakCustomer(db: Db, name: string): Promise<string> {
  const id = newId("customer");
  await db.insert(customers).values({ id, email: `${id}@leak.test`, name, currency: "usd", timezone: "UTC" });
  return id;
}

export async function leakSubscription(
  db: Db,
  customerId: string,
  items: { priceId: string; quantity?: number; usageFrom?: Date }[],
  period: [string, string],
  overrides: Partial<typeof subscriptions.$inferInsert> = {},
): Promise<string> {
  const id = newId("subscription");
  await db.insert(subscriptions).values({
    id,
    customerId,
    status: "active",
    currency: "usd",
    billingCycleAnchor: at(period[0]),
    currentPeriodStart: at(period[0]),
    currentPeriodEnd: at(period[1]),
    nextDueAt: at(period[1]),
    ...overrides,
  });
  await db.insert(subscriptionItems).values(items.map((item, position) => ({ id: newId("subscriptionItem"), subscriptionId: id, priceId: item.priceId, quantity: item.quantity ?? 1, position, usageFrom: item.usageFrom ?? null })));
  return id;
}

export interface IssuedInvoice {
  customerId: string;
  subscriptionId?: string | null;
  billingReason?: "subscription_create" | "subscription_cycle" | "manual";
  period?: [string, string];
  finalizedAt: string;
  dueDate?: string;
  status?: "open" | "paid" | "void";
  collectionMethod?: "charge_automatically" | "send_invoice";
  total?: number;
  discount?: number;
  couponId?: string | null;
  nextPaymentAttemptAt?: string;
  lines?: { priceId: string; amount: number; period?: [string, string] }[];
}

/** An invoice finalized as finalization leaves it (draft and lines first, then the finalizing update). */
export async function issuedInvoice(db: Db, spec: IssuedInvoice): Promise<string> {
  const id = newId("invoice");
  const total = spec.total ?? 1000;
  const status = spec.status ?? "open";
  await db.insert(invoices).values({
    id,
    customerId: spec.customerId,
    subscriptionId: spec.subscriptionId ?? null,
    status: "draft",
    billingReason: spec.billingReason ?? "subscription_cycle",
    currency: "usd",
    periodStart: spec.period ? at(spec.period[0]) : null,
    periodEnd: spec.period ? at(spec.period[1]) : null,
    subtotal: total + (spec.discount ?? 0),
    discountTotal: spec.discount ?? 0,
    total,
    amountDue: total,
    amountRemaining: total,
    collectionMethod: spec.collectionMethod ?? "charge_automatically",
    couponId: spec.couponId ?? null,
    hostedToken: randomToken(24),
    createdAt: at(spec.finalizedAt),
  });
  const lines = spec.lines ?? [];
  if (lines.length > 0) {
    await db.insert(invoiceLines).values(
      lines.map((l, position) => ({
        id: newId("invoiceLine"),
        invoiceId: id,
        position,
        description: "line",
        amount: l.amount,
        quantity: 1,
        priceId: l.priceId,
        periodStart: l.period ? at(l.period[0]) : null,
        periodEnd: l.period ? at(l.period[1]) : null,
      })),
    );
  }
  await db
    .update(invoices)
    .set({
      status,
      number: `LK-${randomToken(8)}`,
      finalizedAt: at(spec.finalizedAt),
      dueDate: at(spec.dueDate ?? spec.finalizedAt),
      amountPaid: status === "paid" ? total : 0,
      amountRemaining: status === "paid" || status === "void" ? 0 : total,
      paidAt: status === "paid" ? at(spec.finalizedAt) : null,
      voidedAt: status === "void" ? at(spec.finalizedAt) : null,
      nextPaymentAttemptAt: spec.nextPaymentAttemptAt ? at(spec.nextPaymentAttemptAt) : null,
    })
    .where(eq(invoices.id, id));
  return id;
}

export async function leakPayment(db: Db, spec: { invoiceId: string; customerId: string; amount: number; status: "pending" | "succeeded" | "failed"; createdAt?: string }): Promise<string> {
  const id = newId("payment");
  await db.insert(payments).values({
    id,
    invoiceId: spec.invoiceId,
    customerId: spec.customerId,
    amount: spec.amount,
    currency: "usd",
    status: spec.status,
    gateway: "sandbox",
    gatewayId: `pi_sbx_${randomToken(12)}`,
    idempotencyKey: `leak-${randomToken(16)}`,
    attempt: 1,
    // Without a time, the database's now(): microseconds, as real payments have.
    ...(spec.createdAt ? { createdAt: at(spec.createdAt) } : {}),
  });
  return id;
}

/** A card made the customer's default. */
export async function defaultCard(db: Db, customerId: string, expMonth: number, expYear: number): Promise<string> {
  const id = newId("paymentMethod");
  await db.insert(paymentMethods).values({ id, customerId, brand: "visa", last4: "4242", expMonth, expYear, fingerprint: randomToken(12), gateway: "sandbox", gatewayId: `pm_sbx_${randomToken(12)}` });
  await db.update(customers).set({ defaultPaymentMethodId: id }).where(eq(customers.id, customerId));
  return id;
}

/** Usage events need their month's partition on PostgreSQL (no-op on PGlite's plain table). */
export async function ensureUsagePartitions(db: Db, from: string, to: string): Promise<void> {
  await db.execute(sql`select usage_events_ensure_partitions(${at(from).toISOString()}::timestamptz, ${at(to).toISOString()}::timestamptz)`);
}
