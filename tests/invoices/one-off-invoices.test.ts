import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { invoiceLines, invoices } from "@/db/schema";
import { GET as getInvoice } from "@/app/api/v1/invoices/[id]/route";
import { POST as postFinalize } from "@/app/api/v1/invoices/[id]/finalize/route";
import { POST as postMarkUncollectible } from "@/app/api/v1/invoices/[id]/mark_uncollectible/route";
import { POST as postPay } from "@/app/api/v1/invoices/[id]/pay/route";
import { POST as postVoid } from "@/app/api/v1/invoices/[id]/void/route";
import { GET as listInvoices, POST as postInvoice } from "@/app/api/v1/invoices/route";
import {
  auCustomer,
  balanceOf,
  call,
  createInvoice,
  expectLedgerBalanced,
  finalize,
  grant,
  invoiceAction,
  ledger,
  newKey,
  ok,
  pay,
  paymentsOf,
  problemOf,
  refused,
  type Invoice,
} from "./support";
import { DAY_MS } from "@/lib/time";

let key: string;

beforeAll(async () => {
  key = (await newKey()).key;
});

describe("one-off invoices: draft → finalize", () => {
  it("a draft has no number; finalizing numbers it and applies the credit balance as it is then", async () => {
    const customer = await auCustomer();
    await grant(key, customer.id, 300);

    const draft = await createInvoice(key, customer.id, [
      { description: "Onboarding workshop", amount: 1000, quantity: 2, tax_behavior: "inclusive" },
      { description: "Workbook", amount: 500, tax_behavior: "exclusive" },
    ]);
    expect(draft).toMatchObject({ status: "draft", number: null, finalized_at: null, hosted_invoice_url: null, pdf_url: null, collection_method: "charge_automatically" });
    // 2 × 1000 inclusive (182 GST inside) + 500 exclusive (+50 GST).
    expect(draft.lines.map((l) => [l.amount, l.quantity, l.unit_amount, l.tax_amounts.map((t) => t.amount)])).toEqual([
      [2000, 2, 1000, [182]],
      [500, 1, 500, [50]],
    ]);
    expect(draft).toMatchObject({ subtotal: 2500, tax: 232, total: 2550 });
    // Nothing leaves the balance until finalization.
    expect(await balanceOf(customer.id)).toBe(300);
    const notListed = await ok<{ data: Invoice[] }>(listInvoices, key, { method: "GET", path: `/invoices?customer=${customer.id}` });
    expect(notListed.data).toEqual([]);
    const drafts = await ok<{ data: Invoice[] }>(listInvoices, key, { method: "GET", path: `/invoices?customer=${customer.id}&status=draft` });
    expect(drafts.data.map((i) => i.id)).toEqual([draft.id]);

    await grant(key, customer.id, 200);
    const open = await finalize(key, draft.id);
    expect(open).toMatchObject({ status: "open", total: 2550, credit_applied: 500, amount_due: 2050, amount_remaining: 2050, amount_paid: 0 });
    expect(open.number).toMatch(/^TLY-\d{6}$/);
    expect(open.finalized_at).not.toBeNull();
    expect(open.hosted_invoice_url).toMatch(/\/i\/[0-9A-Za-z]{32}$/);
    expect(open.pdf_url).toBe(`${open.hosted_invoice_url}/pdf`);
    expect(await balanceOf(customer.id)).toBe(0);
    expect((await ledger(customer.id)).map((t) => [t.type, t.amount, t.endingBalance, t.invoiceId])).toEqual([
      ["credit_grant", 300, 300, null],
      ["credit_grant", 200, 500, null],
      ["applied_to_invoice", -500, 0, draft.id],
    ]);
    await expectLedgerBalanced(customer.id);

    // Finalizing does not charge; paying does, for what remains after the credit.
    const paid = await pay(key, draft.id);
    expect(paid).toMatchObject({ status: "paid", amount_paid: 2050, amount_remaining: 0, number: open.number });
    expect((await paymentsOf(draft.id)).map((p) => [p.status, p.amount, p.method, p.gateway])).toEqual([["succeeded", 2050, "card", "sandbox"]]);
  });

  it("numbers are taken at finalization, in finalization order, without gaps", async () => {
    const customer = await auCustomer();
    const a = await createInvoice(key, customer.id, [{ amount: 100 }]);
    const b = await createInvoice(key, customer.id, [{ amount: 200 }]);
    const bFinal = await finalize(key, b.id);
    const aFinal = await finalize(key, a.id);
    const n = (s: string | null) => Number(s?.slice(4));
    expect(n(aFinal.number)).toBe(n(bFinal.number) + 1);
  });

  it("a balance that covers the whole invoice pays it at finalization, without a charge", async () => {
    const customer = await auCustomer();
    await grant(key, customer.id, 5000);
    const draft = await createInvoice(key, customer.id, [{ amount: 1200 }]);
    const done = await finalize(key, draft.id);
    expect(done).toMatchObject({ status: "paid", credit_applied: 1200, amount_due: 0, amount_remaining: 0 });
    expect(await paymentsOf(draft.id)).toEqual([]);
    expect(await balanceOf(customer.id)).toBe(3800);
  });

  it("auto_advance finalizes and charges at once; a decline leaves it open with the error, and /pay answers 402", async () => {
    const good = await auCustomer();
    const paid = await createInvoice(key, good.id, [{ amount: 4900 }], { auto_advance: true });
    expect(paid).toMatchObject({ status: "paid", amount_paid: 4900 });
    expect(paid.number).toMatch(/^TLY-/);

    const declined = await auCustomer({ card: "pm_card_chargeDeclinedInsufficientFunds" });
    const open = await createInvoice(key, declined.id, [{ amount: 4900 }], { auto_advance: true });
    expect(open).toMatchObject({ status: "open", amount_remaining: 4900, last_payment_error: { code: "card_declined", decline_code: "insufficient_funds" } });
    const problem = await problemOf(await invoiceAction(postPay, key, open.id, "pay"));
    expect(problem).toMatchObject({ status: 402, code: "payment_failed", decline_code: "insufficient_funds" });
    expect((await paymentsOf(open.id)).map((p) => [p.attempt, p.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
    ]);

    const noCard = await auCustomer({ card: null });
    const refusedProblem = await refused(postInvoice, key, 422, { path: "/invoices", body: { customer: noCard.id, lines: [{ description: "x", amount: 100, tax_behavior: "inclusive" }], auto_advance: true } });
    expect(refusedProblem.param).toBe("customer");
  });

  it("send_invoice: due days_until_due after finalization; paid out of band without a charge", async () => {
    const customer = await auCustomer({ card: null });
    const draft = await createInvoice(key, customer.id, [{ amount: 15000, tax_behavior: "exclusive" }], { collection_method: "send_invoice", days_until_due: 14 });
    expect(draft.collection_method).toBe("send_invoice");
    const open = await finalize(key, draft.id);
    expect(open.status).toBe("open");
    expect(new Date(open.due_date ?? "").getTime() - new Date(open.finalized_at ?? "").getTime()).toBe(14 * DAY_MS);

    const paid = await pay(key, draft.id, { paid_out_of_band: true });
    expect(paid).toMatchObject({ status: "paid", amount_paid: 16500, amount_remaining: 0 });
    expect(paid.paid_at).not.toBeNull();
    expect((await paymentsOf(draft.id)).map((p) => [p.status, p.amount, p.method, p.gateway, p.idempotencyKey, p.paymentMethodId])).toEqual([
      ["succeeded", 16500, "other", "manual", `inv_${draft.id}_oob`, null],
    ]);
    expect((await problemOf(await invoiceAction(postPay, key, draft.id, "pay", { paid_out_of_band: true }))).status).toBe(409);
  });

  it("void keeps the number and returns the applied credit to the balance", async () => {
    const customer = await auCustomer();
    await grant(key, customer.id, 300);
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }]);
    const open = await finalize(key, draft.id);
    expect(open).toMatchObject({ credit_applied: 300, amount_due: 700 });
    expect(await balanceOf(customer.id)).toBe(0);

    const voided = await ok<Invoice>(postVoid, key, { path: `/invoices/${draft.id}/void`, params: { id: draft.id } });
    expect(voided).toMatchObject({ status: "void", number: open.number, total: 1000, credit_applied: 300, amount_remaining: 0 });
    expect(voided.lines).toHaveLength(1);
    expect(await balanceOf(customer.id)).toBe(300);
    expect((await ledger(customer.id)).map((t) => [t.type, t.amount, t.endingBalance])).toEqual([
      ["credit_grant", 300, 300],
      ["applied_to_invoice", -300, 0],
      ["adjustment", 300, 300],
    ]);
    await expectLedgerBalanced(customer.id);
  });

  it("a draft can be voided (it never gets a number)", async () => {
    const customer = await auCustomer();
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }]);
    const voided = await ok<Invoice>(postVoid, key, { path: `/invoices/${draft.id}/void`, params: { id: draft.id } });
    expect(voided).toMatchObject({ status: "void", number: null });
  });

  it("mark uncollectible, then pay: the written-off invoice is charged when asked", async () => {
    const customer = await auCustomer();
    const open = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 2500 }])).id);
    const writtenOff = await ok<Invoice>(postMarkUncollectible, key, { path: `/invoices/${open.id}/mark_uncollectible`, params: { id: open.id } });
    expect(writtenOff).toMatchObject({ status: "uncollectible", amount_remaining: 2500 });
    const paid = await pay(key, open.id);
    expect(paid).toMatchObject({ status: "paid", amount_paid: 2500, amount_remaining: 0 });
  });

  it("actions on the wrong status are 409 with a clear message", async () => {
    const customer = await auCustomer();
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }]);
    const conflict = async (route: typeof postPay, id: string, action: string, body?: unknown) => {
      const problem = await problemOf(await invoiceAction(route, key, id, action, body));
      expect(problem).toMatchObject({ status: 409, code: "conflict" });
      return problem.detail;
    };
    expect(await conflict(postPay, draft.id, "pay")).toBe("Finalize the draft before paying it.");
    expect(await conflict(postPay, draft.id, "pay", { paid_out_of_band: true })).toBe("Finalize the draft before paying it.");
    expect(await conflict(postMarkUncollectible, draft.id, "mark_uncollectible")).toContain("Only open invoices");

    const open = await finalize(key, draft.id);
    expect(await conflict(postFinalize, draft.id, "finalize")).toContain("already finalized");
    await pay(key, open.id);
    expect(await conflict(postPay, draft.id, "pay")).toContain("already paid");
    expect(await conflict(postVoid, draft.id, "void")).toContain("credit note");
    expect(await conflict(postMarkUncollectible, draft.id, "mark_uncollectible")).toContain("this one is paid");

    const other = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 1000 }])).id);
    await ok<Invoice>(postVoid, key, { path: `/invoices/${other.id}/void`, params: { id: other.id } });
    expect(await conflict(postVoid, other.id, "void")).toContain("already void");
    expect(await conflict(postPay, other.id, "pay")).toContain("void");
    expect(await conflict(postFinalize, other.id, "finalize")).toBe("A void invoice cannot be finalized.");

    const written = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 1000 }])).id);
    await ok<Invoice>(postMarkUncollectible, key, { path: `/invoices/${written.id}/mark_uncollectible`, params: { id: written.id } });
    expect(await conflict(postMarkUncollectible, written.id, "mark_uncollectible")).toContain("already marked uncollectible");
  });

  it("another mode's invoice or customer is a 404, the same as a missing one", async () => {
    const customer = await auCustomer();
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }]);
    const live = (await newKey(true)).key;
    for (const route of [postFinalize, postPay, postVoid, postMarkUncollectible]) {
      expect((await problemOf(await invoiceAction(route, live, draft.id, "x"))).status).toBe(404);
    }
    expect((await problemOf(await call(getInvoice, { method: "GET", key: live, path: `/invoices/${draft.id}`, params: { id: draft.id } }))).status).toBe(404);
    const problem = await refused(postInvoice, live, 404, { path: "/invoices", body: { customer: customer.id, lines: [{ description: "x", amount: 1, tax_behavior: "inclusive" }] } });
    expect(problem.param).toBe("customer");
  });
});

