import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { at, finalizedInvoice } from "./support";
import { auditLog, creditNoteLines, creditNotes, invoices, payments, refunds } from "@/db/schema";
import { GET as getRevenue } from "@/app/api/v1/analytics/revenue/route";
import { GET as getJournal } from "@/app/api/v1/exports/journal/route";
import { parseCsv } from "@/lib/csv/csv";
import { newId, randomToken } from "@/lib/ids";
import { parseMajor } from "@/lib/money";
import { QUICKBOOKS_COLUMNS, XERO_COLUMNS } from "@/lib/billing/revenue/journal-formats";
import { call, newKey, problemOf } from "../api/support";
import { answer, makeApiCustomer } from "../usage/support";

/**
 * One customer in nzd, early 2011 (a time no other test writes in), every figure by hand:
 *   I1 finalized 1 Jan, paid 2 Jan (fee 900):
 *     A  31000 + 3100 GST on top, served 1 Jan – 1 Apr (90 days: 40 days of 345, 50 of 344)
 *        Jan 31 × 345 = 10695; Feb 1–14: 9 × 345 + 5 × 344 = 4825
 *     B  5000 GST-inclusive (455 inside), no period: 4545 net on 1 Jan
 *   CN1 15 Feb, refund, 11000 with 1000 tax on A → net 10000; refund R1 paid 16 Feb.
 *     A served to 14 Feb: 40 × 345 + 5 × 344 = 15520; unserved 15480 − 10000 = 5480 over the 45
 *     days left (35 of 122, 10 of 121): Feb 15–28 14 × 122 = 1708; Mar 21 × 122 + 10 × 121 = 3772
 *   I2 finalized 10 Feb: C 2800 less 280 discount = 2520, served Feb (days before the 10th caught
 *     up on it) → Feb 2520; voided 5 Mar after it was served: March billed and recognised −2520.
 *
 *   month  opening  billed                   recognised                     closing  refunded
 *   Jan         0   35545 (31000 + 4545)     15240 (10695 + 4545)            20305        0
 *   Feb     20305   −7480 (2520 − 10000)      9053 (4825 + 1708 + 2520)       3772    10000
 *   Mar      3772   −2520                     1252 (3772 − 2520)                 0        0
 */
let key: string;
let db: Db;
const CUR = "nzd";

async function revenue(month: string, currency = CUR) {
  return answer<Record<string, unknown>>(getRevenue, key, 200, { method: "GET", path: `/analytics/revenue?month=${month}&currency=${currency}` });
}

async function journal(month: string, format: string): Promise<string[][]> {
  const res = await call(getJournal, { key, method: "GET", path: `/exports/journal?month=${month}&format=${format}` });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toBe(`attachment; filename="tally-journal-${month}-${format}.csv"`);
  return parseCsv(await res.text());
}

beforeAll(async () => {
  db = await getDb();
  ({ key } = await newKey());
  const customer = (await makeApiCustomer(key, { name: "Revenue Ltd", currency: CUR })).id as string;
  const i1 = await finalizedInvoice(
    db,
    customer,
    CUR,
    at("2011-01-01"),
    [
      { amount: 31000, tax: { amount: 3100, rate: "0.1", jurisdiction: "NZ GST", inclusive: false }, period: ["2011-01-01", "2011-04-01"] },
      { amount: 5000, tax: { amount: 455, rate: "0.1", jurisdiction: "NZ GST", inclusive: true } },
    ],
    "paid",
  );
  expect(i1.total).toBe(39100);
  const p1 = newId("payment");
  await db.insert(payments).values({
    id: p1,
    invoiceId: i1.id,
    customerId: customer,
    amount: 39100,
    currency: CUR,
    status: "succeeded",
    gateway: "sandbox",
    gatewayId: `pi_sbx_${randomToken(12)}`,
    idempotencyKey: `revenue-${randomToken(16)}`,
    attempt: 1,
    fee: 900,
    createdAt: at("2011-01-02"),
    settledAt: at("2011-01-02"),
  });
  const cn1 = newId("creditNote");
  await db.insert(creditNotes).values({ id: cn1, number: `CN-${randomToken(10)}`, invoiceId: i1.id, customerId: customer, currency: CUR, amount: 11000, tax: 1000, reason: "other", outcome: "refund", createdAt: at("2011-02-15") });
  await db.insert(creditNoteLines).values({ id: newId("creditNoteLine"), creditNoteId: cn1, invoiceLineId: i1.lineIds[0]!, description: "part of A", amount: 11000, tax: 1000 });
  await db.insert(refunds).values({
    id: newId("refund"),
    paymentId: p1,
    invoiceId: i1.id,
    customerId: customer,
    amount: 11000,
    currency: CUR,
    status: "succeeded",
    creditNoteId: cn1,
    idempotencyKey: `revenue-refund-${randomToken(12)}`,
    createdAt: at("2011-02-16"),
  });
  const i2 = await finalizedInvoice(db, customer, CUR, at("2011-02-10"), [{ amount: 2800, discount: 280, period: ["2011-02-01", "2011-03-01"] }], "open");
  await db.update(invoices).set({ status: "void", voidedAt: at("2011-03-05"), amountRemaining: 0 }).where(eq(invoices.id, i2.id));
});

