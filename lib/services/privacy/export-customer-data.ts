import { groupBy } from "@/lib/collections";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import {
  auditLog,
  auditLogArchive,
  balanceTransactions,
  cancellationAttempts,
  customerNotes,
  creditNoteLines,
  creditNotes,
  customerErasures,
  customers,
  disputes,
  emails,
  invoiceBillTo,
  invoiceLines,
  invoices,
  outboxEvents,
  paymentMethods,
  payments,
  pendingInvoiceItems,
  portalSessions,
  receipts,
  refunds,
  subscriptionItems,
  subscriptionStatusHistory,
  subscriptions,
  usageEvents,
  usageRollups,
  usageLateChecks,
  usageThresholdNotices,
  apiCosts,
  apiCostRollups,
  mrrMovements,
  usageSpendNotices,
  usageRollupValues,
  users,
  verificationTokens,
  webhookDeliveries,
} from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import { recordAudit } from "@/lib/audit/record";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { retentionYears } from "./retention";

/**
 * Every table that holds rows about one customer (a `customer_id` column), in the export under its
 * own name. tests/privacy/export.test.ts compares this with the database's own list of tables with
 * a customer_id column, so a new table without export coverage fails the build.
 */
export const CUSTOMER_TABLES = [
  "users",
  "payment_methods",
  "subscriptions",
  "invoices",
  "invoice_bill_to",
  "payments",
  "refunds",
  "receipts",
  "disputes",
  "credit_notes",
  "balance_transactions",
  "pending_invoice_items",
  "emails",
  "outbox_events",
  "customer_erasures",
  "portal_sessions",
  "cancellation_attempts",
  "customer_notes",
  "usage_events",
  "usage_rollups",
  "usage_rollup_values",
  "usage_late_checks",
  "usage_threshold_notices",
  "api_costs",
  "api_cost_rollups",
  "usage_spend_notices",
  "mrr_movements",
  "webhook_deliveries",
] as const;

export type CustomerTable = (typeof CUSTOMER_TABLES)[number];

type Row = Record<string, unknown>;

export interface CustomerDataExport {
  format: "tally.customer-export.v1";
  generated_at: string;
  customer_id: string;
  about: string;
  customer: Row;
  /** Rows of every table in CUSTOMER_TABLES, keyed by table name. Nested rows (invoice lines, subscription items, history, credit note lines) sit inside their parent. */
  tables: Record<CustomerTable, Row[]>;
  sign_in_links: { expires: string }[];
  audit_log: Row[];
}

/** camelCase column names → the snake_case the database and the API use; values pass through (jsonb keeps its keys). */
function snake(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  return out;
}

/** Dates become ISO strings and the whole document plain JSON. */
function toJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Everything Tally holds about a customer and the people who sign in for it (GDPR art. 15/20), as
 * one JSON document. Secrets are left out: password hashes (only whether one is set), sign-in link
 * and portal link tokens (only when they expire), idempotency keys, the hosted invoice token, and
 * email bodies (subject, template and dates are kept). The
 * export itself is audited.
 */
export async function exportCustomerData(ctx: ServiceContext, customerId: string): Promise<CustomerDataExport> {
  const years = await retentionYears(ctx.db);
  const data = await ctx.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId));
    if (!customer) throw notFound("customer", "id");
    const data = await collect(tx, customer);
    await recordAudit(tx, ctx.actor, { action: "customer.data_exported", entityType: "customer", entityId: customerId, after: { tables: CUSTOMER_TABLES.length } }, ctx.now, ctx.requestId);
    return data;
  });
  return toJson({
    format: "tally.customer-export.v1" as const,
    generated_at: ctx.now.toISOString(),
    customer_id: customerId,
    about:
      "Everything this billing system holds about your account. Amounts are integer minor units (1099 = 10.99) in the currency beside them; times are UTC. " +
      `If you delete your account, invoices, payments and credit notes are kept for ${years} years, as tax law requires.`,
    ...data,
  });
}

