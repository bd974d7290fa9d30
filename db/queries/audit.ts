import { and, desc, eq, gte, ilike, lt, lte, type SQL } from "drizzle-orm";
import type { Executor } from "../client";
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

/** The entity types present, for the filter's choices. */
export async function auditEntityTypes(tx: Executor): Promise<string[]> {
  const rows = await tx.selectDistinct({ entityType: auditLog.entityType }).from(auditLog).orderBy(auditLog.entityType);
  return rows.map((r) => r.entityType);
}
