import { dunningOutcomeRows, mrrSavedRows, retentionOutcomeRows } from "@/db/queries/analytics-outcomes";
import { dunningOutcomes, retentionOutcomes, type DunningOutcomes, type RetentionOutcomes } from "@/lib/analytics/outcomes";
import { AppError } from "@/lib/errors";
import { DAY_MS } from "@/lib/time";
import type { ServiceContext } from "../context";
import { modeOf } from "../api-costs/providers";

export interface OutcomesReport {
  from: string;
  to: string;
  dunning: DunningOutcomes;
  retention: RetentionOutcomes;
}

/**
 * Dunning and retention-offer outcomes of the UTC days [from, to] (decision 035): invoices whose
 * first failed payment and cancel-flow passes that started in the range, each judged as of the
 * range's end (or now, if earlier, for an undecided pass). Test or live figures by the caller's mode.
 */
export async function outcomesReport(ctx: ServiceContext, q: { from: string; to: string }): Promise<OutcomesReport> {
  if (q.from > q.to) throw new AppError("validation_failed", { param: "from", userMessage: "from must be on or before to." });
  const start = new Date(`${q.from}T00:00:00Z`);
  const end = new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS);
  const asOf = end < ctx.now ? end : ctx.now;
  const livemode = modeOf(ctx);
  const [dunning, attempts, saved] = await Promise.all([
    dunningOutcomeRows(ctx.db, livemode, start, end),
    retentionOutcomeRows(ctx.db, livemode, start, end, asOf),
    mrrSavedRows(ctx.db, livemode, start, end),
  ]);
  return { from: q.from, to: q.to, dunning: dunningOutcomes(dunning), retention: retentionOutcomes(attempts, saved) };
}
