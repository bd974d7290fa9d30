import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { balanceTransactions, customers, outboxEvents } from "@/db/schema";
import { POST as postCreditGrant } from "@/app/api/v1/customers/[id]/credit_grants/route";
import { GET as listBalanceTransactions } from "@/app/api/v1/customers/[id]/balance_transactions/route";
import { GET as getCustomer } from "@/app/api/v1/customers/[id]/route";
import type { LineInput } from "@/lib/billing/types";
import { grantCredit } from "@/lib/services/balance/grant-credit";
import { createCreditNote } from "@/lib/services/credit-notes/create-credit-note";
import { issueInvoice } from "@/lib/services/invoices/issue-invoice";
import { payInvoice } from "@/lib/services/invoices/pay-invoice";
import { voidInvoice } from "@/lib/services/invoices/void-invoice";
import { ctx } from "../services/support";
import { auCustomer, balanceOf, call, expectLedgerBalanced, grant, ledger, newKey, ok, problemOf, refused, type BalanceTransaction } from "./support";

let key: string;

beforeAll(async () => {
  key = (await newKey()).key;
});

type Ledger = { data: BalanceTransaction[]; has_more: boolean };

describe("credit grants", () => {
  it("grant credit: returns the balance transaction, moves the balance, and is listed newest first with keyset pages", async () => {
    const customer = await auCustomer();
    const first = await grant(key, customer.id, 1500);
    expect(first).toMatchObject({ object: "customer_balance_transaction", customer: customer.id, amount: 1500, currency: "aud", type: "credit_grant", description: "Goodwill", invoice: null, credit_note: null, ending_balance: 1500, livemode: false });
    expect(first.id).toMatch(/^cbtxn_/);
    await grant(key, customer.id, 250);
    await grant(key, customer.id, 5);
    const shown = await ok<{ credit_balance: number }>(getCustomer, key, { method: "GET", path: `/customers/${customer.id}`, params: { id: customer.id } });
    expect(shown.credit_balance).toBe(1755);

    const path = `/customers/${customer.id}/balance_transactions`;
    const page1 = await ok<Ledger>(listBalanceTransactions, key, { method: "GET", path: `${path}?limit=2`, params: { id: customer.id } });
    expect(page1.has_more).toBe(true);
    expect(page1.data.map((t) => [t.amount, t.ending_balance])).toEqual([
      [5, 1755],
      [250, 1750],
    ]);
    const page2 = await ok<Ledger>(listBalanceTransactions, key, { method: "GET", path: `${path}?limit=2&starting_after=${page1.data[1]!.id}`, params: { id: customer.id } });
    expect(page2).toMatchObject({ has_more: false });
    expect(page2.data.map((t) => t.id)).toEqual([first.id]);

    const db = await getDb();
    const events = await db.select().from(outboxEvents).where(eq(outboxEvents.customerId, customer.id));
    expect(events.filter((e) => e.type === "customer.balance_transaction.created")).toHaveLength(3);
  });

  it.each([
    ["a float amount", { amount: 10.999 }, 422, "amount_invalid", "amount"],
    ["a numeric string", { amount: "1e3" }, 422, "amount_invalid", "amount"],
    ["null", { amount: null }, 422, "amount_invalid", "amount"],
    ["a negative amount", { amount: -500 }, 422, "amount_invalid", "amount"],
    ["zero", { amount: 0 }, 422, "out_of_range", "amount"],
    ["another currency than the customer's", { currency: "usd" }, 422, "validation_failed", "currency"],
    ["an unsupported currency", { currency: "US$" }, 422, "currency_unsupported", "currency"],
    ["an empty reason", { reason: "" }, 422, "validation_failed", "reason"],
    ["an unknown field", { role: "admin" }, 400, "unknown_field", "role"],
  ])("%s is refused and changes nothing", async (_name, patch, status, code, param) => {
    const customer = await auCustomer();
    const problem = await refused(postCreditGrant, key, status, { path: `/customers/${customer.id}/credit_grants`, params: { id: customer.id }, body: { amount: 1000, currency: "aud", reason: "Goodwill", ...patch } });
    expect(problem).toMatchObject({ code, param });
    expect(await balanceOf(customer.id)).toBe(0);
    expect(await ledger(customer.id)).toEqual([]);
  });

  it("the errors say what is expected: minor units, the customer's currency, JPY's whole yen", async () => {
    const customer = await auCustomer();
    const float = await refused(postCreditGrant, key, 422, { path: `/customers/${customer.id}/credit_grants`, params: { id: customer.id }, body: { amount: 10.999, currency: "aud", reason: "x" } });
    expect(float.detail).toContain("integer number of minor units, e.g. 1099 = $10.99");
    const currency = await refused(postCreditGrant, key, 422, { path: `/customers/${customer.id}/credit_grants`, params: { id: customer.id }, body: { amount: 100, currency: "usd", reason: "x" } });
    expect(currency.detail).toContain("customer's currency (aud)");
    const yen = await auCustomer({ currency: "jpy", address: { country: "JP" }, timezone: "Asia/Tokyo" });
    const whole = await refused(postCreditGrant, key, 422, { path: `/customers/${yen.id}/credit_grants`, params: { id: yen.id }, body: { amount: 80.5, currency: "jpy", reason: "x" } });
    expect(whole.detail).toContain("JPY has no minor unit");
    expect((await grant(key, yen.id, 80, "jpy")).ending_balance).toBe(80);
  });

  it("another mode's customer is a 404 for both routes", async () => {
    const customer = await auCustomer();
    const live = (await newKey(true)).key;
    expect((await problemOf(await call(postCreditGrant, { key: live, path: `/customers/${customer.id}/credit_grants`, params: { id: customer.id }, body: { amount: 1, currency: "aud", reason: "x" } }))).status).toBe(404);
    expect((await problemOf(await call(listBalanceTransactions, { method: "GET", key: live, path: `/customers/${customer.id}/balance_transactions`, params: { id: customer.id } }))).status).toBe(404);
  });
});

