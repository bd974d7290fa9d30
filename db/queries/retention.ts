import { and, desc, eq, gte, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { auditLog, cancellationAttempts, retentionOffers, users } from "../schema";
import type { CancellationReason, RetentionOutcome } from "@/lib/billing/retention/vocabulary";
import { DAY_MS } from "@/lib/time";

export type RetentionOfferRow = typeof retentionOffers.$inferSelect;
export type CancellationAttemptRow = typeof cancellationAttempts.$inferSelect;

export async function listRetentionOfferRows(tx: Executor): Promise<RetentionOfferRow[]> {
  return tx.select().from(retentionOffers);
}

export async function findRetentionOfferRow(tx: Executor, reason: CancellationReason): Promise<RetentionOfferRow | undefined> {
  const [row] = await tx.select().from(retentionOffers).where(eq(retentionOffers.reason, reason));
  return row;
}

export async function findAttempt(tx: Executor, id: string): Promise<CancellationAttemptRow | undefined> {
  const [row] = await tx.select().from(cancellationAttempts).where(eq(cancellationAttempts.id, id));
  return row;
}

/** Locks the attempt so a double submit decides it once. */
export async function lockAttempt(tx: Executor, id: string): Promise<CancellationAttemptRow | undefined> {
  const [row] = await tx.select().from(cancellationAttempts).where(eq(cancellationAttempts.id, id)).for("update");
  return row;
}

/** Every offer this subscription was shown, newest first: the input to "not the same discount twice". */
export async function offersShown(tx: Executor, subscriptionId: string) {
  const rows = await tx
    .select({ offer: cancellationAttempts.offer, at: cancellationAttempts.startedAt })
    .from(cancellationAttempts)
    .where(and(eq(cancellationAttempts.subscriptionId, subscriptionId), isNotNull(cancellationAttempts.offer)))
    .orderBy(desc(cancellationAttempts.startedAt));
  return rows.flatMap((r) => (r.offer ? [{ kind: r.offer.terms.kind, at: r.at }] : []));
}

/** Earlier passes through the flow that never reached a decision become `abandoned` when a new one starts. */
export async function abandonOpenAttempts(tx: Executor, subscriptionId: string, at: Date): Promise<number> {
  const rows = await tx
    .update(cancellationAttempts)
    .set({ outcome: "abandoned", decidedAt: at })
    .where(and(eq(cancellationAttempts.subscriptionId, subscriptionId), isNull(cancellationAttempts.outcome)))
    .returning({ id: cancellationAttempts.id });
  return rows.length;
}

/** An attempt's outcome as of `asOf`: its decision, or abandoned once a day passed without one; null while in progress. */
export function effectiveOutcome(asOf: Date) {
  const dayBefore = new Date(asOf.getTime() - DAY_MS);
  return sql<RetentionOutcome | null>`coalesce(${cancellationAttempts.outcome}, case when ${cancellationAttempts.startedAt} < ${dayBefore} then 'abandoned' end)`;
}

export interface OutcomeCount {
  reason: CancellationReason;
  /** null: still in progress (started in the last day without a decision). */
  outcome: RetentionOutcome | null;
  count: number;
}

/**
 * Attempts started in [since, until) by reason and outcome. An attempt left undecided for a day
 * counts as abandoned: nobody stays on a cancel page that long.
 */
export async function outcomeCounts(tx: Executor, since: Date, until: Date): Promise<OutcomeCount[]> {
  const outcome = effectiveOutcome(until);
  const rows = await tx
    .select({ reason: cancellationAttempts.reason, outcome, count: sql<number>`count(*)::int` })
    .from(cancellationAttempts)
    .where(and(gte(cancellationAttempts.startedAt, since), lt(cancellationAttempts.startedAt, until)))
    .groupBy(sql`1, 2`); // by position: the outcome expression carries a bound parameter
  return rows;
}

/** The latest changes to the offers, from the audit log. */
export async function recentOfferChanges(tx: Executor, limit = 10) {
  return tx
    .select({ entry: auditLog, actorEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(eq(auditLog.entityType, "retention_offer"))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
