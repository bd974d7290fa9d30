import { sql, type SQL } from "drizzle-orm";
import type { AuditRowInput } from "@/lib/events/catalog/rows";

/** The audit entry of an ingest call that stores rows; its `after` ({accepted, duplicates, rejected}) is counted by the statement. */
export interface IngestAudit {
  row: Omit<AuditRowInput, "after">;
  /** Inputs the call refused. */
  rejected: number;
}

/**
 * The audit entry an ingest statement appends itself (usage events, API costs), so a call that
 * stores anything needs no statement or transaction of its own for it: one entry, written only when
 * the statement's `fresh` CTE (the newly keyed rows) is not empty, with `accepted` counted from it
 * and `duplicates` the rest of the `stored` candidates the statement was given.
 */
export function ingestAuditInsert(audit: IngestAudit, candidates: number): SQL {
  const r = audit.row;
  return sql`insert into audit_log (at, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
          select ${r.at.toISOString()}::timestamptz, ${r.actorType}::text, ${r.actorId}::text, ${r.action}::text, ${r.entityType}::text, ${r.entityId}::text, null,
                 jsonb_build_object('accepted', f.n, 'duplicates', ${candidates}::int - f.n, 'rejected', ${audit.rejected}::int), ${r.requestId}::text
            from (select count(*)::int as n from fresh) f where f.n > 0`;
}