/** A priced line for issueInvoice: positive charges, or negative credits (unused time) that can exceed the charges. */
function line(amount: number): LineInput {
  return { description: amount < 0 ? "Unused time" : "Charge", amount, quantity: 1, unitAmount: amount, periodStart: null, periodEnd: null, proration: amount < 0, priceId: null, planId: null, taxBehavior: "inclusive" };
}

type Command = { kind: "grant"; amount: number } | { kind: "invoice"; amounts: number[] } | { kind: "void" } | { kind: "credit_note"; fraction: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("grant" as const), amount: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ kind: fc.constant("invoice" as const), amounts: fc.array(fc.integer({ min: -3000, max: 4000 }), { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant("void" as const) }),
  fc.record({ kind: fc.constant("credit_note" as const), fraction: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
);

describe("the credit ledger", () => {
  it("after any sequence of grants, invoices (credit applied, excess returned), voids and credit notes, the newest ending_balance is the customer's balance", async () => {
    const db = await getDb();
    const c = ctx(db);
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 10 }), async (commands) => {
        // No card: invoices the balance does not cover stay open; all at the same instant, like a frozen test clock.
        const customer = await auCustomer({ card: null });
        const issued: { id: string; status: string }[] = [];
        for (const command of commands) {
          if (command.kind === "grant") {
            await grantCredit(c, { customerId: customer.id, amount: command.amount, currency: "aud", reason: "grant" });
          } else if (command.kind === "invoice") {
            const invoice = await db.transaction(async (tx) => {
              const [row] = await tx.select().from(customers).where(eq(customers.id, customer.id));
              if (!row) throw new Error("customer vanished");
              return issueInvoice(tx, c.actor, { customer: row, subscription: null, billingReason: "manual", period: null, lines: command.amounts.map(line), discount: null, consumesPendingItems: false, at: c.now });
            });
            expect(invoice.total).toBeGreaterThanOrEqual(0);
            issued.push(invoice);
          } else if (command.kind === "void") {
            const target = issued.find((i) => i.status === "open");
            if (target) target.status = (await voidInvoice(c, target.id)).status;
          } else {
            // Settle an open invoice out of band, then credit part of what was paid to the balance.
            const target = issued.find((i) => i.status === "open");
            if (!target) continue;
            const { invoice: paid } = await payInvoice(c, target.id, { paidOutOfBand: true });
            target.status = paid.status;
            const amount = Math.max(1, Math.round(paid.amountPaid * command.fraction));
            const note = await createCreditNote(c, { invoiceId: target.id, amount, reason: "other", outcome: "credit" });
            expect(note.amount).toBe(amount);
          }
          await expectLedgerBalanced(customer.id);
        }
        const [newest] = await db.select().from(balanceTransactions).where(eq(balanceTransactions.customerId, customer.id)).orderBy(desc(balanceTransactions.createdAt), desc(balanceTransactions.id)).limit(1);
        const balance = await balanceOf(customer.id);
        expect(newest?.endingBalance ?? 0).toBe(balance);
        // The balance goes below zero only by a debit: an amount due below the minimum charge, carried (decision 023).
        const carried = (await db.select().from(balanceTransactions).where(and(eq(balanceTransactions.customerId, customer.id), eq(balanceTransactions.type, "invoice_too_small")))).reduce((sum, t) => sum + t.amount, 0);
        expect(balance).toBeGreaterThanOrEqual(carried);
      }),
      { numRuns: 15 },
    );
  });
});
