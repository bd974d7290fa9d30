import { beforeAll, describe, expect, it } from "vitest";
import { eq, like } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditNotes, payments, sandboxRefunds } from "@/db/schema";
import { newId } from "@/lib/ids";
import { GET as getCreditNote } from "@/app/api/v1/credit_notes/[id]/route";
import { GET as listCreditNotes, POST as postCreditNote } from "@/app/api/v1/credit_notes/route";
import { GET as listBalanceTransactions } from "@/app/api/v1/customers/[id]/balance_transactions/route";
import { GET as getInvoice } from "@/app/api/v1/invoices/[id]/route";
import { POST as postVoid } from "@/app/api/v1/invoices/[id]/void/route";
import {
  auCustomer,
  balanceOf,
  call,
  createInvoice,
  creditNote,
  expectLedgerBalanced,
  finalize,
  grant,
  newKey,
  ok,
  pay,
  paidTenDollarInvoice,
  paymentsOf,
  problemOf,
  refused,
  type BalanceTransaction,
  type CreditNote,
  type Invoice,
} from "./support";

let key: string;

beforeAll(async () => {
  key = (await newKey()).key;
});

async function invoice(id: string): Promise<Invoice> {
  return ok<Invoice>(getInvoice, key, { method: "GET", path: `/invoices/${id}`, params: { id } });
}

async function refundsOf(creditNoteId: string) {
  const db = await getDb();
  return db.select().from(sandboxRefunds).where(like(sandboxRefunds.idempotencyKey, `cn_${creditNoteId}_%`));
}

describe("credit notes on a paid invoice", () => {
  it("A$10.00 GST-inclusive: refund 500 (45 GST), then the other 500 (46 GST, so 91 in all); a third note is refused", async () => {
    const customer = await auCustomer();
    const paid = await paidTenDollarInvoice(key, customer.id);
    const [payment] = await paymentsOf(paid.id);
    if (!payment) throw new Error("no payment");
    const line = paid.lines[0]!.id;

    const first = await creditNote(key, { invoice: paid.id, amount: 500, outcome: "refund", memo: "Half the course was cancelled" });
    expect(first).toMatchObject({
      object: "credit_note",
      invoice: paid.id,
      customer: customer.id,
      amount: 500,
      tax: 45,
      outcome: "refund",
      reason: "order_change",
      memo: "Half the course was cancelled",
      status: "issued",
      lines: [{ invoice_line: line, amount: 500, tax: 45 }],
    });
    expect(first.number).toMatch(/^CN-\d{6}$/);
    expect((await paymentsOf(paid.id))[0]?.amountRefunded).toBe(500);
    expect((await refundsOf(first.id)).map((r) => [r.idempotencyKey, r.paymentGatewayId, r.amount, (r.result as { status: string }).status])).toEqual([
      [`cn_${first.id}_refund_${payment.id}`, payment.gatewayId, 500, "succeeded"],
    ]);
    expect(await invoice(paid.id)).toMatchObject({ status: "paid", amount_paid: 1000, amount_credited: 500, total: 1000, tax: 91 });

    const second = await creditNote(key, { invoice: paid.id, amount: 500, outcome: "refund" });
    expect(second).toMatchObject({ amount: 500, tax: 46, lines: [{ invoice_line: line, amount: 500, tax: 46 }] });
    expect(Number(second.number.slice(3))).toBe(Number(first.number.slice(3)) + 1);
    expect(first.tax + second.tax).toBe(paid.tax);
    expect((await paymentsOf(paid.id))[0]?.amountRefunded).toBe(1000);
    expect(await invoice(paid.id)).toMatchObject({ status: "paid", amount_credited: 1000 });

    const third = await refused(postCreditNote, key, 422, { path: "/credit_notes", body: { invoice: paid.id, amount: 1, reason: "other", outcome: "refund" } });
    expect(third).toMatchObject({ code: "out_of_range", param: "amount" });
    expect(third.detail).toContain("exceeds what remains creditable");
    const db = await getDb();
    expect(await db.select().from(creditNotes).where(eq(creditNotes.invoiceId, paid.id))).toHaveLength(2);
  });

  it("outcome credit: the amount goes to the customer's balance through the ledger", async () => {
    const customer = await auCustomer();
    const paid = await paidTenDollarInvoice(key, customer.id);
    const note = await creditNote(key, { invoice: paid.id, lines: [{ invoice_line: paid.lines[0]!.id, quantity: 1 }], outcome: "credit", reason: "product_unsatisfactory" });
    expect(note).toMatchObject({ amount: 1000, tax: 91, outcome: "credit" });
    expect(await balanceOf(customer.id)).toBe(1000);
    expect((await paymentsOf(paid.id))[0]?.amountRefunded).toBe(0);
    const list = await ok<{ data: BalanceTransaction[] }>(listBalanceTransactions, key, { method: "GET", path: `/customers/${customer.id}/balance_transactions`, params: { id: customer.id } });
    expect(list.data.map((t) => [t.type, t.amount, t.ending_balance, t.invoice, t.credit_note])).toEqual([["credit_note", 1000, 1000, paid.id, note.id]]);
    await expectLedgerBalanced(customer.id);

    // The credit pays the next invoice.
    const next = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 600 }])).id);
    expect(next).toMatchObject({ status: "paid", credit_applied: 600, amount_due: 0 });
    expect(await balanceOf(customer.id)).toBe(400);
    await expectLedgerBalanced(customer.id);
  });

  it("out_of_band records a repayment; a refund to the card is refused when the invoice was paid out of band", async () => {
    const customer = await auCustomer({ card: null });
    const open = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 2000, tax_behavior: "exclusive" }], { collection_method: "send_invoice" })).id);
    await pay(key, open.id, { paid_out_of_band: true });
    const problem = await refused(postCreditNote, key, 422, { path: "/credit_notes", body: { invoice: open.id, amount: 1100, reason: "other", outcome: "refund" } });
    expect(problem).toMatchObject({ code: "validation_failed", param: "outcome" });
    expect(problem.detail).toContain("$0.00 of this invoice was paid by card");
    const note = await creditNote(key, { invoice: open.id, amount: 1100, outcome: "out_of_band" });
    // 2000 net + 200 GST = 2200; half of it holds 100 of GST.
    expect(note).toMatchObject({ amount: 1100, tax: 100, outcome: "out_of_band" });
    expect(await balanceOf(customer.id)).toBe(0);
  });

  it("refunds most recent payments first and spreads an amount over the invoice's lines", async () => {
    const customer = await auCustomer();
    const paid = await createInvoice(key, customer.id, [{ amount: 1000 }, { amount: 3000, tax_behavior: "exclusive" }], { auto_advance: true });
    expect(paid).toMatchObject({ status: "paid", total: 4300, tax: 391 });
    const note = await creditNote(key, { invoice: paid.id, amount: 4300, outcome: "refund" });
    expect(note.lines.map((l) => [l.invoice_line, l.amount, l.tax])).toEqual([
      [paid.lines[0]!.id, 1000, 91],
      [paid.lines[1]!.id, 3300, 300],
    ]);
    expect(note).toMatchObject({ amount: 4300, tax: 391 });
    expect((await paymentsOf(paid.id)).map((p) => p.amountRefunded)).toEqual([4300]);
  });
});

