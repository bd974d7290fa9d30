import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { getDb, type Db } from "@/db/client";
import { auditLog, mrrMovements, users, type Role } from "@/db/schema";
import { parseCsv } from "@/lib/csv/csv";
import { newId } from "@/lib/ids";
import { REPORT_CHUNK, REPORT_COLUMNS } from "@/lib/services/reports/export-report";
import { issuedInvoice, leakCustomer, leakPayment } from "../analytics/leakage-support";

// The session is next-auth's (a library): the test decides who is signed in. Everything else is real.
const session = vi.hoisted(() => ({ uid: null as string | null }));
vi.mock("next-auth", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next-auth")>();
  return { ...actual, getServerSession: vi.fn(async () => (session.uid ? { uid: session.uid } : null)) };
});

const { GET } = await import("@/app/admin/exports/[report]/route");

/**
 * Exports over March 2033 (a month no other test writes in): invoices finalized in it, payments made
 * in it, MRR movements dated in it — and one of each just outside, which no file may carry.
 */
let db: Db;
const staff: Partial<Record<Role, string>> = {};
let customer: string;
let invoiceIds: string[];
let paymentId: string;

beforeAll(async () => {
  db = await getDb();
  for (const role of ["support", "billing_admin", "finance_viewer", "super_admin"] as const) {
    const id = newId("user");
    await db.insert(users).values({ id, email: `${role}-${id}@staff.test`, name: role, role });
    staff[role] = id;
  }
  customer = await leakCustomer(db, "Export Ltd");
  invoiceIds = [];
  for (const day of ["2033-03-01T00:00:00Z", "2033-03-15T12:30:00Z", "2033-03-31T23:59:59Z"]) {
    invoiceIds.push(await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: day, status: "paid", total: 123456, discount: 1000 }));
  }
  await issuedInvoice(db, { customerId: customer, billingReason: "manual", finalizedAt: "2033-04-01T00:00:00Z", status: "paid" });
  paymentId = await leakPayment(db, { invoiceId: invoiceIds[0]!, customerId: customer, amount: 123456, status: "succeeded", createdAt: "2033-03-02T08:00:00Z" });
  await leakPayment(db, { invoiceId: invoiceIds[0]!, customerId: customer, amount: 10, status: "failed", createdAt: "2033-02-28T23:59:59Z" });
  await db.insert(mrrMovements).values([
    { customerId: customer, currency: "usd", day: "2033-03-01", mrr: 5000, delta: 5000, kind: "new", livemode: false },
    { customerId: customer, currency: "usd", day: "2033-03-20", mrr: 3000, delta: -2000, kind: "contraction", livemode: false },
    { customerId: customer, currency: "usd", day: "2033-04-01", mrr: 0, delta: -3000, kind: "churn", livemode: false },
  ]);
});

function get(report: string, query: string, role: Role | null): Promise<Response> {
  session.uid = role ? (staff[role] ?? null) : null;
  return GET(new NextRequest(`http://tally.test/admin/exports/${report}${query}`), { params: Promise.resolve({ report }) });
}

async function csvOf(response: Response): Promise<string[][]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  return parseCsv(await response.text());
}

async function audited(role: Role, report: string) {
  return db.select().from(auditLog).where(and(eq(auditLog.actorId, staff[role]!), eq(auditLog.action, "report.exported"), eq(auditLog.entityId, report)));
}

