import type { Actor } from "@/lib/actor";
import type { CatalogAuditAction } from "./audit-actions";
import type { CatalogEvent } from "./events";

/**
 * The rows a plan writes for the catalog (docs/decisions/024-plan-then-apply.md): an audit entry
 * and an outbox event as plain data, each typed by its catalog name, for `insertInto(auditLog, …)`
 * and `insertInto(outboxEvents, …)` (db/apply-writes.ts).
 */

/** An audit_log row of a catalog action (audit-actions.ts). */
export type AuditRowInput = CatalogAuditAction & {
  at: Date;
  actorType: Actor["type"];
  actorId: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

/** An outbox_events row of a catalog event with its payload (events.ts). */
export type EventRowInput = CatalogEvent & {
  id: string;
  customerId: string;
  entityId: string;
  createdAt: Date;
};
