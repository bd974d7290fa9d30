import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditNoteLines, creditNotes, customers, invoices } from "@/db/schema";
import { revenueLines } from "@/db/queries/revenue";
import { journalLines, journalTotals } from "@/lib/billing/revenue/journal";
import { addFlows, lineFlows, monthDays, noFlows } from "@/lib/billing/revenue/schedule";
import { newId, randomToken } from "@/lib/ids";
import { monthMovements, recognitionLine } from "@/lib/services/revenue/month-movements";
import { at, finalizedInvoice } from "./support";

/**
 * A month reads only the lines that can move it (decision 033). Over random invoices of 2012 —
 * periods, one-offs, tax, credit notes of every outcome, voids — each month's waterfall equals the
 * engine run over every line there is, each month's journal balances, and its deferred revenue
 * account moves as the waterfall's deferred balance.
 */
const months = Array.from({ length: 14 }, (_, i) => `${2012 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
const DAY = 86_400_000;
const base = at("2012-01-01").getTime();
// A currency of its own per run, so runs do not see each other's invoices.
const currencies = ["sek", "nok", "dkk", "pln", "czk", "ils"];

const invoiceArb = fc.record({
  finalizedDay: fc.integer({ min: 0, max: 330 }),
  lines: fc.array(
    fc.record({
      amount: fc.integer({ min: 0, max: 900_000 }),
      discountPct: fc.integer({ min: 0, max: 30 }),
      tax: fc.constantFrom("none", "inclusive", "exclusive"),
      period: fc.option(fc.record({ offset: fc.integer({ min: -40, max: 20 }), length: fc.integer({ min: 1, max: 366 }) }), { nil: undefined }),
      creditPct: fc.option(fc.record({ after: fc.integer({ min: 0, max: 200 }), pct: fc.integer({ min: 1, max: 100 }), outcome: fc.constantFrom("refund", "credit", "out_of_band", "reduce_amount_due") }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  voidAfter: fc.option(fc.integer({ min: 0, max: 250 }), { nil: undefined }),
});

describe("a month's lines (decision 033)", () => {
  it("give the figures of every line, and a balanced journal that moves deferred revenue as the waterfall does", async () => {
    const db = await getDb();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(invoiceArb, { minLength: 1, maxLength: 6 }), async (generated) => {
        const currency = currencies[run++ % currencies.length]!;
        const customerId = newId("customer");
        await db.insert(customers).values({ id: customerId, email: `${randomToken(8).toLowerCase()}@example.test`, currency, timezone: "UTC" });
        for (const inv of generated) {
          const finalizedAt = new Date(base + inv.finalizedDay * DAY + 3_600_000);
          const lines = inv.lines.map((l) => {
            const discount = Math.floor((l.amount * l.discountPct) / 100);
            const taxable = l.amount - discount;
            const tax = l.tax === "none" ? undefined : { amount: Math.floor(taxable / 11), rate: "0.1", jurisdiction: "GST", inclusive: l.tax === "inclusive" };
            const start = finalizedAt.getTime() + (l.period?.offset ?? 0) * DAY;
            const period = l.period ? ([new Date(start).toISOString(), new Date(start + l.period.length * DAY).toISOString()] as [string, string]) : undefined;
            return { amount: l.amount, discount, tax, period };
          });
          const { id, lineIds } = await finalizedInvoice(db, customerId, currency, finalizedAt, lines, "open");
          if (inv.voidAfter !== undefined) {
            await db.update(invoices).set({ status: "void", voidedAt: new Date(finalizedAt.getTime() + inv.voidAfter * DAY) }).where(eq(invoices.id, id));
          }
          for (const [i, l] of inv.lines.entries()) {
            if (!l.creditPct) continue;
            const line = lines[i]!;
            const gross = line.amount - line.discount + (line.tax && !line.tax.inclusive ? line.tax.amount : 0);
            const amount = Math.floor((gross * l.creditPct.pct) / 100);
            const tax = line.tax ? Math.floor((amount * line.tax.amount) / Math.max(1, gross)) : 0;
            const createdAt = new Date(finalizedAt.getTime() + Math.min(l.creditPct.after, inv.voidAfter ?? Infinity) * DAY);
            const noteId = newId("creditNote");
            await db.insert(creditNotes).values({ id: noteId, number: `CN-${randomToken(10)}`, invoiceId: id, customerId, currency, amount, tax, reason: "other", outcome: l.creditPct.outcome, createdAt });
            await db.insert(creditNoteLines).values({ id: newId("creditNoteLine"), creditNoteId: noteId, invoiceLineId: lineIds[i]!, description: "credit", amount, tax });
          }
        }

        const all = await revenueLines(db, { livemode: false, from: new Date(0), to: at("2030-01-01"), currency });
        for (const month of months) {
          const { start, end } = monthDays(month);
          const expected = all.filter((r) => r.finalizedAt < monthDays(month).to).reduce((sum, row) => addFlows(sum, lineFlows(recognitionLine(row), start, end)), noFlows());
          const got = (await monthMovements(db, false, month, currency)).get(currency);
          expect(got?.flows ?? noFlows()).toEqual(expected);
          expect(expected.deferredOpening + expected.billed - expected.recognized).toBe(expected.deferredClosing);
          expect(expected.deferredClosing).toBeGreaterThanOrEqual(0);
          if (got) {
            const lines = journalLines(got.movements);
            const { debits, credits } = journalTotals(lines);
            expect(debits).toBe(credits);
            const deferred = lines.filter((l) => l.account === "deferred").reduce((s, l) => s + l.amount, 0);
            expect(0 - deferred).toBe(got.flows.deferredClosing - got.flows.deferredOpening);
          }
        }
      }),
      { numRuns: 6 },
    );
  });
});
