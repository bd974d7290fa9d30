import type { Role } from "@/db/schema";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

/**
 * Support's refund limit: the one rule, read by the refund service (which refuses) and by the
 * console's refund dialog (which says so before anyone clicks). Pure, so both sides run the same
 * code; the limits themselves are the setting `refunds.support_limit` (minor units by currency).
 */

/** The largest refund `role` may make in `currency`, or null when the role has no limit. A currency not listed is 0. */
export function refundLimitFor(role: Role | null | undefined, limits: Readonly<Record<string, number>>, currency: string): number | null {
  if (role !== "support") return null;
  return limits[currency.toLowerCase()] ?? 0;
}

/**
 * Why a refund of `amount` is over `limit`, in the words staff read in the dialog and in the refusal;
 * null when it is within the limit (or there is none).
 */
export function overRefundLimit(limit: number | null, amount: number, currency: string): string | null {
  if (limit === null || amount <= limit) return null;
  if (limit === 0) return `Your role cannot refund ${currency.toUpperCase()} payments.`;
  return `Your refund limit is ${fmt.money(limit, currency)}; this refund is ${fmt.money(amount, currency)}.`;
}

/** What to do instead, after `overRefundLimit`. */
export const ESCALATE_REFUND_HINT = "Escalate it to a billing admin.";
