import { asc, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../client";
import { customers, emails, invoices, subscriptions, testClocks } from "../schema";

export type TestClockRow = typeof testClocks.$inferSelect;

export async function listTestClocks(db: Executor) {
  return db.select().from(testClocks).orderBy(desc(testClocks.createdAt), desc(testClocks.id));
}

export async function findTestClock(db: Executor, id: string) {
  const [row] = await db.select().from(testClocks).where(eq(testClocks.id, id));
  return row;
}

/** The clock's customers with their subscriptions, invoices and emails: what the clock made happen. */
export async function testClockActivity(db: Executor, clockId: string) {
  const clockCustomers = await db.select().from(customers).where(eq(customers.testClockId, clockId)).orderBy(asc(customers.createdAt));
  const ids = clockCustomers.map((c) => c.id);
  if (ids.length === 0) return { customers: clockCustomers, subscriptions: [], invoices: [], emails: [] };
  const [subs, invs, mails] = await Promise.all([
    db.select().from(subscriptions).where(inArray(subscriptions.customerId, ids)).orderBy(asc(subscriptions.createdAt)),
    db.select().from(invoices).where(inArray(invoices.customerId, ids)).orderBy(desc(invoices.createdAt), desc(invoices.id)),
    db
      .select({ id: emails.id, to: emails.to, subject: emails.subject, template: emails.template, createdAt: emails.createdAt, customerId: emails.customerId })
      .from(emails)
      .where(inArray(emails.customerId, ids))
      .orderBy(desc(emails.createdAt), desc(emails.id)),
  ]);
  return { customers: clockCustomers, subscriptions: subs, invoices: invs, emails: mails };
}
