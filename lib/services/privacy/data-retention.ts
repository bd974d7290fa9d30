import type { Db } from "@/db/client";
import {
  allowRetentionWrites,
  archiveAuditBatch,
  countRetention,
  deleteEmailsBatch,
  deleteOutboxBatch,
  deleteStripeEventsBatch,
  dueErasures,
  pseudonymizeBillTo,
  type RetentionCounts,
  type RetentionCutoffs,
} from "@/db/queries/data-retention";
import { systemActor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import type { ServiceContext } from "../context";
import { getSetting } from "../settings/settings";
import { DELETED_CUSTOMER_NAME, pseudonymousEmail, retentionEnd } from "./retention";

export type { RetentionCounts } from "@/db/queries/data-retention";

/** Rows per batch: each batch is its own short transaction, so the run never holds many locks at once. */
export const RETENTION_BATCH = 1000;

export interface RetentionPlan {
  counts: RetentionCounts;
  /** Audit entries recorded before this go to the archive. */
  auditBefore: Date;
  /** Dispatched outbox events, processed Stripe events and emails created before this are deleted. */
  eventsBefore: Date;
  auditYears: number;
  eventsYears: number;
}

async function cutoffs(ctx: Pick<ServiceContext, "db" | "now">): Promise<{ c: RetentionCutoffs; auditYears: number; eventsYears: number }> {
  const [auditYears, eventsYears] = await Promise.all([getSetting(ctx.db, "retention.audit_years"), getSetting(ctx.db, "retention.events_years")]);
  // The same calendar day that many years back (29 Feb → 28 Feb), as retain_until is computed forwards.
  return { c: { audit: retentionEnd(ctx.now, -auditYears), events: retentionEnd(ctx.now, -eventsYears), now: ctx.now }, auditYears, eventsYears };
}

/**
 * The dry run: how many rows the retention run would archive, delete or pseudonymize now, per
 * category, without writing anything (docs/decisions/014-privacy.md, "What is kept").
 */
export async function planRetention(ctx: Pick<ServiceContext, "db" | "now">): Promise<RetentionPlan> {
  const { c, auditYears, eventsYears } = await cutoffs(ctx);
  return { counts: await countRetention(ctx.db, c), auditBefore: c.audit, eventsBefore: c.events, auditYears, eventsYears };
}

async function drain(batch: () => Promise<number>, size: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch();
    total += n;
    if (n < size) return total;
  }
}

/**
 * Apply retention, in batches, idempotently (a second run finds nothing left):
 * - audit entries recorded before `retention.audit_years` ago move to audit_log_archive (each batch
 *   one transaction that sets `tally.retention`, the only way the append-only trigger lets an entry go);
 * - dispatched outbox events, processed Stripe events and stored emails older than
 *   `retention.events_years` are deleted;
 * - erased customers whose retain_until has passed: the bill-to blocks of their invoices become the
 *   pseudonym (amounts and invoice rows stay), recorded as `financial_records_purged_at`.
 * One audit entry (`data_retention.applied`) records the counts.
 */
export async function applyRetention(ctx: ServiceContext, opts: { batchSize?: number } = {}): Promise<RetentionPlan> {
  const size = opts.batchSize ?? RETENTION_BATCH;
  const { c, auditYears, eventsYears } = await cutoffs(ctx);
  const { db, now } = ctx;
  const auditEntries = await drain(
    () =>
      db.transaction(async (tx) => {
        await allowRetentionWrites(tx);
        return archiveAuditBatch(tx, c.audit, size, now);
      }),
    size,
  );
  const outboxEvents = await drain(() => deleteOutboxBatch(db, c, size), size);
  const stripeEvents = await drain(() => deleteStripeEventsBatch(db, c, size), size);
  const emails = await drain(() => deleteEmailsBatch(db, c, size), size);
  let erasures = 0;
  let billToBlocks = 0;
  for (;;) {
    const due = await dueErasures(db, c, size);
    for (const customerId of due) {
      billToBlocks += await db.transaction(async (tx) => {
        await allowRetentionWrites(tx);
        return pseudonymizeBillTo(tx, customerId, { name: DELETED_CUSTOMER_NAME, email: pseudonymousEmail(customerId) }, now);
      });
      erasures += 1;
    }
    if (due.length < size) break;
  }
  const counts: RetentionCounts = { auditEntries, outboxEvents, stripeEvents, emails, erasures, billToBlocks };
  await recordAudit(
    db,
    ctx.actor,
    { action: "data_retention.applied", entityType: "data_retention", entityId: now.toISOString().slice(0, 10), after: { counts, audit_before: c.audit, events_before: c.events, audit_years: auditYears, events_years: eventsYears } },
    now,
    ctx.requestId,
  );
  return { counts, auditBefore: c.audit, eventsBefore: c.events, auditYears, eventsYears };
}

export interface RetentionJobResult {
  mode: "applied" | "dry_run";
  counts: RetentionCounts;
}

/**
 * The daily job `retention.run` (local runner and Inngest): applies retention when the setting
 * `retention.automatic` is on; otherwise only the dry run, whose counts the job run records for the console.
 */
export async function runRetentionJob(db: Db, now: Date): Promise<RetentionJobResult> {
  if (await getSetting(db, "retention.automatic")) {
    const applied = await applyRetention({ db, now, actor: systemActor("retention.run") });
    return { mode: "applied", counts: applied.counts };
  }
  return { mode: "dry_run", counts: (await planRetention({ db, now })).counts };
}