describe("credit notes on an invoice not yet paid", () => {
  it("reduce amount_remaining (no money moves, whatever the outcome); owing nothing more, the invoice is paid", async () => {
    const customer = await auCustomer();
    const open = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 1000 }], { collection_method: "send_invoice" })).id);
    expect(open).toMatchObject({ status: "open", amount_remaining: 1000 });

    const first = await creditNote(key, { invoice: open.id, amount: 300, outcome: "credit" });
    expect(first).toMatchObject({ amount: 300, tax: 27, outcome: "reduce_amount_due" });
    expect(await invoice(open.id)).toMatchObject({ status: "open", amount_remaining: 700, amount_credited: 300, amount_paid: 0, total: 1000 });
    expect(await balanceOf(customer.id)).toBe(0);

    const over = await refused(postCreditNote, key, 422, { path: "/credit_notes", body: { invoice: open.id, amount: 701, reason: "other", outcome: "credit" } });
    expect(over).toMatchObject({ code: "out_of_range", param: "amount" });

    // Paying now charges only what is still owed.
    const paid = await pay(key, open.id);
    expect(paid).toMatchObject({ status: "paid", amount_paid: 700, amount_remaining: 0, amount_credited: 300 });
    expect((await paymentsOf(open.id)).map((p) => p.amount)).toEqual([700]);
    // After payment, what was paid (700) is creditable, regardless of the pre-payment note.
    const refund = await creditNote(key, { invoice: open.id, amount: 700, outcome: "refund" });
    expect(refund).toMatchObject({ amount: 700, tax: 64, outcome: "refund" });
    expect(first.tax + refund.tax).toBe(91);
  });

  it("is refused while a charge for the amount owed is in flight (409)", async () => {
    const customer = await auCustomer();
    const open = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 1000 }])).id);
    const db = await getDb();
    await db.insert(payments).values({ id: newId("payment"), invoiceId: open.id, customerId: customer.id, amount: 1000, currency: "aud", status: "pending", gateway: "sandbox", idempotencyKey: `inv_${open.id}_attempt_1`, attempt: 1 });
    const problem = await refused(postCreditNote, key, 409, { path: "/credit_notes", body: { invoice: open.id, amount: 300, reason: "other", outcome: "credit" } });
    expect(problem.detail).toContain("in progress");
    expect(await invoice(open.id)).toMatchObject({ amount_remaining: 1000, amount_credited: 0 });
  });

  it("a note for everything still owed settles the invoice", async () => {
    const customer = await auCustomer();
    const open = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 1000 }], { collection_method: "send_invoice" })).id);
    await creditNote(key, { invoice: open.id, amount: 1000, outcome: "out_of_band", reason: "duplicate" });
    const settled = await invoice(open.id);
    expect(settled).toMatchObject({ status: "paid", amount_remaining: 0, amount_paid: 0, amount_credited: 1000 });
    expect(settled.paid_at).not.toBeNull();
    expect((await refused(postCreditNote, key, 422, { path: "/credit_notes", body: { invoice: open.id, amount: 1, reason: "other", outcome: "credit" } })).code).toBe("out_of_range");
  });

  it("an uncollectible invoice can be credited down; drafts and void invoices cannot be credited (409)", async () => {
    const customer = await auCustomer();
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }]);
    expect((await refused(postCreditNote, key, 409, { path: "/credit_notes", body: { invoice: draft.id, amount: 100, reason: "other", outcome: "credit" } })).code).toBe("conflict");
    await finalize(key, draft.id);
    await ok<Invoice>(postVoid, key, { path: `/invoices/${draft.id}/void`, params: { id: draft.id } });
    expect((await refused(postCreditNote, key, 409, { path: "/credit_notes", body: { invoice: draft.id, amount: 100, reason: "other", outcome: "credit" } })).detail).toContain("void");
  });
});

