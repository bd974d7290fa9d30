import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "@/lib/csv/csv";
import { parseMajor } from "@/lib/money";
import { emptyMovements, journalLines, journalTotals, type MonthMovements } from "./journal";
import { QUICKBOOKS_COLUMNS, renderJournal, TALLY_JOURNAL_COLUMNS, XERO_COLUMNS } from "./journal-formats";

const amount = fc.integer({ min: -2_000_000, max: 2_000_000 });
const pair = fc.record({ net: amount, tax: amount });
const movementsArb: fc.Arbitrary<MonthMovements> = fc.record({
  finalized: pair,
  recognized: amount,
  credited: fc.record({ refund: pair, credit: pair, out_of_band: pair, reduce_amount_due: pair }),
  voided: pair,
  balance: fc.record({ creditApplied: amount, debitApplied: amount, excessCredited: amount, carriedToBalance: amount, voidCreditReturned: amount, voidDebitReturned: amount }),
  payments: fc.record({ amount, fees: amount }),
  refundsPaid: amount,
});

describe("the monthly journal (decision 033)", () => {
  it("balances for any movements: debits = credits, and the three file shapes say the same", () => {
    fc.assert(
      fc.property(movementsArb, (m) => {
        const lines = journalLines(m);
        const { debits, credits } = journalTotals(lines);
        expect(debits).toBe(credits);
        const journals = [{ month: "2026-02", currency: "aud", lines }];

        const xero = parseCsv(renderJournal("xero", journals));
        expect(xero[0]).toEqual([...XERO_COLUMNS]);
        expect(xero.slice(1).reduce((s, r) => s + parseMajor(r[5]!, "aud"), 0)).toBe(0);
        expect(new Set(xero.slice(1).map((r) => r[1]))).toEqual(new Set(lines.length ? ["28/02/2026"] : []));

        const qbo = parseCsv(renderJournal("quickbooks", journals));
        expect(qbo[0]).toEqual([...QUICKBOOKS_COLUMNS]);
        const sum = (col: number) => qbo.slice(1).reduce((s, r) => s + (r[col] ? parseMajor(r[col], "aud") : 0), 0);
        expect(sum(3)).toBe(debits);
        expect(sum(4)).toBe(credits);

        const csv = parseCsv(renderJournal("csv", journals));
        expect(csv[0]).toEqual([...TALLY_JOURNAL_COLUMNS]);
        expect(csv.length - 1).toBe(lines.length);
      }),
      { numRuns: 200 },
    );
  });

  it("an A$110.00 invoice (A$10.00 GST), a third recognised, paid with a A$3.50 fee", () => {
    const m: MonthMovements = { ...emptyMovements(), finalized: { net: 10000, tax: 1000 }, recognized: 3333, payments: { amount: 11000, fees: 350 } };
    expect(journalLines(m)).toEqual([
      { account: "receivable", description: "Invoices finalized", amount: 11000 },
      { account: "deferred", description: "Invoices finalized", amount: -10000 },
      { account: "tax", description: "Invoices finalized", amount: -1000 },
      { account: "deferred", description: "Revenue recognized", amount: 3333 },
      { account: "revenue", description: "Revenue recognized", amount: -3333 },
      { account: "cash", description: "Payments received", amount: 11000 },
      { account: "receivable", description: "Payments received", amount: -11000 },
      { account: "fees", description: "Payment gateway fees", amount: 350 },
      { account: "cash", description: "Payment gateway fees", amount: -350 },
    ]);
    expect(renderJournal("quickbooks", [{ month: "2026-02", currency: "aud", lines: journalLines(m) }]).split("\r\n")[1]).toBe("TLY-2026-02-1,02/28/2026,Accounts receivable,110.00,,Invoices finalized,,AUD");
  });
});
