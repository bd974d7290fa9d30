import { and, desc, eq, gte, ilike, lt, lte, sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "../client";
import { auditLog } from "../schema";

export interface AuditFilters {
  actor?: string;
  entityType?: string;
  entity?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Keyset: entries older than this id. */
  before?: number;
}

export type AuditEntryRow = typeof auditLog.$inferSelect;

/** The audit log, newest first, filtered; pages of `limit` by id (append-only, so ids order it). */
export async function listAuditEntries(tx: Executor, filters: AuditFilters, limit = 50): Promise<{ rows: AuditEntryRow[]; nextBefore: number | null }> {
  const where: SQL[] = [];
  if (filters.actor) where.push(eq(auditLog.actorId, filters.actor));
  if (filters.entityType) where.push(eq(auditLog.entityType, filters.entityType));
  if (filters.entity) where.push(eq(auditLog.entityId, filters.entity));
  if (filters.action) where.push(ilike(auditLog.action, `${filters.action.replace(/[%_\\]/g, "\\$&")}%`));
  if (filters.from) where.push(gte(auditLog.at, filters.from));
  if (filters.to) where.push(lte(auditLog.at, filters.to));
  if (filters.before) where.push(lt(auditLog.id, filters.before));
  const rows = await tx
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { rows: page, nextBefore: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}

/**
 * The entity types present, for the filter's choices: a skip scan over the (entity_type, …) index,
 * one probe per type, so the append-only log's size does not matter.
 */
export async function auditEntityTypes(tx: Executor): Promise<string[]> {
  const rows = await queryRows<{ entity_type: string | null }>(
    tx,
    sql`with recursive types as (
          select min(entity_type) as entity_type from audit_log
          union all
          select (select min(entity_type) from audit_log where entity_type > types.entity_type) from types where types.entity_type is not null
        )
        select entity_type from types where entity_type is not null`,
  );
  return rows.map((r) => r.entity_type!);
}
