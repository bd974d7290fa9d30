import { expect } from "vitest";
import { asc, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { CustomerRow } from "@/db/queries/customers";
import { balanceTransactions, customers, payments } from "@/db/schema";
import { POST as postCreditNote } from "@/app/api/v1/credit_notes/route";
import { POST as postCreditGrant } from "@/app/api/v1/customers/[id]/credit_grants/route";
import { POST as postFinalize } from "@/app/api/v1/invoices/[id]/finalize/route";
import { POST as postPay } from "@/app/api/v1/invoices/[id]/pay/route";
import { POST as postInvoice } from "@/app/api/v1/invoices/route";
import type { RouteHandler } from "@/lib/api/handler";
import { call, problemOf, type Problem } from "../api/support";
import { makeCustomer, type CustomerOverrides } from "../factories";
import { ctx } from "../services/support";

export { call, newKey, problemOf } from "../api/support";

export interface Invoice {
  id: string;
  number: string | null;
  status: string;
  customer: string;
  collection_method: string;
  lines: { id: string; amount: number; quantity: number; unit_amount: number | null; tax_amounts: { amount: number; inclusive: boolean }[] }[];
  subtotal: number;
  tax: number;
  total: number;
  credit_applied: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  amount_credited: number;
  due_date: string | null;
  finalized_at: string | null;
  paid_at: string | null;
  hosted_invoice_url: string | null;
  pdf_url: string | null;
  last_payment_error: { code: string | null; decline_code: string | null } | null;
}

export interface CreditNote {
  id: string;
  object: string;
  number: string;
  invoice: string;
  customer: string;
  amount: number;
  tax: number;
  outcome: string;
  reason: string;
  memo: string | null;
  status: string;
  lines: { id: string; invoice_line: string | null; amount: number; tax: number }[];
}

export interface BalanceTransaction {
  id: string;
  object: string;
  amount: number;
  type: string;
  invoice: string | null;
  credit_note: string | null;
  ending_balance: number;
}

interface CallSpec {
  method?: string;
  path: string;
  body?: unknown;
  params?: Record<string, string>;
}

/** A route called with a key: the JSON of a 200 answer, or a failed expectation showing the problem. */
export async function ok<T>(route: RouteHandler, key: string, spec: CallSpec): Promise<T> {
  const res = await call(route, { key, ...spec });
  if (res.status !== 200) expect.fail(`${spec.method ?? "POST"} ${spec.path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The problem a route answers with, after checking its status. */
export async function refused(route: RouteHandler, key: string, status: number, spec: CallSpec): Promise<Problem> {
  const res = await call(route, { key, ...spec });
  if (res.status !== status) expect.fail(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return problemOf(res);
}

/** An Australian customer (AUD, GST applies) with pm_card_visa unless told otherwise. */
export async function auCustomer(overrides: CustomerOverrides = {}): Promise<CustomerRow> {
  return makeCustomer(ctx(await getDb()), overrides);
}

export interface LineSpec {
  description?: string;
  amount: number;
  quantity?: number;
  tax_behavior?: "inclusive" | "exclusive";
}

export async function createInvoice(key: string, customerId: string, lines: LineSpec[], extra: Record<string, unknown> = {}): Promise<Invoice> {
  return ok<Invoice>(postInvoice, key, {
    path: "/invoices",
    body: { customer: customerId, lines: lines.map((l) => ({ description: l.description ?? "Course", tax_behavior: "inclusive", ...l })), ...extra },
  });
}

export function invoiceAction(route: RouteHandler, key: string, id: string, action: string, body?: unknown): Promise<Response> {
  return call(route, { key, path: `/invoices/${id}/${action}`, params: { id }, body });
}

export async function finalize(key: string, id: string): Promise<Invoice> {
  return ok<Invoice>(postFinalize, key, { path: `/invoices/${id}/finalize`, params: { id } });
}

export async function pay(key: string, id: string, body?: unknown): Promise<Invoice> {
  return ok<Invoice>(postPay, key, { path: `/invoices/${id}/pay`, params: { id }, body });
}

/** A one-off A$10.00 GST-inclusive invoice (91 GST), charged to the card at once. */
export async function paidTenDollarInvoice(key: string, customerId: string): Promise<Invoice> {
  const invoice = await createInvoice(key, customerId, [{ amount: 1000 }], { auto_advance: true });
  expect(invoice).toMatchObject({ status: "paid", total: 1000, tax: 91, amount_paid: 1000 });
  return invoice;
}

export async function grant(key: string, customerId: string, amount: number, currency = "aud"): Promise<BalanceTransaction> {
  return ok<BalanceTransaction>(postCreditGrant, key, { path: `/customers/${customerId}/credit_grants`, params: { id: customerId }, body: { amount, currency, reason: "Goodwill" } });
}

export async function creditNote(key: string, body: Record<string, unknown>): Promise<CreditNote> {
  return ok<CreditNote>(postCreditNote, key, { path: "/credit_notes", body: { reason: "order_change", ...body } });
}

export async function balanceOf(customerId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ balance: customers.creditBalance }).from(customers).where(eq(customers.id, customerId));
  return row?.balance ?? Number.NaN;
}

/** The ledger in the order it was written (oldest first). */
export async function ledger(customerId: string) {
  const db = await getDb();
  return db.select().from(balanceTransactions).where(eq(balanceTransactions.customerId, customerId)).orderBy(asc(balanceTransactions.createdAt), asc(balanceTransactions.id));
}

/** The ledger is consistent: each entry moves the balance by its amount, and the newest entry's ending balance is the customer's balance. */
export async function expectLedgerBalanced(customerId: string): Promise<void> {
  const db = await getDb();
  const entries = await ledger(customerId);
  let running = 0;
  for (const entry of entries) {
    running += entry.amount;
    expect(entry.endingBalance).toBe(running);
  }
  const [newest] = await db.select().from(balanceTransactions).where(eq(balanceTransactions.customerId, customerId)).orderBy(desc(balanceTransactions.createdAt), desc(balanceTransactions.id)).limit(1);
  expect(newest?.endingBalance ?? 0).toBe(await balanceOf(customerId));
}

export async function paymentsOf(invoiceId: string) {
  const db = await getDb();
  return db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).orderBy(asc(payments.attempt));
}
