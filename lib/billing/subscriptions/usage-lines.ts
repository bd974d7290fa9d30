import { AppError } from "@/lib/errors";
import { priceAmount } from "../pricing";
import type { LineInput, MeteredUsage, SubscriptionItemTerms } from "../types";

/**
 * Metered items (decision 030): billed in arrears, one line per metered item for the usage its
 * meter measured over the item's part of the period, priced by the price's model and rounded once
 * (priceAmount). A licensed item is billed in advance by periodLines and never here.
 */

export const isMetered = (item: SubscriptionItemTerms): boolean => item.price.usageType === "metered";

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * The whole units a meter's value bills: the value rounded up (a started unit counts, like a
 * started package). Events are measured exactly first (a sum of 0.25 GB events), so this is the
 * line's one rounding of quantity.
 */
export function billedQuantity(value: string): number {
  const match = DECIMAL.exec(value);
  if (!match) throw new Error(`a meter value must be a non-negative decimal, got ${JSON.stringify(value)}`);
  const whole = Number(match[1]);
  const fraction = /[1-9]/.test(match[2] ?? "") ? 1 : 0;
  const quantity = whole + fraction;
  if (!Number.isSafeInteger(quantity)) throw new AppError("out_of_range", { param: "usage", userMessage: `The measured usage ${value} is too large to bill.` });
  return quantity;
}

/** A metered item's line for `usage` (its own measure, or a part of it: usage so far at a change). */
export function usageLine(item: SubscriptionItemTerms, usage: MeteredUsage): LineInput {
  const quantity = billedQuantity(usage.value);
  const wholeUnitPrice = item.price.billingScheme === "per_unit" && !item.price.unitAmountDecimal && (item.price.packageSize ?? 1) <= 1;
  return {
    description: `${item.plan.name} usage`,
    amount: priceAmount(item.price, quantity),
    quantity,
    unitAmount: wholeUnitPrice ? item.price.unitAmount : null,
    periodStart: usage.from,
    periodEnd: usage.to,
    proration: false,
    priceId: item.price.id,
    planId: item.plan.id,
    taxBehavior: item.price.taxBehavior,
  };
}

/** One line per metered item whose usage was loaded (zero usage included: the invoice shows it). */
export function usageLines(items: readonly SubscriptionItemTerms[]): LineInput[] {
  return items.flatMap((item) => (isMetered(item) && item.usage ? [usageLine(item, item.usage)] : []));
}

/** Where a metered item starts measuring in a period: the period's start, or later when it came in mid-period. */
export function usageStart(item: SubscriptionItemTerms, periodStart: Date): Date {
  return item.usageFrom && item.usageFrom > periodStart ? item.usageFrom : periodStart;
}

/** What an item's usage over [from, to) has been billed so far: the quantities and amounts of its lines. */
export interface BilledUsage {
  item: SubscriptionItemTerms;
  from: Date;
  to: Date;
  quantity: number;
  amount: number;
}

/**
 * The supplemental line for usage reported after [from, to) was billed (decision 030): the
 * difference between what the whole measured usage costs (priced and rounded once, as the original
 * line was) and what was billed, so the window's lines always add up to priceAmount(measured) —
 * late events are priced in the tiers they land in. Null when nothing more was used.
 */
export function lateUsageLine(billed: BilledUsage, value: string): LineInput | null {
  const quantity = billedQuantity(value);
  if (quantity <= billed.quantity) return null;
  const whole = usageLine(billed.item, { from: billed.from, to: billed.to, value });
  return { ...whole, description: `${billed.item.plan.name} usage reported late`, quantity: quantity - billed.quantity, amount: whole.amount - billed.amount, unitAmount: whole.unitAmount };
}
