import { createElement, type FunctionComponent } from "react";
import { inArray, eq } from "drizzle-orm";
import type { Executor, Db } from "@/db/client";
import { findCustomer, findPaymentMethod, type CustomerRow, type PaymentMethodRow } from "@/db/queries/customers";
import { findSubscription, type SubscriptionView } from "@/db/queries/subscriptions";
import type { PlanRow, PriceRow } from "@/db/queries/catalog";
import { plans, prices } from "@/db/schema";
import { renderEmail } from "@/emails/render";
import { sendEmail } from "@/lib/email/transport";
import { appUrl } from "@/lib/env";
import { intervalLabel, taxNote } from "@/lib/format";
import type { Formatter } from "@/lib/format";

/** Shared facts the notification handlers put in emails, formatted for the customer. */

export const portalUrl = () => `${appUrl()}/`;
export const paymentMethodsUrl = () => `${appUrl()}/payment-methods`;
export const hostedInvoiceUrl = (hostedToken: string) => `${appUrl()}/i/${hostedToken}`;

/** A date in the customer's calendar. */
export const customerDate = (fmt: Formatter, customer: Pick<CustomerRow, "timezone">, at: Date) => fmt.date(at, customer.timezone);

/** "Visa ending 4242" */
export const cardLabel = (method: Pick<PaymentMethodRow, "brand" | "last4">) => `${method.brand.charAt(0).toUpperCase()}${method.brand.slice(1)} ending ${method.last4}`;

export async function findCardLabel(db: Executor, paymentMethodId: string | null | undefined): Promise<string | null> {
  if (!paymentMethodId) return null;
  const method = await findPaymentMethod(db, paymentMethodId);
  return method ? cardLabel(method) : null;
}

type Item = { quantity: number; price: PriceRow; plan: PlanRow };

/** "Pro" or "Pro, 3 × Seats". */
export function planLabel(items: Item[]): string {
  if (items.length === 0) return "your plan";
  return items.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.plan.name}` : i.plan.name)).join(", ");
}

/** "A$29.00 / month" (fixed per-unit prices summed; "usage-based" when a price is not fixed), with its tax note. */
export function recurringPrice(fmt: Formatter, items: Item[], currency: string): { price: string; taxNote: string } {
  const first = items[0];
  if (!first) return { price: fmt.money(0, currency), taxNote: taxNote("exclusive", currency) };
  const fixed = items.every((i) => i.price.billingScheme === "per_unit" && i.price.usageType === "licensed" && i.price.unitAmount !== null);
  const amount = items.reduce((sum, i) => sum + (i.price.unitAmount ?? 0) * i.quantity, 0);
  const per = intervalLabel(first.plan.interval, first.plan.intervalCount);
  return { price: fixed ? `${fmt.money(amount, currency)} / ${per}` : `usage-based, billed every ${per}`, taxNote: taxNote(first.price.taxBehavior, currency) };
}

/** The plans and prices behind `[{ price, quantity }]` (an event's from/to items). */
export async function resolveItems(db: Executor, items: { price: string; quantity: number }[]): Promise<Item[]> {
  if (items.length === 0) return [];
  const rows = await db
    .select({ price: prices, plan: plans })
    .from(prices)
    .innerJoin(plans, eq(plans.id, prices.planId))
    .where(
      inArray(
        prices.id,
        items.map((i) => i.price),
      ),
    );
  return items.flatMap((i) => {
    const row = rows.find((r) => r.price.id === i.price);
    return row ? [{ quantity: i.quantity, price: row.price, plan: row.plan }] : [];
  });
}

/** `[{ price, quantity }]` from an event payload, or null when the payload has none. */
export function payloadItems(value: unknown): { price: string; quantity: number }[] | null {
  if (!Array.isArray(value)) return null;
  return value.flatMap((v: unknown) => {
    if (typeof v !== "object" || v === null) return [];
    const { price, quantity } = v as { price?: unknown; quantity?: unknown };
    return typeof price === "string" && typeof quantity === "number" ? [{ price, quantity }] : [];
  });
}

/** The subscription and its customer named by an event's payload. */
export async function loadSubscriptionAndCustomer(db: Db, subscriptionId: unknown): Promise<{ subscription: SubscriptionView; customer: CustomerRow } | null> {
  if (typeof subscriptionId !== "string") return null;
  const subscription = await findSubscription(db, subscriptionId);
  if (!subscription) return null;
  const customer = await findCustomer(db, subscription.customerId);
  return customer ? { subscription, customer } : null;
}

/** Render a template and send it once per (eventId, template, recipient). */
export async function sendTemplate<P extends object>(
  db: Db,
  args: { component: FunctionComponent<P>; props: P; subject: string; template: string; eventId: string; customer: Pick<CustomerRow, "id" | "email"> },
): Promise<boolean> {
  const { html, text } = await renderEmail(createElement(args.component, args.props));
  return sendEmail(db, { to: args.customer.email, subject: args.subject, html, text, template: args.template, eventId: args.eventId, customerId: args.customer.id });
}
