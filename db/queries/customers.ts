import { and, asc, desc, eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import { inTextArray, type Executor } from "../client";
import { balanceTransactions, customers, invoices, paymentMethods, testClocks } from "../schema";

export type CustomerRow = typeof customers.$inferSelect;
export type PaymentMethodRow = typeof paymentMethods.$inferSelect;
export type BalanceTransactionRow = typeof balanceTransactions.$inferSelect;

/** The API's customer list filter (REST's `?email=&external_id=`, GraphQL's `filter`), in the key's mode. */
export function customerListWhere(livemode: boolean, filter: { email?: string | null; externalId?: string | null }): SQL | undefined {
  return and(
    eq(customers.livemode, livemode),
    filter.email ? eq(customers.email, filter.email.toLowerCase()) : undefined,
    filter.externalId ? eq(customers.externalId, filter.externalId) : undefined,
  );
}

export async function findCustomer(tx: Executor, id: string): Promise<CustomerRow | undefined> {
  const [row] = await tx.select().from(customers).where(eq(customers.id, id));
  return row;
}

export async function lockCustomer(tx: Executor, id: string): Promise<CustomerRow | undefined> {
  const [row] = await tx.select().from(customers).where(eq(customers.id, id)).for("update");
  return row;
}

export async function listPaymentMethods(tx: Executor, customerId: string): Promise<PaymentMethodRow[]> {
  return (await paymentMethodsByCustomer(tx, [customerId])).get(customerId) ?? [];
}

/** The attached (not detached) payment methods of each customer, oldest first, in one statement. */
export async function paymentMethodsByCustomer(tx: Executor, customerIds: readonly string[]): Promise<Map<string, PaymentMethodRow[]>> {
  const byCustomer = new Map<string, PaymentMethodRow[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await tx
    .select()
    .from(paymentMethods)
    .where(and(inArray(paymentMethods.customerId, [...customerIds]), isNull(paymentMethods.detachedAt)))
    .orderBy(paymentMethods.createdAt, paymentMethods.id);
  for (const row of rows) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row]);
  return byCustomer;
}

export async function findPaymentMethod(tx: Executor, id: string): Promise<PaymentMethodRow | undefined> {
  const [row] = await tx.select().from(paymentMethods).where(eq(paymentMethods.id, id));
  return row;
}

/** The customer's time: a test clock's frozen time when attached to one, the request's time otherwise. */
export async function customerNow(tx: Executor, customer: Pick<CustomerRow, "testClockId">, now: Date): Promise<Date> {
  if (!customer.testClockId) return now;
  const [clock] = await tx.select().from(testClocks).where(eq(testClocks.id, customer.testClockId));
  return clock?.frozenTime ?? now;
}

/** The customer's open invoices collected automatically (what a new default card pays at once), oldest first. */
export async function listUnpaidChargedInvoices(tx: Executor, customerId: string) {
  return tx
    .select({ id: invoices.id, number: invoices.number, amountRemaining: invoices.amountRemaining, currency: invoices.currency })
    .from(invoices)
    .where(and(eq(invoices.customerId, customerId), eq(invoices.status, "open"), eq(invoices.collectionMethod, "charge_automatically")))
    .orderBy(asc(invoices.finalizedAt), asc(invoices.createdAt));
}

/** The customer's credit ledger, newest first. */
export async function listBalanceTransactions(tx: Executor, customerId: string, limit = 50) {
  return tx.select().from(balanceTransactions).where(eq(balanceTransactions.customerId, customerId)).orderBy(desc(balanceTransactions.createdAt), desc(balanceTransactions.id)).limit(limit);
}

/** Customers named by id or by external id (a batch of API calls names them either way). */
export async function customersByIdOrExternalId(tx: Executor, ids: readonly string[], externalIds: readonly string[]): Promise<{ id: string; externalId: string | null; livemode: boolean }[]> {
  if (ids.length === 0 && externalIds.length === 0) return [];
  return tx
    .select({ id: customers.id, externalId: customers.externalId, livemode: customers.livemode })
    .from(customers)
    .where(or(inTextArray(customers.id, [...new Set(ids)]), inTextArray(customers.externalId, [...new Set(externalIds)])));
}

/** The names and emails of these customers (for reports that list customers by id). */
export async function customerLabels(tx: Executor, ids: readonly string[]): Promise<Map<string, { name: string | null; email: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: customers.id, name: customers.name, email: customers.email })
    .from(customers)
    .where(inTextArray(customers.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}