describe("GET /analytics/revenue", () => {
  it("gives each month's waterfall, in minor units, as worked out by hand", async () => {
    const expected = {
      "2010-12": [0, 0, 0, 0, 0],
      "2011-01": [0, 35545, 15240, 20305, 0],
      "2011-02": [20305, -7480, 9053, 3772, 10000],
      "2011-03": [3772, -2520, 1252, 0, 0],
      "2011-04": [0, 0, 0, 0, 0],
    };
    for (const [month, [opening, billed, recognized, closing, refunded]] of Object.entries(expected)) {
      expect(await revenue(month)).toEqual({ object: "revenue_waterfall", month, currency: CUR, deferred_opening: opening, billed, recognized, deferred_closing: closing, refunded });
    }
  });

  it("keeps currencies apart and refuses a malformed month", async () => {
    expect(await revenue("2011-01", "chf")).toMatchObject({ billed: 0, recognized: 0, deferred_closing: 0, currency: "chf" });
    const res = await call(getRevenue, { key, method: "GET", path: "/analytics/revenue?month=2011-13" });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).param).toBe("month");
  });
});

describe("GET /exports/journal", () => {
  const sum = (rows: string[][], col: number) => rows.reduce((s, r) => s + (r[col] ? parseMajor(r[col], CUR) : 0), 0);
  const ours = (rows: string[][]) => rows.slice(1).filter((r) => r[2] === CUR);

  it("balances every month, and its deferred revenue moves exactly as the waterfall's", async () => {
    for (const [month, change] of [["2011-01", 20305], ["2011-02", 3772 - 20305], ["2011-03", -3772]] as const) {
      const rows = ours(await journal(month, "csv"));
      expect(rows.length).toBeGreaterThan(0);
      expect(sum(rows, 6)).toBe(sum(rows, 7));
      const deferred = rows.filter((r) => r[3] === "2100");
      expect(sum(deferred, 7) - sum(deferred, 6)).toBe(change);
    }
  });

  it("February: the refund's credit note and its payment, line by line", async () => {
    const rows = ours(await journal("2011-02", "csv")).map((r) => [r[3], r[5], r[6], r[7]]);
    expect(rows).toEqual([
      ["1100", "Invoices finalized", "25.20", ""],
      ["2100", "Invoices finalized", "", "25.20"],
      ["2100", "Revenue recognized", "90.53", ""],
      ["4000", "Revenue recognized", "", "90.53"],
      ["2100", "Credit notes (refund)", "100.00", ""],
      ["2200", "Credit notes (refund)", "10.00", ""],
      ["2400", "Credit notes (refund)", "", "110.00"],
      ["2400", "Refunds paid", "110.00", ""],
      ["1000", "Refunds paid", "", "110.00"],
    ]);
  });

  it("in Xero's and QuickBooks Online's import columns, balanced, and every export audited", async () => {
    const before = await db.select().from(auditLog).where(and(eq(auditLog.action, "journal.exported"), eq(auditLog.entityId, "2011-01")));
    const xero = await journal("2011-01", "xero");
    expect(xero[0]).toEqual([...XERO_COLUMNS]);
    const xeroOurs = xero.slice(1).filter((r) => r[0] === "Tally revenue 2011-01 NZD");
    expect(xeroOurs.every((r) => r[1] === "31/01/2011" && r[4] === "BAS Excluded")).toBe(true);
    expect(sum(xeroOurs, 5)).toBe(0);
    expect(xeroOurs.find((r) => r[3] === "6100")?.[5]).toBe("9.00");

    const qbo = await journal("2011-01", "quickbooks");
    expect(qbo[0]).toEqual([...QUICKBOOKS_COLUMNS]);
    const qboOurs = qbo.slice(1).filter((r) => r[7] === "NZD");
    expect(qboOurs.every((r) => r[1] === "01/31/2011")).toBe(true);
    expect(sum(qboOurs, 3)).toBe(sum(qboOurs, 4));
    expect(qboOurs.find((r) => r[2] === "Accounts receivable" && r[5] === "Invoices finalized")?.[3]).toBe("391.00");

    const after = await db.select().from(auditLog).where(and(eq(auditLog.action, "journal.exported"), eq(auditLog.entityId, "2011-01")));
    expect(after.length - before.length).toBe(2);
    const last = after.find((a) => !before.some((b) => b.id === a.id) && (a.after as { format: string }).format === "quickbooks");
    expect(last).toMatchObject({ entityType: "journal", actorType: "api_key" });
    const nzd = (last!.after as { journals: { currency: string; debits: number; credits: number }[] }).journals.find((j) => j.currency === CUR);
    expect(nzd?.debits).toBe(nzd?.credits);
  });

  it("refuses an unknown format", async () => {
    const res = await call(getJournal, { key, method: "GET", path: "/exports/journal?month=2011-01&format=sage" });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).param).toBe("format");
  });
});