describe("credit notes: listing, retrieval and bad input", () => {
  it("lists by invoice and customer, newest first, and hides other modes", async () => {
    const customer = await auCustomer();
    const paid = await paidTenDollarInvoice(key, customer.id);
    const a = await creditNote(key, { invoice: paid.id, amount: 100, outcome: "credit" });
    const b = await creditNote(key, { invoice: paid.id, amount: 200, outcome: "credit" });
    const byInvoice = await ok<{ data: CreditNote[]; has_more: boolean }>(listCreditNotes, key, { method: "GET", path: `/credit_notes?invoice=${paid.id}` });
    expect(byInvoice.data.map((n) => n.id)).toEqual([b.id, a.id]);
    const page = await ok<{ data: CreditNote[]; has_more: boolean }>(listCreditNotes, key, { method: "GET", path: `/credit_notes?customer=${customer.id}&limit=1` });
    expect(page).toMatchObject({ has_more: true });
    expect(page.data.map((n) => n.id)).toEqual([b.id]);
    expect(await ok<CreditNote>(getCreditNote, key, { method: "GET", path: `/credit_notes/${a.id}`, params: { id: a.id } })).toEqual(a);

    const live = (await newKey(true)).key;
    expect((await problemOf(await call(getCreditNote, { method: "GET", key: live, path: `/credit_notes/${a.id}`, params: { id: a.id } }))).status).toBe(404);
    const liveList = await ok<{ data: CreditNote[] }>(listCreditNotes, live, { method: "GET", path: `/credit_notes?invoice=${paid.id}` });
    expect(liveList.data).toEqual([]);
    const foreign = await refused(postCreditNote, live, 404, { path: "/credit_notes", body: { invoice: paid.id, amount: 1, reason: "other", outcome: "credit" } });
    expect(foreign.param).toBe("invoice");
  });

  it.each([
    ["a float amount", { amount: 10.999 }, 422, "amount_invalid", "amount"],
    ["a negative amount", { amount: -100 }, 422, "amount_invalid", "amount"],
    ["amount 0", { amount: 0 }, 422, "amount_invalid", "amount"],
    ["both amount and lines", { amount: 100, lines: [{ invoice_line: "il_x", amount: 100 }] }, 422, "validation_failed", "amount"],
    ["neither amount nor lines", {}, 422, "validation_failed", "amount"],
    ["an unknown field", { amount: 100, refund_to: "elsewhere" }, 400, "unknown_field", "refund_to"],
    ["an unknown outcome", { amount: 100, outcome: "cash" }, 422, "validation_failed", "outcome"],
    ["a line of another invoice", { lines: [{ invoice_line: "il_notonthisinvoice", amount: 100 }] }, 404, "not_found", "lines[0].invoice_line"],
    ["a line with both amount and quantity", { lines: [{ invoice_line: "LINE", amount: 100, quantity: 1 }] }, 422, "validation_failed", "lines[0]"],
    ["a line quantity above the line's", { lines: [{ invoice_line: "LINE", quantity: 2 }] }, 422, "out_of_range", "lines[0].quantity"],
    ["a line amount above the line's", { lines: [{ invoice_line: "LINE", amount: 1001 }] }, 422, "out_of_range", "lines[0].amount"],
  ])("%s", async (_name, body, status, code, param) => {
    const customer = await auCustomer();
    const paid = await paidTenDollarInvoice(key, customer.id);
    const lines = (body as { lines?: { invoice_line: string }[] }).lines?.map((l) => ({ ...l, invoice_line: l.invoice_line === "LINE" ? paid.lines[0]!.id : l.invoice_line }));
    const problem = await refused(postCreditNote, key, status, { path: "/credit_notes", body: { invoice: paid.id, reason: "other", outcome: "credit", ...body, ...(lines ? { lines } : {}) } });
    expect(problem).toMatchObject({ code, param });
    const db = await getDb();
    expect(await db.select().from(creditNotes).where(eq(creditNotes.invoiceId, paid.id))).toEqual([]);
    expect(await balanceOf(customer.id)).toBe(0);
  });

  it("a credit grant and a credit note keep one ledger", async () => {
    const customer = await auCustomer();
    await grant(key, customer.id, 250);
    const paid = await createInvoice(key, customer.id, [{ amount: 1000 }], { auto_advance: true });
    expect(paid).toMatchObject({ status: "paid", credit_applied: 250, amount_paid: 750 });
    expect((await refused(postCreditNote, key, 422, { path: "/credit_notes", body: { invoice: paid.id, amount: 751, reason: "other", outcome: "credit" } })).detail).toContain("($7.50)");
    const note = await creditNote(key, { invoice: paid.id, amount: 750, outcome: "credit" });
    expect(note.amount).toBe(750);
    expect(await balanceOf(customer.id)).toBe(750);
    await expectLedgerBalanced(customer.id);
  });
});

