import { beforeAll, describe, expect, it } from "vitest";
import { GET as listBalanceTransactions } from "@/app/api/v1/customers/[id]/balance_transactions/route";
import { POST as postPay } from "@/app/api/v1/invoices/[id]/pay/route";
import { POST as postVoid } from "@/app/api/v1/invoices/[id]/void/route";
import { getDb } from "@/db/client";
import { retryDuePayments } from "@/lib/services/payments/retries/retry-due-payments";
import { eq } from "drizzle-orm";
import { invoices } from "@/db/schema";
import {
  auCustomer,
  balanceOf,
  createInvoice,
  creditNote,
  expectLedgerBalanced,
  finalize,
  invoiceAction,
  ledger,
  newKey,
  ok,
  pay,
  paymentsOf,
  problemOf,
  type BalanceTransaction,
  type Invoice,
} from "./support";

/**
 * Amounts below Stripe's minimum charge (A$0.50) on one-off invoices and through POST /pay: never
 * charged; the invoice is paid by carrying the amount to the customer's balance as a debit
 * (`carried_to_balance`, ledger type `invoice_too_small`), which the next invoice collects
 * (`debit_applied`). A void returns a collected debit to the balance, as it returns applied credit.
 */
type CarryingInvoice = Invoice & { debit_applied: number; carried_to_balance: number };

let key: string;
beforeAll(async () => {
  key = (await newKey()).key;
});

describe("one-off invoices below the minimum charge", () => {
  it("A$0.30 charged automatically: paid without a charge, carried; the next invoice collects it and is charged A$10.30", async () => {
    const customer = await auCustomer();
    const small = (await createInvoice(key, customer.id, [{ amount: 30 }], { auto_advance: true })) as CarryingInvoice;
    expect(small).toMatchObject({ status: "paid", total: 30, amount_due: 30, amount_paid: 0, amount_remaining: 0, carried_to_balance: 30, debit_applied: 0 });
    expect(await paymentsOf(small.id)).toEqual([]);
    expect(await balanceOf(customer.id)).toBe(-30);
    const listed = await ok<{ data: BalanceTransaction[] }>(listBalanceTransactions, key, { method: "GET", path: `/customers/${customer.id}/balance_transactions`, params: { id: customer.id } });
    expect(listed.data.map((t) => [t.type, t.amount, t.invoice, t.ending_balance])).toEqual([["invoice_too_small", -30, small.id, -30]]);

    const next = (await createInvoice(key, customer.id, [{ amount: 1000 }], { auto_advance: true })) as CarryingInvoice;
    expect(next).toMatchObject({ status: "paid", total: 1000, credit_applied: 0, debit_applied: 30, amount_due: 1030, amount_paid: 1030, carried_to_balance: 0 });
    expect((await paymentsOf(next.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 1030]]);
    expect(await balanceOf(customer.id)).toBe(0);
    await expectLedgerBalanced(customer.id);
  });

  it("an open invoice a credit note brought below the minimum: POST /pay settles it by carrying, without a charge, once", async () => {
    const customer = await auCustomer();
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }], { collection_method: "send_invoice", days_until_due: 14 });
    const open = await finalize(key, draft.id);
    expect(open).toMatchObject({ status: "open", amount_remaining: 1000 });
    await creditNote(key, { invoice: open.id, amount: 980, outcome: "credit" });

    const paid = (await pay(key, open.id)) as CarryingInvoice;
    expect(paid).toMatchObject({ status: "paid", amount_paid: 0, amount_remaining: 0, carried_to_balance: 20 });
    expect(await paymentsOf(open.id)).toEqual([]);
    expect(await balanceOf(customer.id)).toBe(-20);
    // Paid now: a second request is refused and carries nothing more.
    expect((await problemOf(await invoiceAction(postPay, key, open.id, "pay"))).status).toBe(409);
    expect((await ledger(customer.id)).map((t) => [t.type, t.amount, t.endingBalance])).toEqual([["invoice_too_small", -20, -20]]);
  });

  it("the retry schedule never charges an amount below the minimum: it carries it", async () => {
    const customer = await auCustomer();
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }]);
    const open = await finalize(key, draft.id);
    await creditNote(key, { invoice: open.id, amount: 990, outcome: "credit" });
    // Due for a retry now, as a failed attempt would leave it.
    const db = await getDb();
    const at = new Date(open.finalized_at!);
    await db.update(invoices).set({ nextPaymentAttemptAt: at }).where(eq(invoices.id, open.id));
    await retryDuePayments(db, new Date(at.getTime() + 60_000));
    const [row] = await db.select().from(invoices).where(eq(invoices.id, open.id));
    expect(row).toMatchObject({ status: "paid", carriedToBalance: 10, amountRemaining: 0, nextPaymentAttemptAt: null });
    expect(await paymentsOf(open.id)).toEqual([]);
    expect(await balanceOf(customer.id)).toBe(-10);
  });

  it("void returns a collected debit to the balance", async () => {
    const customer = await auCustomer();
    await createInvoice(key, customer.id, [{ amount: 30 }], { auto_advance: true });
    const draft = await createInvoice(key, customer.id, [{ amount: 1000 }], { collection_method: "send_invoice", days_until_due: 14 });
    const open = (await finalize(key, draft.id)) as CarryingInvoice;
    expect(open).toMatchObject({ status: "open", debit_applied: 30, amount_due: 1030 });
    expect(await balanceOf(customer.id)).toBe(0);

    const voided = await ok<CarryingInvoice>(postVoid, key, { path: `/invoices/${draft.id}/void`, params: { id: draft.id } });
    expect(voided).toMatchObject({ status: "void", debit_applied: 30, amount_remaining: 0 });
    expect(await balanceOf(customer.id)).toBe(-30);
    expect((await ledger(customer.id)).map((t) => [t.type, t.amount, t.endingBalance])).toEqual([
      ["invoice_too_small", -30, -30],
      ["applied_to_invoice", 30, 0],
      ["adjustment", -30, -30],
    ]);
    await expectLedgerBalanced(customer.id);
  });
});
