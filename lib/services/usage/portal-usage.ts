import { inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { InvoiceWithLines } from "@/db/queries/invoices";
import { listCustomerSubscriptions } from "@/db/queries/subscriptions";
import { findMeter } from "@/db/queries/usage";
import { prices } from "@/db/schema";
import { priceAmount } from "@/lib/billing/pricing";
import { tierBreakdownWords } from "@/lib/invoices/tier-words";
import type { Formatter } from "@/lib/format";
import type { ServiceContext } from "../context";
import { toItemTerms } from "../subscriptions/item-terms";
import { subscriptionUsage, type MeteredItemUsage } from "./subscription-usage";
import { usageSeries } from "./usage-for";

/** Subscriptions whose usage can still be billed: ended ones have billed theirs. */
const BILLS_USAGE = new Set(["active", "trialing", "past_due", "unpaid", "paused"]);

export interface UsageDay {
  /** The UTC day's start (the period's first day starts with the period). */
  start: Date;
  /** Usage that day as a number for the chart; null for days still to come. */
  value: number | null;
}

export interface CustomerMeteredItem extends MeteredItemUsage {
  subscriptionId: string;
  meterName: string;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
  /** "1,000 × $0.00 + 500 × $0.002" for a tiered price with usage; null otherwise. */
  tiers: string | null;
  /** Every UTC day of the current period: measured up to now, null after. */
  days: UsageDay[];
}

/**
 * A customer's metered items in their current periods, as the portal shows them: the usage so far
 * and what it will cost (the line the renewal bills, subscriptionUsage), how its tiers split it, and
 * its usage per day. Subscriptions without metered items are skipped without loading their state.
 */
export async function customerMeteredUsage(ctx: ServiceContext, customerId: string, fmt: Formatter): Promise<CustomerMeteredItem[]> {
  const subs = (await listCustomerSubscriptions(ctx.db, customerId)).filter((s) => BILLS_USAGE.has(s.status) && s.items.some((i) => i.price.usageType === "metered"));
  const perSub = await Promise.all(
    subs.map(async (sub) => {
      const usage = await subscriptionUsage(ctx, sub.id);
      return Promise.all(
        usage.items.map(async (item): Promise<CustomerMeteredItem> => {
          const row = sub.items.find((i) => i.price.id === item.priceId);
          const [meter, measured] = await Promise.all([
            findMeter(ctx.db, item.meterId),
            item.from < item.to ? usageSeries(ctx, { customer: customerId, meter: item.meterId, from: item.from, to: item.to, interval: "day" }) : [],
          ]);
          const terms = row ? toItemTerms(row.price, row.plan, row.quantity).price : null;
          return {
            ...item,
            subscriptionId: sub.id,
            meterName: meter?.name ?? item.planName,
            currency: usage.currency,
            periodStart: usage.periodStart,
            periodEnd: usage.periodEnd,
            tiers: terms ? tierBreakdownWords(terms, item.quantity, fmt) : null,
            days: periodDays(usage.periodStart, usage.periodEnd, measured.map((b) => ({ start: b.start, value: Number(b.value) }))),
          };
        }),
      );
    }),
  );
  return perSub.flat();
}

/** Each UTC day of [start, end) with its measured value where there is one, null where not yet. */
export function periodDays(start: Date, end: Date, measured: readonly { start: Date; value: number }[]): UsageDay[] {
  const days: UsageDay[] = [];
  const byDay = new Map<number, number>();
  for (const m of measured) byDay.set(dayOf(m.start), (byDay.get(dayOf(m.start)) ?? 0) + m.value);
  for (let at = start; at < end; at = new Date(dayOf(at) + 86_400_000)) {
    days.push({ start: at, value: byDay.get(dayOf(at)) ?? (measured.length > 0 && at <= (measured.at(-1)?.start ?? start) ? 0 : null) });
  }
  return days;
}

const dayOf = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/**
 * How each usage line of an invoice split over its price's tiers, by line id: only for lines of a
 * tiered metered price whose amount is exactly that price for the line's quantity (a late-usage
 * line bills a difference, so it has none).
 */
export async function invoiceTierWords(db: Executor, invoice: InvoiceWithLines, fmt: Formatter): Promise<Map<string, string>> {
  const ids = [...new Set(invoice.lines.flatMap((l) => (l.priceId ? [l.priceId] : [])))];
  const words = new Map<string, string>();
  if (ids.length === 0 || invoice.billingReason === "usage_late") return words;
  const rows = await db.select().from(prices).where(inArray(prices.id, ids));
  for (const line of invoice.lines) {
    const price = rows.find((p) => p.id === line.priceId);
    if (!price || price.usageType !== "metered" || price.billingScheme !== "tiered" || line.proration) continue;
    if (priceAmount(price, line.quantity) !== line.amount) continue;
    const text = tierBreakdownWords(price, line.quantity, fmt);
    if (text) words.set(line.id, text);
  }
  return words;
}
