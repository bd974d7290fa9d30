import type { Executor } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import type { AuditAction, AuditEntityType } from "@/lib/events/catalog/audit-actions";
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
  // Written out, not spread: a spread followed by new properties builds a slower, larger object,
  // and the billing run makes three of these per renewal (bench/RESULTS.md R1, B8).
  return {
    action: entry.action,
    entityType: entry.entityType,
    at,
    actorType: actor.type,
    actorId: actor.id,
    entityId: entry.entityId,
    before: toJson(entry.before),
    after: toJson(entry.after),
    requestId: requestId ?? null,
  } as AuditRowInput;
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

/**
 * Dates and nested objects become plain JSON, as JSON.parse(JSON.stringify(value)) would make them;
 * undefined becomes null. Plain objects, arrays and dates are copied directly (an audit entry is
 * written for every change, several per renewal); anything else takes the round trip.
 */
export function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return jsonOf(value);
}

function jsonOf(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value + 0 : null; // + 0: -0 is written 0
    case "object": {
      if (value === null) return null;
      if (value instanceof Date) return value.toJSON();
      if (Array.isArray(value)) return value.map((item) => (item === undefined || typeof item === "function" || typeof item === "symbol" ? null : jsonOf(item)));
      const proto = Object.getPrototypeOf(value) as unknown;
      if ((proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== "function") {
        const out: Record<string, unknown> = {};
        const source = value as Record<string, unknown>;
        for (const key of Object.keys(source)) {
          const item = source[key];
          if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
          // An own "__proto__" key stays a key, as JSON.parse leaves it.
          if (key === "__proto__") Object.defineProperty(out, key, { value: jsonOf(item), enumerable: true, writable: true, configurable: true });
          else out[key] = jsonOf(item);
        }
        return out;
      }
      return JSON.parse(JSON.stringify(value)) as unknown;
    }
    default:
      return JSON.parse(JSON.stringify(value) ?? "null") as unknown;
  }
}