describe("one-off invoices: bad input changes nothing", () => {
  const line = { description: "Course", amount: 1000, tax_behavior: "inclusive" };

  it.each([
    ["a float amount", { lines: [{ ...line, amount: 10.999 }] }, 422, "amount_invalid", "lines[0].amount"],
    ["a string amount", { lines: [{ ...line, amount: "1e3" }] }, 422, "amount_invalid", "lines[0].amount"],
    ["a negative amount", { lines: [{ ...line, amount: -100 }] }, 422, "amount_invalid", "lines[0].amount"],
    ["quantity 0", { lines: [{ ...line, quantity: 0 }] }, 422, "out_of_range", "lines[0].quantity"],
    ["quantity -1", { lines: [{ ...line, quantity: -1 }] }, 422, "out_of_range", "lines[0].quantity"],
    ["no lines", { lines: [] }, 422, "validation_failed", "lines"],
    ["an unknown tax behaviour", { lines: [{ ...line, tax_behavior: "gross" }] }, 422, "validation_failed", "lines[0].tax_behavior"],
    ["an unknown field", { lines: [line], role: "admin" }, 400, "unknown_field", "role"],
    ["an unknown line field", { lines: [{ ...line, price: "price_x" }] }, 400, "unknown_field", "lines[0].price"],
    ["days_until_due with automatic collection", { lines: [line], days_until_due: 7 }, 422, "validation_failed", "days_until_due"],
    ["days_until_due out of range", { lines: [line], collection_method: "send_invoice", days_until_due: 400 }, 422, "out_of_range", "days_until_due"],
  ])("%s", async (_name, body, status, code, param) => {
    const customer = await auCustomer();
    const problem = await refused(postInvoice, key, status, { path: "/invoices", body: { customer: customer.id, ...body } });
    expect(problem).toMatchObject({ code, param });
    expect(problem.detail.length).toBeGreaterThan(10);
    const db = await getDb();
    expect(await db.select().from(invoices).where(eq(invoices.customerId, customer.id))).toEqual([]);
  });

  it("the amount error teaches the convention; JPY has no minor unit", async () => {
    const aud = await auCustomer();
    const float = await refused(postInvoice, key, 422, { path: "/invoices", body: { customer: aud.id, lines: [{ ...line, amount: 10.999 }] } });
    expect(float.detail).toContain("integer number of minor units");
    const yen = await auCustomer({ currency: "jpy", address: { country: "JP" }, timezone: "Asia/Tokyo" });
    const problem = await refused(postInvoice, key, 422, { path: "/invoices", body: { customer: yen.id, lines: [{ ...line, amount: 80.5 }] } });
    expect(problem).toMatchObject({ code: "amount_invalid", param: "lines[0].amount" });
    expect(problem.detail).toContain("JPY has no minor unit");
    const ok80 = await createInvoice(key, yen.id, [{ amount: 80 }]);
    expect(ok80).toMatchObject({ total: 80, tax: 0 });
  });
});