describe("credit notes under concurrency", () => {
  it.skipIf(!process.env.DATABASE_URL)("10 concurrent notes of 200 on a paid A$10.00 invoice: exactly 5 are issued, numbered without gaps, refunded once each (needs PostgreSQL)", async () => {
    const customer = await auCustomer();
    const paid = await paidTenDollarInvoice(key, customer.id);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call(postCreditNote, { key, path: "/credit_notes", body: { invoice: paid.id, amount: 200, reason: "other", outcome: "refund" } })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 422, 422, 422, 422, 422]);
    const notes = (await Promise.all(responses.filter((r) => r.status === 200).map((r) => r.json()))) as CreditNote[];
    const numbers = notes.map((n) => Number(n.number.slice(3))).sort((x, y) => x - y);
    expect(numbers.map((n) => n - numbers[0]!)).toEqual([0, 1, 2, 3, 4]);
    expect(notes.reduce((sum, n) => sum + n.tax, 0)).toBe(91);
    expect((await paymentsOf(paid.id))[0]?.amountRefunded).toBe(1000);
    const refunds = (await Promise.all(notes.map((n) => refundsOf(n.id)))).flat();
    expect(refunds.map((r) => r.amount)).toEqual([200, 200, 200, 200, 200]);
    expect(await invoice(paid.id)).toMatchObject({ amount_credited: 1000, status: "paid" });
  });
});

describe("the OpenAPI document", () => {
  it("describes the invoice actions, credit notes and the balance ledger", async () => {
    const { allOperations } = await import("@/lib/api/operations");
    const { buildOpenApiDocument } = await import("@/lib/api/openapi");
    const doc = buildOpenApiDocument(allOperations) as unknown as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    for (const name of ["CreditNote", "CreditNoteLine", "CustomerBalanceTransaction", "Invoice"]) expect(doc.components.schemas).toHaveProperty(name);
    for (const [path, method] of [
      ["/invoices", "post"],
      ["/invoices/{id}/finalize", "post"],
      ["/invoices/{id}/pay", "post"],
      ["/invoices/{id}/void", "post"],
      ["/invoices/{id}/mark_uncollectible", "post"],
      ["/credit_notes", "post"],
      ["/credit_notes", "get"],
      ["/credit_notes/{id}", "get"],
      ["/customers/{id}/credit_grants", "post"],
      ["/customers/{id}/balance_transactions", "get"],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
