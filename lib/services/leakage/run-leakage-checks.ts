import type { Db } from "@/db/client";
import { findLeakage } from "@/db/queries/leakage";
import { latestLeakageRun, saveLeakageRun, type LeakageRunRow } from "@/db/queries/leakage-runs";
import { recordAudit } from "@/lib/audit/record";
import { LEAKAGE_RULES, SNAPSHOT_ITEMS_PER_RULE, snapshotDay, totalsByRule } from "@/lib/billing/leakage/rules";
import type { ServiceContext } from "../context";

export interface LeakageRunSummary {
  day: string;
  /** Items found per rule. */
  counts: Record<string, number>;
}

/**
 * Run the six leakage rules at `now` and store the day's snapshot (decision 034): the per-rule
 * counts and amounts over everything found, and up to SNAPSHOT_ITEMS_PER_RULE items per rule (the largest amounts).
 * Idempotent per UTC day: a second run that day replaces the first with what is true now, so the
 * daily job and "Run checks now" never leave two snapshots for a day. Reads only.
 */
export async function runLeakageChecks(db: Db, now: Date): Promise<LeakageRunSummary> {
  const run = await checkLeakage(db, now);
  await saveLeakageRun(db, run);
  return summaryOf(run);
}

/**
 * The daily job: run the checks unless today's (UTC) snapshot exists already, so the job can poll
 * hourly, restart, or be retried without running the rules twice a day.
 */
export async function runDailyLeakageChecks(db: Db, now: Date): Promise<LeakageRunSummary | { day: string; skipped: true }> {
  const latest = await latestLeakageRun(db);
  const day = snapshotDay(now);
  if (latest && latest.day >= day) return { day, skipped: true };
  return runLeakageChecks(db, now);
}

/** The same, asked for by a staff member: the run is audited (who ran it and what it found). */
export async function runLeakageChecksNow(ctx: ServiceContext): Promise<LeakageRunSummary> {
  const run = await checkLeakage(ctx.db, ctx.now);
  return ctx.db.transaction(async (tx) => {
    await saveLeakageRun(tx, run);
    const summary = summaryOf(run);
    await recordAudit(tx, ctx.actor, { action: "leakage.checked", entityType: "leakage_run", entityId: run.day, after: { counts: summary.counts } }, ctx.now, ctx.requestId);
    return summary;
  });
}

async function checkLeakage(db: Db, now: Date): Promise<LeakageRunRow> {
  const found = await findLeakage(db, now);
  const kept = LEAKAGE_RULES.flatMap((rule) => found.filter((i) => i.rule === rule).sort((a, b) => b.amount - a.amount).slice(0, SNAPSHOT_ITEMS_PER_RULE));
  return { day: snapshotDay(now), ranAt: now, totals: totalsByRule(found), items: kept };
}

function summaryOf(run: LeakageRunRow): LeakageRunSummary {
  return { day: run.day, counts: Object.fromEntries(run.totals.map((t) => [t.rule, t.count])) };
}
