import { and, asc, eq, inArray, isNull, like, min, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers, invoices, outboxEvents, payments } from "@/db/schema";
import { highestRecordedStage, type DunningStage, type FailingInvoice } from "@/lib/billing/dunning/policy";

export interface CustomerScope {
  /** Only this test clock's customers; without it, only customers on real time. */
  testClockId?: string;
  customerId?: string;
}

/**
 * Every open invoice collected automatically that has at least one failed payment, oldest first
 * failure first (per customer, the first one is the invoice dunning is counted from).
 */
export async function failingInvoices(tx: Executor, scope: CustomerScope, statuses: ("open" | "uncollectible")[] = ["open"]): Promise<FailingInvoice[]> {
  const firstFailure = min(sql<Date>`coalesce(${payments.settledAt}, ${payments.createdAt})`).mapWith(payments.createdAt);
  const rows = await tx
    .select({ customerId: invoices.customerId, invoiceId: invoices.id, firstFailureAt: firstFailure, timeZone: customers.timezone })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .innerJoin(payments, and(eq(payments.invoiceId, invoices.id), eq(payments.status, "failed")))
    .where(
      and(
        inArray(invoices.status, statuses),
        eq(invoices.collectionMethod, "charge_automatically"),
        scope.customerId ? eq(invoices.customerId, scope.customerId) : undefined,
        scope.testClockId ? eq(customers.testClockId, scope.testClockId) : scope.customerId ? undefined : isNull(customers.testClockId),
      ),
    )
    .groupBy(invoices.customerId, invoices.id, customers.timezone)
    .orderBy(asc(firstFailure), asc(invoices.id));
  return rows.filter((r): r is FailingInvoice => r.firstFailureAt !== null);
}

/** The highest dunning stage already acted on for this invoice: its `customer.dunning.<stage>` event is the record. */
export async function recordedStage(tx: Executor, customerId: string, invoiceId: string): Promise<DunningStage> {
  const rows = await tx
    .select({ type: outboxEvents.type })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.customerId, customerId), like(outboxEvents.type, "customer.dunning.%"), sql`${outboxEvents.payload}->>'invoice' = ${invoiceId}`));
  return highestRecordedStage(rows.map((r) => r.type));
}
