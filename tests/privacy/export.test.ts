import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { CUSTOMER_TABLES, exportCustomerData, exportFileName, type CustomerDataExport } from "@/lib/services/privacy/export-customer-data";
import { deleteCustomer } from "@/lib/services/privacy/delete-customer";
import { makeSubscriber, NOW } from "./support";

/** Every table in the database with a customer_id column, and its primary key columns. */
async function tablesWithCustomerId(db: Db): Promise<{ table: string; key: string[] }[]> {
  const rows = (await db.execute(sql`
    select c.table_name as table, array_agg(k.column_name::text order by k.ordinal_position) filter (where k.column_name is not null) as key
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    left join information_schema.table_constraints tc on tc.table_schema = c.table_schema and tc.table_name = c.table_name and tc.constraint_type = 'PRIMARY KEY'
    left join information_schema.key_column_usage k on k.constraint_name = tc.constraint_name and k.table_schema = tc.table_schema and k.table_name = tc.table_name
    where c.table_schema = 'public' and c.column_name = 'customer_id'
      -- A partition's rows are its parent's (usage_events by month): the parent is the table.
      and not exists (select 1 from pg_inherits i join pg_class p on p.oid = i.inhrelid where p.relname = c.table_name::text)
    group by c.table_name
    order by c.table_name`)) as unknown as { rows: { table: string; key: string[] | null }[] };
  return rows.rows.map((r) => ({ table: r.table, key: r.key ?? [] }));
}

/** The rows of `table` about the customer, by primary key. */
async function keysInDatabase(db: Db, table: string, key: string[], customerId: string): Promise<string[]> {
  const columns = sql.join(key.map((k) => sql.identifier(k)), sql`, `);
  const rows = (await db.execute(sql`select ${columns} from ${sql.identifier(table)} where customer_id = ${customerId}`)) as unknown as { rows: Record<string, unknown>[] };
  return rows.rows.map((r) => key.map((k) => keyText(r[k])).join("|")).sort();
}

/** A key column in one form for both sides: a time (a Date, or PostgreSQL's or the export's text) as ISO 8601. */
const TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;
const keyText = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === "string" && TIME.test(v) ? new Date(v).toISOString() : String(v));

function keysInExport(data: CustomerDataExport, table: string, key: string[]): string[] {
  const rows = (data.tables as Record<string, Record<string, unknown>[] | undefined>)[table] ?? [];
  return rows.map((r) => key.map((k) => keyText(r[k])).join("|")).sort();
}

async function expectFullCoverage(db: Db, data: CustomerDataExport, customerId: string, allowedEmpty: string[] = []) {
  const tables = await tablesWithCustomerId(db);
  // A new table with a customer_id column must be added to the export (and to CUSTOMER_TABLES).
  expect(tables.map((t) => t.table).sort()).toEqual([...CUSTOMER_TABLES].sort());
  for (const { table, key } of tables) {
    expect(key.length, `${table} has a primary key`).toBeGreaterThan(0);
    const inDb = await keysInDatabase(db, table, key, customerId);
    if (!allowedEmpty.includes(table)) expect(inDb.length, `the test seeds ${table}`).toBeGreaterThan(0);
    expect(keysInExport(data, table, key), `export covers every ${table} row`).toEqual(inDb);
  }
}

describe("data export (GDPR art. 15/20)", () => {
  it("covers every row of every table with a customer_id column, before and after deletion", async () => {
    const s = await makeSubscriber();
    const data = await exportCustomerData(s.c, s.customer.id);
    await expectFullCoverage(s.db, data, s.customer.id, ["customer_erasures"]);

    await deleteCustomer(s.c, s.customer.id);
    const after = await exportCustomerData(s.c, s.customer.id);
    await expectFullCoverage(s.db, after, s.customer.id);
  });

  it("holds the profile, billing details, invoices with lines, payments, refunds, credit notes, balance, emails and audit entries — and no secrets", async () => {
    const s = await makeSubscriber();
    const data = await exportCustomerData(s.c, s.customer.id);
    expect(data.format).toBe("tally.customer-export.v1");
    expect(data.generated_at).toBe(NOW.toISOString());
    expect(data.customer).toMatchObject({ id: s.customer.id, name: "Robin Private", email: s.customer.email, address: { line1: "5 Pitt St", city: "Sydney" } });
    const [user] = data.tables.users;
    expect(user).toMatchObject({ id: s.user.id, email: s.customer.email, password_set: true });
    expect(user).not.toHaveProperty("password_hash");
    const [invoice] = data.tables.invoices as { id: string; total: number; lines: { description: string }[] }[];
    expect(invoice?.id).toBe(s.invoiceId);
    expect(invoice?.total).toBe(1000);
    expect(invoice?.lines.length).toBe(1);
    expect(invoice).not.toHaveProperty("hosted_token");
    expect(data.tables.invoice_bill_to).toEqual([expect.objectContaining({ invoice_id: s.invoiceId, name: "Robin Private" })]);
    expect(data.tables.payments.map((p) => p.id)).toContain(s.paymentId);
    expect(data.tables.payments[0]).not.toHaveProperty("idempotency_key");
    expect(data.tables.refunds).toEqual([expect.objectContaining({ amount: 100, status: "succeeded" })]);
    expect(data.tables.credit_notes).toEqual([expect.objectContaining({ amount: 100, outcome: "refund", lines: expect.any(Array) })]);
    expect(data.tables.balance_transactions).toEqual([expect.objectContaining({ amount: 250, type: "credit_grant" })]);
    expect(data.tables.subscriptions).toEqual([expect.objectContaining({ id: s.subscriptionId, items: [expect.objectContaining({ quantity: 1 })], status_history: expect.arrayContaining([expect.objectContaining({ to_status: "active" })]) })]);
    // Emails: subject, template and date; never the body.
    expect(data.tables.emails).toEqual([expect.objectContaining({ subject: "Welcome, Robin", template: "subscription-started" })]);
    expect(data.tables.emails[0]).not.toHaveProperty("html");
    expect(data.tables.emails[0]).not.toHaveProperty("text");
    expect(data.tables.payment_methods).toEqual([expect.objectContaining({ brand: "visa", last4: "4242" })]);
    const actions = data.audit_log.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["user.created", "invoice.paid", "invoice.finalized"]));
    // The export is itself on record.
    const again = await exportCustomerData(s.c, s.customer.id);
    expect(again.audit_log.map((a) => a.action)).toContain("customer.data_exported");
    // Plain JSON all the way down.
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(exportFileName(s.customer.id, NOW)).toBe(`tally-data-${s.customer.id}-2026-03-10.json`);
  });

  it("holds nothing of another customer", async () => {
    const a = await makeSubscriber({ name: "Alex Alpha" });
    const b = await makeSubscriber({ name: "Blake Beta" });
    const text = JSON.stringify(await exportCustomerData(a.c, a.customer.id));
    for (const foreign of [b.customer.id, b.customer.email, b.user.id, b.invoiceId, b.paymentId, b.subscriptionId, "Blake Beta"]) expect(text).not.toContain(foreign);
    expect(text).toContain("Alex Alpha");
  });

  it("refuses an unknown customer", async () => {
    const db = await getDb();
    const s = await makeSubscriber();
    await expect(exportCustomerData({ ...s.c, db }, "cus_missing")).rejects.toMatchObject({ code: "not_found" });
  });
});
