import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "../client";
import { auditLog, auditLogArchive, customerErasures, emails, invoiceBillTo, outboxEvents, stripeEvents } from "../schema";

/** What the data-retention run removes, per category (docs/decisions/014-privacy.md). */
export interface RetentionCounts {
  /** Audit entries moved to audit_log_archive. */
  auditEntries: number;
  /** Dispatched outbox events deleted. */
  outboxEvents: number;
  /** Processed Stripe events deleted. */
  stripeEvents: number;
  /** Stored emails deleted. */
  emails: number;
  /** Erased customers whose retention period ended (their bill-to blocks pseudonymized). */
  erasures: number;
  /** Bill-to blocks of those customers' invoices pseudonymized. */
  billToBlocks: number;
}

/** The dates before which each category goes, and the time of the run (retain_until at or before it). */
export interface RetentionCutoffs {
  audit: Date;
  events: Date;
  now: Date;
}

const oldOutbox = (c: RetentionCutoffs) => and(isNotNull(outboxEvents.dispatchedAt), lt(outboxEvents.createdAt, c.events));
const oldStripeEvents = (c: RetentionCutoffs) => and(isNotNull(stripeEvents.processedAt), lt(stripeEvents.receivedAt, c.events));
const dueErasure = (c: RetentionCutoffs) => and(lte(customerErasures.retainUntil, c.now), isNull(customerErasures.financialRecordsPurgedAt));

/** The counts the run would remove now, without writing (the dry run). */
export async function countRetention(db: Executor, c: RetentionCutoffs): Promise<RetentionCounts> {
  const count = (table: SQLTable, where: SQL | undefined) => db.$count(table, where);
  const [auditEntries, outbox, stripe, mail, erasures, billTo] = await Promise.all([
    count(auditLog, lt(auditLog.recordedAt, c.audit)),
    count(outboxEvents, oldOutbox(c)),
    count(stripeEvents, oldStripeEvents(c)),
    count(emails, lt(emails.createdAt, c.events)),
    count(customerErasures, dueErasure(c)),
    count(invoiceBillTo, inArray(invoiceBillTo.customerId, db.select({ id: customerErasures.customerId }).from(customerErasures).where(dueErasure(c)))),
  ]);
  return { auditEntries, outboxEvents: outbox, stripeEvents: stripe, emails: mail, erasures, billToBlocks: billTo };
}

type SQLTable = typeof auditLog | typeof outboxEvents | typeof stripeEvents | typeof emails | typeof customerErasures | typeof invoiceBillTo;

/**
 * Move up to `limit` of the oldest audit entries before the cutoff into the archive, inside a
 * transaction that has set `tally.retention` (the audit log's trigger refuses the delete otherwise,
 * and allows it only for entries already in the archive). Returns how many moved.
 */
export async function archiveAuditBatch(tx: Executor, cutoff: Date, limit: number, at: Date): Promise<number> {
  const moved = await queryRows<{ id: string | number }>(
    tx,
    sql`insert into ${auditLogArchive} (id, at, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id, recorded_at, archived_at)
      select id, at, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id, recorded_at, ${at}
      from ${auditLog} where recorded_at < ${cutoff} order by recorded_at, id limit ${limit}
      returning id`,
  );
  if (moved.length === 0) return 0;
  await tx.delete(auditLog).where(inArray(auditLog.id, moved.map((r) => Number(r.id))));
  return moved.length;
}

/** Delete up to `limit` dispatched outbox events created before the cutoff; returns how many. */
export async function deleteOutboxBatch(db: Executor, c: RetentionCutoffs, limit: number): Promise<number> {
  const ids = db.select({ id: outboxEvents.id }).from(outboxEvents).where(oldOutbox(c)).limit(limit);
  return (await db.delete(outboxEvents).where(inArray(outboxEvents.id, ids)).returning({ id: outboxEvents.id })).length;
}

/** Delete up to `limit` processed Stripe events received before the cutoff; returns how many. */
export async function deleteStripeEventsBatch(db: Executor, c: RetentionCutoffs, limit: number): Promise<number> {
  const ids = db.select({ id: stripeEvents.id }).from(stripeEvents).where(oldStripeEvents(c)).limit(limit);
  return (await db.delete(stripeEvents).where(inArray(stripeEvents.id, ids)).returning({ id: stripeEvents.id })).length;
}

/** Delete up to `limit` stored emails created before the cutoff; returns how many. */
export async function deleteEmailsBatch(db: Executor, c: RetentionCutoffs, limit: number): Promise<number> {
  const ids = db.select({ id: emails.id }).from(emails).where(lt(emails.createdAt, c.events)).limit(limit);
  return (await db.delete(emails).where(inArray(emails.id, ids)).returning({ id: emails.id })).length;
}

/** Up to `limit` erased customers whose retention period ended and whose bill-to blocks are not yet pseudonymized. */
export async function dueErasures(db: Executor, c: RetentionCutoffs, limit: number): Promise<string[]> {
  const rows = await db.select({ id: customerErasures.customerId }).from(customerErasures).where(dueErasure(c)).orderBy(asc(customerErasures.retainUntil)).limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Replace the bill-to blocks of an erased customer's invoices by the pseudonym and record it on the
 * erasure row, inside a transaction that set `tally.retention` (the only update the bill-to trigger
 * allows). Returns how many blocks changed.
 */
export async function pseudonymizeBillTo(tx: Executor, customerId: string, pseudonym: { name: string; email: string }, at: Date): Promise<number> {
  const changed = await tx
    .update(invoiceBillTo)
    .set({ name: pseudonym.name, email: pseudonym.email, address: {}, taxIds: [] })
    .where(eq(invoiceBillTo.customerId, customerId))
    .returning({ id: invoiceBillTo.invoiceId });
  await tx.update(customerErasures).set({ financialRecordsPurgedAt: at }).where(eq(customerErasures.customerId, customerId));
  return changed.length;
}

/** Set `tally.retention` for the rest of the transaction: the audit log and bill-to triggers read it (migration 0049). */
export async function allowRetentionWrites(tx: Executor): Promise<void> {
  await tx.execute(sql`select set_config('tally.retention', 'on', true)`);
}