async function collect(tx: Executor, customer: CustomerRow): Promise<Omit<CustomerDataExport, "format" | "generated_at" | "customer_id" | "about">> {
  const id = customer.id;

  const userRows = await tx.select().from(users).where(eq(users.customerId, id)).orderBy(asc(users.createdAt));
  const subscriptionRows = await tx.select().from(subscriptions).where(eq(subscriptions.customerId, id)).orderBy(asc(subscriptions.createdAt), asc(subscriptions.id));
  const subIds = subscriptionRows.map((s) => s.id);
  // One query at a time: a transaction is one connection.
  const items = subIds.length ? await tx.select().from(subscriptionItems).where(inArray(subscriptionItems.subscriptionId, subIds)).orderBy(asc(subscriptionItems.position)) : [];
  const history = subIds.length ? await tx.select().from(subscriptionStatusHistory).where(inArray(subscriptionStatusHistory.subscriptionId, subIds)).orderBy(asc(subscriptionStatusHistory.id)) : [];
  const invoiceRows = await tx.select().from(invoices).where(eq(invoices.customerId, id)).orderBy(asc(invoices.createdAt), asc(invoices.id));
  const invoiceIds = invoiceRows.map((i) => i.id);
  const lines = invoiceIds.length ? await tx.select().from(invoiceLines).where(inArray(invoiceLines.invoiceId, invoiceIds)).orderBy(asc(invoiceLines.position)) : [];
  const creditNoteRows = await tx.select().from(creditNotes).where(eq(creditNotes.customerId, id)).orderBy(asc(creditNotes.createdAt), asc(creditNotes.id));
  const creditNoteIds = creditNoteRows.map((c) => c.id);
  const noteLines = creditNoteIds.length ? await tx.select().from(creditNoteLines).where(inArray(creditNoteLines.creditNoteId, creditNoteIds)) : [];
  const methodRows = await tx.select().from(paymentMethods).where(eq(paymentMethods.customerId, id)).orderBy(asc(paymentMethods.createdAt));
  const paymentRows = await tx.select().from(payments).where(eq(payments.customerId, id)).orderBy(asc(payments.createdAt), asc(payments.id));
  const refundRows = await tx.select().from(refunds).where(eq(refunds.customerId, id)).orderBy(asc(refunds.createdAt), asc(refunds.id));
  const receiptRows = await tx.select().from(receipts).where(eq(receipts.customerId, id)).orderBy(asc(receipts.createdAt), asc(receipts.id));
  const disputeRows = await tx.select().from(disputes).where(eq(disputes.customerId, id)).orderBy(asc(disputes.createdAt));
  const balanceRows = await tx.select().from(balanceTransactions).where(eq(balanceTransactions.customerId, id)).orderBy(asc(balanceTransactions.createdAt), asc(balanceTransactions.id));
  const pendingRows = await tx.select().from(pendingInvoiceItems).where(eq(pendingInvoiceItems.customerId, id)).orderBy(asc(pendingInvoiceItems.createdAt));
  const emailRows = await tx
    .select({ id: emails.id, to: emails.to, subject: emails.subject, template: emails.template, status: emails.status, transport: emails.transport, customerId: emails.customerId, createdAt: emails.createdAt, sentAt: emails.sentAt })
    .from(emails)
    .where(eq(emails.customerId, id))
    .orderBy(asc(emails.createdAt));
  const eventRows = await tx
    .select({ id: outboxEvents.id, type: outboxEvents.type, customerId: outboxEvents.customerId, entityId: outboxEvents.entityId, payload: outboxEvents.payload, createdAt: outboxEvents.createdAt, dispatchedAt: outboxEvents.dispatchedAt })
    .from(outboxEvents)
    .where(eq(outboxEvents.customerId, id))
    .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id));
  const billToRows = await tx.select().from(invoiceBillTo).where(eq(invoiceBillTo.customerId, id));
  const erasureRows = await tx.select().from(customerErasures).where(eq(customerErasures.customerId, id));
  const portalRows = await tx
    .select({ id: portalSessions.id, customerId: portalSessions.customerId, flow: portalSessions.flow, returnUrl: portalSessions.returnUrl, createdBy: portalSessions.createdBy, createdAt: portalSessions.createdAt, expiresAt: portalSessions.expiresAt, usedAt: portalSessions.usedAt })
    .from(portalSessions)
    .where(eq(portalSessions.customerId, id))
    .orderBy(asc(portalSessions.createdAt));
  const cancellationRows = await tx.select().from(cancellationAttempts).where(eq(cancellationAttempts.customerId, id)).orderBy(asc(cancellationAttempts.startedAt));
  // Staff notes about the customer are personal data too (GDPR art. 15), so they are exported.
  const noteRows = await tx.select().from(customerNotes).where(eq(customerNotes.customerId, id)).orderBy(asc(customerNotes.createdAt), asc(customerNotes.id));
  // Usage events carry whatever properties the SaaS reported about the customer's use; their
  // rollups are derived from them, per meter and hour.
  const usageRows = await tx.select().from(usageEvents).where(eq(usageEvents.customerId, id)).orderBy(asc(usageEvents.timestamp), asc(usageEvents.id));
  const rollupRows = await tx.select().from(usageRollups).where(eq(usageRollups.customerId, id)).orderBy(asc(usageRollups.hour), asc(usageRollups.meterId));
  const rollupValueRows = await tx.select().from(usageRollupValues).where(eq(usageRollupValues.customerId, id)).orderBy(asc(usageRollupValues.hour), asc(usageRollupValues.meterId), asc(usageRollupValues.value));
  // Bookkeeping about their usage: a pending re-measure of late usage, and the limit and spend notices sent.
  const lateCheckRows = await tx.select().from(usageLateChecks).where(eq(usageLateChecks.customerId, id));
  const noticeRows = await tx.select().from(usageThresholdNotices).where(eq(usageThresholdNotices.customerId, id)).orderBy(asc(usageThresholdNotices.createdAt), asc(usageThresholdNotices.featureCode), asc(usageThresholdNotices.threshold));
  // What the platform spent on third-party APIs on their behalf (attributed costs and their rollups).
  const apiCostRows = await tx.select().from(apiCosts).where(eq(apiCosts.customerId, id)).orderBy(asc(apiCosts.timestamp), asc(apiCosts.id));
  const apiCostRollupRows = await tx.select().from(apiCostRollups).where(eq(apiCostRollups.customerId, id)).orderBy(asc(apiCostRollups.hour), asc(apiCostRollups.providerCode), asc(apiCostRollups.operation));
  // Their MRR history: what their subscriptions contributed per day and currency (derived from invoices).
  const mrrRows = await tx.select().from(mrrMovements).where(eq(mrrMovements.customerId, id)).orderBy(asc(mrrMovements.day), asc(mrrMovements.currency));
  // Their events as delivered to the business's webhook endpoints (the event, when and how each delivery went).
  const deliveryRows = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.customerId, id)).orderBy(asc(webhookDeliveries.eventCreatedAt), asc(webhookDeliveries.id));
  const spendNoticeRows = await tx.select().from(usageSpendNotices).where(eq(usageSpendNotices.customerId, id)).orderBy(asc(usageSpendNotices.createdAt), asc(usageSpendNotices.subscriptionId), asc(usageSpendNotices.threshold));
  const userEmails = userRows.map((u) => u.email);
  const links = userEmails.length ? await tx.select({ expires: verificationTokens.expires }).from(verificationTokens).where(inArray(verificationTokens.identifier, userEmails)) : [];

  // Audit entries about any of their records, and everything their users did.
  const entityIds = [id, ...userRows.map((u) => u.id), ...subIds, ...invoiceIds, ...creditNoteIds, ...methodRows.map((m) => m.id), ...paymentRows.map((p) => p.id), ...refundRows.map((r) => r.id), ...disputeRows.map((d) => d.id)];
  const userIds = userRows.map((u) => u.id);
  const about = (t: typeof auditLog | typeof auditLogArchive) =>
    userIds.length ? or(inArray(t.entityId, entityIds), and(eq(t.actorType, "user"), inArray(t.actorId, userIds))) : inArray(t.entityId, entityIds);
  // Entries the data-retention run moved to the archive are still held about them, so still exported (with archived_at).
  const current = await tx.select().from(auditLog).where(about(auditLog)).orderBy(asc(auditLog.id));
  const archived = await tx.select().from(auditLogArchive).where(about(auditLogArchive)).orderBy(asc(auditLogArchive.id));
  const audit = [...archived, ...current];

  const itemsBySub = groupBy(items, (r) => r.subscriptionId);
  const historyBySub = groupBy(history, (r) => r.subscriptionId);
  const linesByInvoice = groupBy(lines, (r) => r.invoiceId);
  const linesByNote = groupBy(noteLines, (r) => r.creditNoteId);
  return {
    customer: snake(customer),
    tables: {
      users: userRows.map(({ passwordHash, ...u }) => snake({ ...u, passwordSet: passwordHash !== null })),
      payment_methods: methodRows.map(snake),
      subscriptions: subscriptionRows.map((s) => snake({ ...s, items: (itemsBySub.get(s.id) ?? []).map(snake), statusHistory: (historyBySub.get(s.id) ?? []).map(snake) })),
      invoices: invoiceRows.map(({ hostedToken: _token, ...inv }) => snake({ ...inv, lines: (linesByInvoice.get(inv.id) ?? []).map(snake) })),
      invoice_bill_to: billToRows.map(snake),
      payments: paymentRows.map(({ idempotencyKey: _key, ...p }) => snake(p)),
      refunds: refundRows.map(({ idempotencyKey: _key, ...r }) => snake(r)),
      receipts: receiptRows.map(snake),
      disputes: disputeRows.map(snake),
      credit_notes: creditNoteRows.map((c) => snake({ ...c, lines: (linesByNote.get(c.id) ?? []).map(snake) })),
      balance_transactions: balanceRows.map(snake),
      pending_invoice_items: pendingRows.map(snake),
      emails: emailRows.map(snake),
      outbox_events: eventRows.map(snake),
      customer_erasures: erasureRows.map(snake),
      portal_sessions: portalRows.map(snake),
      customer_notes: noteRows.map(snake),
      cancellation_attempts: cancellationRows.map(snake),
      usage_events: usageRows.map(snake),
      usage_rollups: rollupRows.map(snake),
      usage_rollup_values: rollupValueRows.map(snake),
      usage_late_checks: lateCheckRows.map(snake),
      usage_threshold_notices: noticeRows.map(snake),
      api_costs: apiCostRows.map(snake),
      api_cost_rollups: apiCostRollupRows.map(snake),
      usage_spend_notices: spendNoticeRows.map(snake),
      mrr_movements: mrrRows.map(snake),
      webhook_deliveries: deliveryRows.map(snake),
    },
    sign_in_links: links.map((l) => ({ expires: l.expires.toISOString() })),
    audit_log: audit.map(snake),
  };
}

/** The download's file name: tally-data-<customer>-<date>.json. */
export function exportFileName(customerId: string, at: Date): string {
  return `tally-data-${customerId.replace(/[^A-Za-z0-9_-]/g, "")}-${at.toISOString().slice(0, 10)}.json`;
}
