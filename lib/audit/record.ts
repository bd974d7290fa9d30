import type { Executor } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import type { AuditAction, AuditEntityType, CatalogAuditAction } from "@/lib/events/catalog/audit-actions";
import type { AuditRowInput } from "@/lib/events/catalog/rows";

/** An entry of a catalog action (lib/events/catalog/audit-actions.ts), on that action's entity type. */
export interface AuditEntry<A extends AuditAction = AuditAction> {
  action: A;
  entityType: AuditEntityType<A>;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** The audit_log row of an entry (pure): what recordAudit writes and what plans list. */
export function auditRow<A extends AuditAction>(actor: Actor, entry: AuditEntry<A>, at: Date, requestId?: string): AuditRowInput {
  const action = { action: entry.action, entityType: entry.entityType } as CatalogAuditAction;
  return { ...action, at, actorType: actor.type, actorId: actor.id, entityId: entry.entityId, before: toJson(entry.before), after: toJson(entry.after), requestId: requestId ?? null };
}

/** Append an audit entry inside the caller's transaction, so the entry exists iff the change does. */
export async function recordAudit<A extends AuditAction>(
  tx: Executor,
  actor: Actor,
  entry: AuditEntry<A>,
  at: Date,
  requestId?: string,
): Promise<void> {
  await tx.insert(auditLog).values(auditRow(actor, entry, at, requestId));
}

/** Dates and nested objects become plain JSON; undefined becomes null. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