describe("GET /admin/exports/{report}.csv", () => {
  it("is refused without a session and to support; nothing is exported or audited as an export", async () => {
    expect((await get("invoices.csv", "?from=2033-03-01&to=2033-03-31", null)).status).toBe(401);
    expect((await get("invoices.csv", "?from=2033-03-01&to=2033-03-31", "support")).status).toBe(403);
    expect(await audited("support", "invoices")).toEqual([]);
  });

  it("answers 404 for an unknown report and 422 for a bad range", async () => {
    expect((await get("customers.csv", "", "finance_viewer")).status).toBe(404);
    const bad = await get("payments.csv", "?from=2033-03-31&to=2033-03-01", "finance_viewer");
    expect(bad.status).toBe(422);
    expect(await bad.text()).toBe("to must be on or after from.\n");
  });

  it("invoices: those finalized in the range, both days included, amounts in major units; audited with the range and row count", async () => {
    const response = await get("invoices.csv", "?from=2033-03-01&to=2033-03-31", "finance_viewer");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="invoices-2033-03-01-to-2033-03-31.csv"');
    expect(response.headers.get("x-tally-rows")).toBe("3");
    const [header, ...rows] = await csvOf(response);
    expect(header).toEqual(REPORT_COLUMNS.invoices.map(([name]) => name));
    expect(rows.map((r) => r[0])).toEqual(invoiceIds);
    const row = Object.fromEntries(header!.map((name, i) => [name, rows[1]![i]]));
    expect(row).toMatchObject({ customer_id: customer, status: "paid", currency: "USD", subtotal: "1244.56", discount: "10.00", total: "1234.56", amount_paid: "1234.56", amount_remaining: "0.00", finalized_at: "2033-03-15T12:30:00.000Z", livemode: "false" });
    expect(await audited("finance_viewer", "invoices")).toEqual([expect.objectContaining({ entityType: "report", after: { format: "csv", from: "2033-03-01", to: "2033-03-31", rows: 3 } })]);
  });

  it("payments and MRR movements: the range's rows, each export audited", async () => {
    const [payHeader, ...payRows] = await csvOf(await get("payments.csv", "?from=2033-03-01&to=2033-03-31", "billing_admin"));
    expect(payHeader).toEqual(REPORT_COLUMNS.payments.map(([name]) => name));
    expect(payRows).toHaveLength(1);
    expect(Object.fromEntries(payHeader!.map((name, i) => [name, payRows[0]![i]]))).toMatchObject({ id: paymentId, status: "succeeded", amount: "1234.56", currency: "USD", created_at: "2033-03-02T08:00:00.000Z" });

    const [mrrHeader, ...mrrRows] = await csvOf(await get("mrr-movements.csv", "?from=2033-03-01&to=2033-03-31", "super_admin"));
    expect(mrrHeader).toEqual(["day", "customer_id", "currency", "kind", "mrr", "delta", "livemode"]);
    expect(mrrRows.filter((r) => r[1] === customer)).toEqual([
      ["2033-03-01", customer, "USD", "new", "50.00", "50.00", "false"],
      ["2033-03-20", customer, "USD", "contraction", "30.00", "-20.00", "false"],
    ]);
    expect((await audited("billing_admin", "payments"))[0]?.after).toEqual({ format: "csv", from: "2033-03-01", to: "2033-03-31", rows: 1 });
    expect((await audited("super_admin", "mrr_movements"))[0]?.after).toMatchObject({ from: "2033-03-01", to: "2033-03-31", rows: mrrRows.length });
  });

  it("streams past one page without losing or repeating a row (keyset on the database's microseconds)", async () => {
    const many = REPORT_CHUNK + 7;
    const other = await leakCustomer(db, "Many Payments Ltd");
    const invoice = await issuedInvoice(db, { customerId: other, billingReason: "manual", finalizedAt: "2033-05-01", status: "paid" });
    const ids = new Set<string>();
    for (let i = 0; i < many; i++) ids.add(await leakPayment(db, { invoiceId: invoice, customerId: other, amount: i + 1, status: "failed" }));
    const today = new Date().toISOString().slice(0, 10);
    const [, ...rows] = await csvOf(await get("payments.csv", `?from=${today}&to=${today}`, "finance_viewer"));
    const mine = rows.filter((r) => r[2] === other);
    expect(mine).toHaveLength(many);
    expect(new Set(mine.map((r) => r[0]))).toEqual(ids);
  });
});
