import { normalizeCurrency } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import { modeOf } from "../api-costs/providers";
import type { ServiceContext } from "../context";
import { monthMovements } from "./month-movements";

export interface RevenueSummary {
  month: string;
  currency: string;
  billed: number;
  recognized: number;
  deferredOpening: number;
  deferredClosing: number;
  refunded: number;
}

/**
 * The revenue waterfall of a UTC month in one currency (default: the install's default currency):
 * deferred opening + billed − recognised = deferred closing, every figure net of tax and
 * discounts; billed is net of the credit notes and voids of the month, refunded is the part of
 * those credits that was refunded (decision 033).
 */
export async function revenueSummary(ctx: ServiceContext, query: { month: string; currency?: string }): Promise<RevenueSummary> {
  const currency = normalizeCurrency(query.currency ?? signupDefaults.currency);
  const m = (await monthMovements(ctx.db, modeOf(ctx), query.month, currency)).get(currency);
  return {
    month: query.month,
    currency,
    billed: m?.flows.billed ?? 0,
    recognized: m?.flows.recognized ?? 0,
    deferredOpening: m?.flows.deferredOpening ?? 0,
    deferredClosing: m?.flows.deferredClosing ?? 0,
    refunded: m?.refunded ?? 0,
  };
}
