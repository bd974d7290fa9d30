import type { Db } from "@/db/client";
import { mrrBuckets, openingMrr, type MrrBucketRow } from "@/db/queries/mrr-series";
import { writeMrrMovements } from "@/db/queries/mrr";
import { movementKinds, type MovementKind } from "@/lib/analytics/mrr";
import { AppError } from "@/lib/errors";
import { addDecimal, normalizeCurrency, roundDecimal, ZERO_DECIMAL, type ExactDecimal } from "@/lib/money";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { fxConverter } from "../api-costs/fx";
import { modeOf } from "../api-costs/providers";

/** Rebuild every customer's MRR movements from the invoices and status history (decision 032). */
export async function rebuildMrr(db: Db): Promise<number> {
  return db.transaction((tx) => writeMrrMovements(tx, null));
}

/** Recompute the movements of the given customers: what the write path runs after their subscriptions or invoices change. */
export async function refreshCustomerMrr(db: Db, customerIds: readonly string[]): Promise<number> {
  return db.transaction((tx) => writeMrrMovements(tx, customerIds));
}

export interface MrrPoint {
  /** The bucket's first day (YYYY-MM-DD). */
  date: string;
  /** MRR at the bucket's last day. */
  mrr: number;
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
function nextMonth(day: string): string {
  const d = new Date(`${monthStart(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/** The buckets of [from, to]: each with its first day and the day its MRR is read (its last, capped at `to`). */
function bucketsOf(from: string, to: string, interval: "day" | "month"): { date: string; last: string }[] {
  const out: { date: string; last: string }[] = [];
  for (let d = interval === "day" ? from : monthStart(from); d <= to; d = interval === "day" ? addDays(d, 1) : nextMonth(d)) {
    const end = interval === "day" ? d : addDays(nextMonth(d), -1);
    out.push({ date: d, last: end < to ? end : to });
    if (out.length > 3700) throw new AppError("validation_failed", { param: "from", userMessage: "At most about ten years of days: use interval=month." });
  }
  return out;
}

type ExactPoint = { date: string; last: string; mrr: ExactDecimal } & Record<MovementKind, ExactDecimal>;
const exact = (n: number | string): ExactDecimal => ({ units: BigInt(n), scale: 0 });

/**
 * The MRR series of [from, to] (UTC days) by day or month: each bucket's movements summed and the
 * MRR at its last day, in the reporting `currency` (default the install's default currency): every
 * currency converted into it at the rate of the bucket's last day and summed exactly, each figure
 * rounded once (a 422 fx_rate_missing when a rate is missing). Test or live figures by the caller's mode.
 */
export async function mrrSeries(ctx: ServiceContext, q: { from: string; to: string; interval: "day" | "month"; currency?: string }): Promise<{ currency: string; data: MrrPoint[] }> {
  if (q.from > q.to) throw new AppError("validation_failed", { param: "from", userMessage: "from must be on or before to." });
  const buckets = bucketsOf(q.from, q.to, q.interval);
  const db = ctx.db;
  const [rows, opening] = await Promise.all([mrrBuckets(db, modeOf(ctx), q.from, q.to, q.interval), openingMrr(db, modeOf(ctx), q.from)]);
  const currencies = [...new Set([...opening.keys(), ...rows.map((r) => r.currency)])].sort();
  const target = normalizeCurrency(q.currency ?? signupDefaults.currency, "currency");
  const perCurrency = currencies.map((c) => ({ currency: c, points: pointsOf(buckets, rows.filter((r) => r.currency === c), opening.get(c) ?? 0) }));
  const convert = await fxConverter(db, perCurrency.flatMap((p) => p.points.map((pt) => ({ currency: p.currency, day: pt.last }))), target);
  const data = buckets.map((b, i) => {
    const sum = (field: "mrr" | MovementKind) => roundDecimal(perCurrency.reduce((acc, p) => addDecimal(acc, convert({ amount: p.points[i]![field], currency: p.currency, day: b.last })), ZERO_DECIMAL));
    return { date: b.date, mrr: sum("mrr"), new: sum("new"), expansion: sum("expansion"), contraction: sum("contraction"), churn: sum("churn"), reactivation: sum("reactivation") };
  });
  return { currency: target, data };
}

function pointsOf(buckets: { date: string; last: string }[], rows: MrrBucketRow[], opening: number): ExactPoint[] {
  let mrr = BigInt(opening);
  const deltas = new Map(rows.map((r) => [`${r.bucket} ${r.kind}`, r.delta]));
  return buckets.map((b) => {
    const point = { date: b.date, last: b.last } as ExactPoint;
    for (const kind of movementKinds) {
      const delta = deltas.get(`${b.date} ${kind}`) ?? "0";
      point[kind] = exact(delta);
      mrr += BigInt(delta);
    }
    point.mrr = { units: mrr, scale: 0 };
    return point;
  });
}