describe("finalized invoices are immutable", () => {
  it("the database refuses changes to a finalized invoice's money and lines, but lets its payment state move", async () => {
    const customer = await auCustomer();
    const open = await finalize(key, (await createInvoice(key, customer.id, [{ amount: 1000 }])).id);
    const db = await getDb();
    const cause = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => expect.fail("expected the immutability trigger to refuse"),
        (e: unknown) => e as { message?: string; cause?: { message?: string } },
      );
      return `${error.message ?? ""} ${error.cause?.message ?? ""}`;
    };
    expect(await cause(db.update(invoices).set({ total: 1 }).where(eq(invoices.id, open.id)))).toMatch(/finalized and immutable/);
    expect(await cause(db.update(invoices).set({ tax: 0, subtotal: 0 }).where(eq(invoices.id, open.id)))).toMatch(/finalized and immutable/);
    expect(await cause(db.update(invoices).set({ number: "TLY-999999" }).where(eq(invoices.id, open.id)))).toMatch(/finalized and immutable/);
    expect(await cause(db.update(invoiceLines).set({ amount: 1 }).where(eq(invoiceLines.invoiceId, open.id)))).toMatch(/lines cannot change/);
    expect(await cause(db.delete(invoices).where(eq(invoices.id, open.id)))).toMatch(/finalized/);
    // A new id is refused too (its lines' foreign key answers first; without lines, the trigger would).
    expect(await cause(db.update(invoices).set({ id: `${open.id}_renamed` }).where(eq(invoices.id, open.id)))).toMatch(/finalized and immutable|violates foreign key/);
    const [line] = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, open.id));
    expect(await cause(db.insert(invoiceLines).values({ ...line!, id: `${line!.id}_extra`, position: 9 }))).toMatch(/lines cannot change/);
    expect(await cause(db.delete(invoiceLines).where(eq(invoiceLines.invoiceId, open.id)))).toMatch(/lines cannot change/);

    // Checked per statement: one finalized invoice among drafts refuses the whole statement.
    const other = await createInvoice(key, customer.id, [{ amount: 500 }]);
    expect(await cause(db.update(invoices).set({ total: 7 }).where(inArray(invoices.id, [other.id, open.id])))).toMatch(new RegExp(`invoice ${open.id} is finalized`));
    expect((await db.select().from(invoices).where(eq(invoices.id, other.id)))[0]).toMatchObject({ total: 500 });
    // A line cannot be moved from a draft onto a finalized invoice, nor off one.
    expect(await cause(db.update(invoiceLines).set({ invoiceId: open.id }).where(eq(invoiceLines.invoiceId, other.id)))).toMatch(/lines cannot change/);
    expect(await cause(db.update(invoiceLines).set({ invoiceId: other.id }).where(eq(invoiceLines.invoiceId, open.id)))).toMatch(/lines cannot change/);

    // Payment state is not money of the invoice: it moves.
    await db.update(invoices).set({ amountCredited: 0, status: "open" }).where(eq(invoices.id, open.id));
    const [row] = await db.select().from(invoices).where(eq(invoices.id, open.id));
    expect(row).toMatchObject({ total: 1000, tax: 91, number: open.number });

    // A draft is still editable.
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }]);
    await db.update(invoiceLines).set({ description: "Renamed" }).where(eq(invoiceLines.invoiceId, draft.id));
  });
});
