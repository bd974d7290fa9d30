import { beforeAll, describe, expect, it } from "vitest";
import { GET as getRevenue } from "@/app/api/v1/analytics/revenue/route";
import { GET as getJournal } from "@/app/api/v1/exports/journal/route";
import { parseCsv } from "@/lib/csv/csv";
import { parseMajor } from "@/lib/money";
import { answer } from "../usage/support";
import { auCustomer, call, creditNote, newKey, paidTenDollarInvoice } from "../invoices/support";

/**
 * Through the real write path: a A$10.00 GST-inclusive one-off (91 GST, net 909) charged at once,
 * then half refunded by credit note (500 with 45 GST: net 455). Other tests bill in this month and
 * currency too, so the test reads each figure before and after and checks what moved:
 *   billed +909 −455, recognised +909 −455 (a one-off is served on its day, so the credit reverses
 *   revenue), refunded +455; the journal's refund: deferred +455, tax +45, refunds payable −500,
 *   then paid out of the gateway clearing account.
 */
let key: string;
const month = () => new Date().toISOString().slice(0, 7);

const waterfall = () => answer<Record<string, number>>(getRevenue, key, 200, { method: "GET", path: `/analytics/revenue?month=${month()}&currency=aud` });

/** The month's aud journal as account/description → signed minor units. */
async function journalByLine(): Promise<Map<string, number>> {
  const res = await call(getJournal, { key, method: "GET", path: `/exports/journal?month=${month()}&format=csv` });
  expect(res.status).toBe(200);
  const out = new Map<string, number>();
  for (const r of parseCsv(await res.text()).slice(1)) {
    if (r[2] !== "aud") continue;
    const signed = (r[6] ? parseMajor(r[6], "aud") : 0) - (r[7] ? parseMajor(r[7], "aud") : 0);
    out.set(`${r[3]} ${r[5]}`, (out.get(`${r[3]} ${r[5]}`) ?? 0) + signed);
  }
  return out;
}

const moved = (before: Map<string, number>, after: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...new Set([...before.keys(), ...after.keys()])].map((k) => [k, (after.get(k) ?? 0) - (before.get(k) ?? 0)]).filter(([, v]) => v !== 0)) as Record<string, number>;

beforeAll(async () => {
  ({ key } = await newKey());
});

describe("revenue from invoices and credit notes written by the services", () => {
  it("a paid one-off, then half refunded", async () => {
    const customer = await auCustomer();
    const w0 = await waterfall();
    const j0 = await journalByLine();
    const paid = await paidTenDollarInvoice(key, customer.id);
    const w1 = await waterfall();
    expect({ billed: w1.billed! - w0.billed!, recognized: w1.recognized! - w0.recognized!, closing: w1.deferred_closing! - w0.deferred_closing! }).toEqual({ billed: 909, recognized: 909, closing: 0 });

    const j1 = await journalByLine();
    const paidMoves = moved(j0, j1);
    expect(paidMoves).toMatchObject({
      "1100 Invoices finalized": 1000,
      "2100 Invoices finalized": -909,
      "2200 Invoices finalized": -91,
      "2100 Revenue recognized": 909,
      "4000 Revenue recognized": -909,
      "1000 Payments received": 1000,
      "1100 Payments received": -1000,
    });
    expect(Object.values(paidMoves).reduce((s, v) => s + v, 0)).toBe(0);

    await creditNote(key, { invoice: paid.id, amount: 500, outcome: "refund" });
    const w2 = await waterfall();
    expect({ billed: w2.billed! - w1.billed!, recognized: w2.recognized! - w1.recognized!, refunded: w2.refunded! - w1.refunded!, closing: w2.deferred_closing! - w1.deferred_closing! }).toEqual({
      billed: -455,
      recognized: -455,
      refunded: 455,
      closing: 0,
    });
    const refundMoves = moved(j1, await journalByLine());
    expect(refundMoves).toMatchObject({
      "2100 Credit notes (refund)": 455,
      "2200 Credit notes (refund)": 45,
      "2400 Credit notes (refund)": -500,
      "2100 Revenue recognized": -455,
      "4000 Revenue recognized": 455,
    });
    expect(Object.values(refundMoves).reduce((s, v) => s + v, 0)).toBe(0);
  });
});
