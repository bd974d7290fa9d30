import { and, desc, eq, gte, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import type { Formatter } from "@/lib/format";
import { describeActor, describeEntry } from "@/lib/audit/describe";
import { queryRows, type Executor } from "../client";
import { apiKeys, auditLog, creditNotes, customers, invoices, paymentMethods, payments, subscriptions, users } from "../schema";

export interface AuditFilters {
  actor?: string;
  entityType?: string;
  entity?: string;
  action?: string;
  /** Recorded on or after / on or before (real time, as the log is ordered). */
  from?: Date;
  to?: Date;
  /** Keyset: entries recorded before the entry with this id (in the log's order). */
  before?: number;
}

export type AuditEntryRow = typeof auditLog.$inferSelect;

/** The entity types present: a skip scan over the (entity_type, …) index, one probe per type. */
const ENTITY_TYPES = sql`with recursive types as (
    select min(entity_type) as entity_type from audit_log
    union all
    select (select min(entity_type) from audit_log where entity_type > types.entity_type) from types where types.entity_type is not null
  )
  select entity_type from types where entity_type is not null`;

/** An entry as staff read it: who acted, by name, and what they did, in words. */
export interface AuditEntryView extends AuditEntryRow {
  /** "Ann Lee (ann@example.com)", "API key “Production app”", "Tally (the billing run)". */
  actor: string;
  summary: string;
  /** The entry concerns a customer on a test clock: `at` is the clock's time. */
  testClock: boolean;
}

/**
 * The audit log, newest first by when each entry was recorded (real time: a customer on a test
 * clock writes entries dated in the clock's time, which would otherwise sort among real ones), then
 * by id; pages of `limit` by keyset on (recorded_at, id), the audit_log_recorded_idx order.
 */
export async function listAuditEntries(tx: Executor, filters: AuditFilters, fmt: Formatter, limit = 50): Promise<{ rows: AuditEntryView[]; nextBefore: number | null }> {
  const where: SQL[] = [];
  // Staff look for a person by email, a key by its name; ids still work.
  if (filters.actor) where.push(or(eq(auditLog.actorId, filters.actor), eq(users.email, filters.actor.toLowerCase()), eq(apiKeys.name, filters.actor))!);
  if (filters.entityType) where.push(eq(auditLog.entityType, filters.entityType));
  if (filters.entity) where.push(eq(auditLog.entityId, filters.entity));
  // An id without its type: probe the (entity_type, entity_id) index once per type present instead of reading the whole log.
  if (filters.entity && !filters.entityType) where.push(sql`${auditLog.entityType} = any(array(${ENTITY_TYPES}))`);
  if (filters.action) where.push(ilike(auditLog.action, `${filters.action.replace(/[%_\\]/g, "\\$&")}%`));
  if (filters.from) where.push(gte(auditLog.recordedAt, filters.from));
  if (filters.to) where.push(lte(auditLog.recordedAt, filters.to));
  if (filters.before) {
    // The cursor's own row gives its recorded_at at full (microsecond) precision.
    where.push(sql`(${auditLog.recordedAt}, ${auditLog.id}) < (select c.recorded_at, c.id from audit_log c where c.id = ${filters.before})`);
  }
  const entityIs = (type: string) => sql`case when ${auditLog.entityType} = ${type} then ${auditLog.entityId} end`;
  const named = (key: string) => sql`case when jsonb_typeof(${auditLog.after} -> ${key}) = 'string' then ${auditLog.after} ->> ${key} end`;
  // Each join finds at most one row by primary key: who acted, the numbers, currency and card the
  // entry's words need, and the customer (for its test clock).
  const rows = await tx
    .select({
      entry: auditLog,
      userEmail: users.email,
      userName: users.name,
      keyName: apiKeys.name,
      invoiceNumber: invoices.number,
      creditNoteNumber: creditNotes.number,
      currency: sql<string | null>`coalesce(${creditNotes.currency}, ${invoices.currency}, ${payments.currency}, ${subscriptions.currency}, ${customers.currency})`,
      paymentAmount: payments.amount,
      paymentCurrency: payments.currency,
      paymentMethod: payments.method,
      cardBrand: paymentMethods.brand,
      cardLast4: paymentMethods.last4,
      testClock: sql<boolean>`(${customers.testClockId} is not null or ${subscriptions.testClockId} is not null)`,
    })
    .from(auditLog)
    .leftJoin(users, and(eq(auditLog.actorType, "user"), eq(users.id, auditLog.actorId)))
    .leftJoin(apiKeys, and(eq(auditLog.actorType, "api_key"), eq(apiKeys.id, auditLog.actorId)))
    .leftJoin(creditNotes, eq(creditNotes.id, entityIs("credit_note")))
    // Its own payment, the one it names (invoice.paid), or the first one a refund went to.
    .leftJoin(payments, eq(payments.id, sql`coalesce(${entityIs("payment")}, ${named("payment")}, ${auditLog.after} #>> '{refunds,0,payment}')`))
    .leftJoin(paymentMethods, eq(paymentMethods.id, sql`coalesce(${entityIs("payment_method")}, ${payments.paymentMethodId})`))
    .leftJoin(invoices, eq(invoices.id, sql`coalesce(${entityIs("invoice")}, ${creditNotes.invoiceId}, ${named("invoice")}, ${payments.invoiceId})`))
    .leftJoin(subscriptions, eq(subscriptions.id, entityIs("subscription")))
    .leftJoin(
      customers,
      eq(customers.id, sql`coalesce(${entityIs("customer")}, ${invoices.customerId}, ${payments.customerId}, ${paymentMethods.customerId}, ${creditNotes.customerId}, ${subscriptions.customerId})`),
    )
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.recordedAt), desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(({ entry, userEmail, userName, keyName, invoiceNumber, creditNoteNumber, currency, paymentAmount, paymentCurrency, paymentMethod, cardBrand, cardLast4, testClock }) => ({
    ...entry,
    actor: describeActor({ source: "audit", type: entry.actorType, id: entry.actorId, email: userEmail ?? keyName, name: userName }),
    summary: describeEntry({
      source: "audit",
      action: entry.action,
      before: entry.before,
      after: entry.after,
      invoice_number: invoiceNumber,
      credit_note_number: creditNoteNumber,
      currency,
      entity_id: entry.entityId,
      payment: paymentAmount !== null && paymentCurrency ? { amount: paymentAmount, currency: paymentCurrency, method: paymentMethod, brand: cardBrand, last4: cardLast4 } : null,
    }, fmt),
    testClock: Boolean(testClock),
  }));
  return { rows: page, nextBefore: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}

/**
 * The entity types present, for the filter's choices: a skip scan over the (entity_type, …) index,
 * one probe per type, so the append-only log's size does not matter.
 */
export async function auditEntityTypes(tx: Executor): Promise<string[]> {
  const rows = await queryRows<{ entity_type: string | null }>(tx, ENTITY_TYPES);
  return rows.map((r) => r.entity_type!);
}
