import { inArray, or } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, invoices, outboxEvents } from "@/db/schema";
import { seedDueSubscriptions } from "@/bench/billing-run/seed";
import { auditActionCatalog, isAuditAction } from "@/lib/events/catalog/audit-actions";
import { checkEventPayload } from "@/lib/events/catalog/check";
import { isEventType } from "@/lib/events/catalog/events";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";

/**
 * The billing run's set writer builds its event and audit rows itself (typed by the catalog, not
 * checked per row at run time, unlike enqueueEvent): the rows it writes are catalog rows.
 */
describe("event catalog: the batched billing run writes catalog rows", () => {
  it("every event of a batched renewal and its charge has a catalog type and payload; every audit entry a catalog action on its entity type", async () => {
    const db = await getDb();
    const seed = await seedDueSubscriptions(db, 6, { createdAt: new Date("2026-09-15T00:00:00Z"), label: "catalog" });
    const result = await runDueSubscriptions(db, new Date("2026-10-20T00:00:00Z"), 1000, { batchSize: 50, workers: 1 });
    expect(result.batched).toBe(6);

    const invoiceIds = (await db.select({ id: invoices.id }).from(invoices).where(inArray(invoices.subscriptionId, seed.subscriptionIds))).map((r) => r.id);
    const entities = [...seed.subscriptionIds, ...invoiceIds];
    const events = await db.select().from(outboxEvents).where(or(inArray(outboxEvents.entityId, entities), inArray(outboxEvents.customerId, seed.customerIds)));
    const audit = await db.select().from(auditLog).where(inArray(auditLog.entityId, entities));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["customer.created", "payment_method.attached", "customer.subscription.created", "customer.subscription.updated", "invoice.finalized", "invoice.paid"]));
    expect(audit.map((a) => a.action)).toContain("subscription.renewal");

    for (const { type, payload } of events) {
      expect(isEventType(type), type).toBe(true);
      if (isEventType(type)) expect(() => checkEventPayload(type, payload)).not.toThrow();
    }
    for (const entry of audit) {
      expect(isAuditAction(entry.action), entry.action).toBe(true);
      if (isAuditAction(entry.action)) expect(entry.entityType, entry.action).toBe(auditActionCatalog[entry.action].entityType);
    }
  });
});
