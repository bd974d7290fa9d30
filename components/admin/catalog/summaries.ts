import { parseMajor } from "@/lib/money";
import { couponTermsLabel, meterMeasures, perInterval, taxLabel } from "./terms";
import type { Formatter } from "@/lib/format";

/**
 * What a catalog form will do, in one or two sentences with the money in them, for its
 * confirmation dialog. Null when the values cannot be described yet: the server then says what to fix.
 */
export type SummaryKind = "plan" | "price_version" | "coupon" | "promotion_code" | "meter" | "rebill";

export interface SummaryContext {
  planName?: string;
  interval?: { unit: string; count: number };
  /** The current version per currency: what existing subscribers keep paying. */
  current?: Record<string, { label: string; version: number; subscribers: number }>;
  couponTerms?: string;
  couponName?: string;
  /** Meter forms: each existing code's newest version (a code that exists gets its next version). */
  meterVersions?: Record<string, number>;
  /** The rebill form: the provider's name. */
  providerName?: string;
}

function money(amount: string | undefined, currency: string, fmt: Formatter): { minor: number; text: string } | null {
  try {
    const minor = parseMajor((amount ?? "").trim().replace(/,/g, ""), currency);
    return minor < 0 ? null : { minor, text: fmt.money(minor, currency) };
  } catch {
    return null;
  }
}

function dateText(value: string | undefined, fmt: Formatter): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return fmt.date(new Date(`${value}T00:00:00Z`));
}

function limits(max: string | undefined, until: string | undefined, fmt: Formatter): string {
  const parts: string[] = [];
  if (max && /^\d+$/.test(max.trim())) parts.push(`at most ${Number(max)} redemption${Number(max) === 1 ? "" : "s"}`);
  const date = dateText(until, fmt);
  if (date) parts.push(`until the end of ${date} (UTC)`);
  return parts.length ? ` Limited to ${parts.join(", ")}.` : " No limit on redemptions or dates.";
}

export function summarize(kind: SummaryKind, v: Record<string, string>, ctx: SummaryContext, fmt: Formatter): string | null {
  switch (kind) {
    case "plan": {
      const currency = (v.currency ?? "").trim().toLowerCase();
      const amount = /^[a-z]{3}$/.test(currency) ? money(v.amount, currency, fmt) : null;
      if (!amount || !v.name?.trim()) return null;
      const count = Number(v.interval_count || "1");
      const trial = Number(v.trial_period_days || "0");
      return `New subscribers to ${v.name.trim()} will pay ${amount.text}${perInterval(v.interval ?? "month", Number.isSafeInteger(count) && count > 0 ? count : 1)} (${taxLabel(v.tax_behavior === "exclusive" ? "exclusive" : "inclusive", currency)})${trial > 0 ? ` after a ${trial}-day trial` : ""}. No one is charged until they subscribe.`;
    }
    case "price_version": {
      const currency = (v.currency ?? "").trim().toLowerCase();
      const amount = /^[a-z]{3}$/.test(currency) ? money(v.amount, currency, fmt) : null;
      if (!amount || !ctx.interval) return null;
      const per = perInterval(ctx.interval.unit, ctx.interval.count);
      const now = `From now on, new subscribers to ${ctx.planName ?? "this plan"} pay ${amount.text}${per} (${taxLabel(v.tax_behavior === "exclusive" ? "exclusive" : "inclusive", currency)}).`;
      const current = ctx.current?.[currency];
      if (!current) return `${now} This is the plan's first ${currency.toUpperCase()} price.`;
      const n = current.subscribers;
      return `${now} ${n} subscription${n === 1 ? "" : "s"} on version ${current.version} (${current.label}) keep${n === 1 ? "s" : ""} paying that until you migrate them.`;
    }
    case "coupon": {
      const duration = v.duration === "once" || v.duration === "forever" ? v.duration : "repeating";
      const months = Number(v.duration_in_periods);
      if (duration === "repeating" && !(Number.isSafeInteger(months) && months > 0)) return null;
      let terms: string;
      if (v.kind === "amount") {
        const currency = (v.currency ?? "").trim().toLowerCase();
        const amount = /^[a-z]{3}$/.test(currency) ? money(v.amount_off, currency, fmt) : null;
        if (!amount || amount.minor === 0) return null;
        terms = couponTermsLabel({ percentOffBps: null, amountOff: amount.minor, currency, duration, durationInPeriods: months || null }, fmt);
      } else {
        const percent = Number(v.percent_off);
        if (!(percent > 0 && percent <= 100)) return null;
        terms = couponTermsLabel({ percentOffBps: Math.round(percent * 100), amountOff: null, currency: null, duration, durationInPeriods: months || null }, fmt);
      }
      return `Subscriptions that redeem ${v.name?.trim() ? `“${v.name.trim()}”` : "this coupon"} get ${terms} on their invoices.${limits(v.max_redemptions, v.redeem_by, fmt)}`;
    }
    case "meter": {
      const code = (v.code ?? "").trim();
      if (!code || !v.name?.trim() || !v.aggregation) return null;
      const property = (v.property ?? "").trim() || null;
      if (v.aggregation !== "count" && !property) return null;
      const measures = meterMeasures({ aggregation: v.aggregation, valueProperty: property, uniqueProperty: property });
      const filtered = (v.filters ?? "").trim() ? " counting only events that pass its filters" : "";
      const current = ctx.meterVersions?.[code];
      if (current === undefined) {
        return `${v.name.trim()} (${code}) will measure ${measures}${filtered} for each customer. Events reported with meter “${code}” are checked against it from now on.`;
      }
      return `This makes version ${current + 1} the current definition of ${code}: ${measures}${filtered}. New events are checked against it and new periods are measured by it; periods that are already open keep being measured by version ${current} until they end. Nothing already stored changes.`;
    }
    case "rebill": {
      const meter = (v.meter ?? "").trim();
      const markup = (v.markup_percent ?? "").trim() || "0";
      const currency = (v.currency ?? "").trim().toUpperCase();
      if (!meter || !/^\d+(\.\d{1,2})?$/.test(markup) || !/^[A-Z]{3}$/.test(currency)) return null;
      return `From now on, each ${ctx.providerName ?? "provider"} cost attributed to a customer also feeds the meter ${meter} with the cost plus ${markup}%, in ${currency} (costs in other currencies at their day's exchange rate), and is billed through the customer's metered price. Costs already recorded are not rebilled.`;
    }
    case "promotion_code": {
      const code = (v.code ?? "").trim();
      if (!code) return null;
      return `Customers who enter ${code} get ${ctx.couponTerms ?? "the coupon's discount"}${ctx.couponName ? ` (${ctx.couponName})` : ""}.${limits(v.max_redemptions, v.expires_at, fmt)}`;
    }
  }
}
