import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { exclusiveTax, inclusiveTaxPortion, sumMinor } from "@/lib/money";
import { creditableAmount, lineGross, lineTax, planCreditNote, type CreditableInvoice, type CreditableLine, type CreditNotePlan, type CreditNoteRequest } from "./plan-credit-note";

/** A line taxed like the AU GST calculator taxes it: 10% inside (inclusive) or on top (exclusive) of the discounted amount. */
function gstLine(id: string, amount: number, opts: { inclusive?: boolean; quantity?: number; discount?: number; taxed?: boolean } = {}): CreditableLine {
  const inclusive = opts.inclusive ?? true;
  const discount = opts.discount ?? 0;
  const taxable = amount - discount;
  const tax = inclusive ? inclusiveTaxPortion(taxable, "0.1") : exclusiveTax(taxable, "0.1");
  return {
    id,
    description: `line ${id}`,
    amount,
    quantity: opts.quantity ?? 1,
    discountAmount: discount,
    taxAmounts: opts.taxed === false ? [] : [{ amount: tax, rate: "0.1", jurisdiction: "AU GST", inclusive }],
    credited: { amount: 0, tax: 0 },
  };
}

function paidInvoice(lines: CreditableLine[]): CreditableInvoice {
  const total = sumMinor(lines.map(lineGross));
  return { status: "paid", currency: "aud", lines, amountPaid: total, amountRemaining: 0, creditedAfterPayment: 0 };
}

function openInvoice(lines: CreditableLine[]): CreditableInvoice {
  const total = sumMinor(lines.map(lineGross));
  return { status: "open", currency: "aud", lines, amountPaid: 0, amountRemaining: total, creditedAfterPayment: 0 };
}

/** The invoice after a note was issued, as the service records it. */
function applyPlan(invoice: CreditableInvoice, plan: CreditNotePlan): CreditableInvoice {
  const lines = invoice.lines.map((line) => {
    const credited = plan.lines.filter((l) => l.invoiceLineId === line.id);
    return { ...line, credited: { amount: line.credited.amount + sumMinor(credited.map((c) => c.amount)), tax: line.credited.tax + sumMinor(credited.map((c) => c.tax)) } };
  });
  if (plan.timing === "post_payment") return { ...invoice, lines, creditedAfterPayment: invoice.creditedAfterPayment + plan.amount };
  const amountRemaining = invoice.amountRemaining - plan.amount;
  return { ...invoice, lines, amountRemaining, status: amountRemaining === 0 ? "paid" : invoice.status };
}

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

describe("planCreditNote: examples", () => {
  it("A$10.00 GST-inclusive, credited in two halves: tax 45 then 46, together the invoice's 91; a third note is refused", () => {
    let invoice = paidInvoice([gstLine("il_1", 1000)]);
    expect(lineTax(invoice.lines[0]!)).toBe(91);
    const first = planCreditNote(invoice, { amount: 500 });
    expect(first).toEqual({ amount: 500, tax: 45, timing: "post_payment", lines: [{ invoiceLineId: "il_1", description: "line il_1", amount: 500, tax: 45 }] });
    invoice = applyPlan(invoice, first);
    const second = planCreditNote(invoice, { amount: 500 });
    expect(second).toMatchObject({ amount: 500, tax: 46 });
    invoice = applyPlan(invoice, second);
    expect(creditableAmount(invoice)).toBe(0);
    const third = appError(() => planCreditNote(invoice, { amount: 1 }));
    expect(third).toMatchObject({ code: "out_of_range", param: "amount" });
    expect(third.userMessage).toContain("exceeds what remains creditable");
  });

  it("tax-exclusive A$10.00 + A$1.00 GST: half of the A$11.00 gross holds 50 cents of tax", () => {
    const invoice = paidInvoice([gstLine("il_1", 1000, { inclusive: false })]);
    expect(lineGross(invoice.lines[0]!)).toBe(1100);
    expect(planCreditNote(invoice, { amount: 550 })).toMatchObject({ amount: 550, tax: 50 });
    expect(planCreditNote(invoice, { amount: 1100 })).toMatchObject({ amount: 1100, tax: 100 });
  });

  it("an amount is spread over the lines in proportion to what remains on each, and parts sum exactly", () => {
    const invoice = paidInvoice([gstLine("a", 1000), gstLine("b", 2000), gstLine("c", 0)]);
    const plan = planCreditNote(invoice, { amount: 1000 });
    expect(plan.lines.map((l) => [l.invoiceLineId, l.amount])).toEqual([
      ["a", 333],
      ["b", 667],
    ]);
    expect(plan.amount).toBe(1000);
    expect(plan.tax).toBe(sumMinor(plan.lines.map((l) => l.tax)));
  });

  it("credits by quantity: 1 of 3 seats, then 2 more take exactly the rest of the line and its tax", () => {
    let invoice = paidInvoice([gstLine("seats", 1000, { quantity: 3 })]);
    const one = planCreditNote(invoice, { lines: [{ invoiceLine: "seats", quantity: 1 }] });
    expect(one).toMatchObject({ amount: 333, tax: 30 });
    invoice = applyPlan(invoice, one);
    const rest = planCreditNote(invoice, { lines: [{ invoiceLine: "seats", quantity: 2 }] });
    expect(rest).toMatchObject({ amount: 667, tax: 61 });
    invoice = applyPlan(invoice, rest);
    expect(appError(() => planCreditNote(invoice, { lines: [{ invoiceLine: "seats", quantity: 1 }] }))).toMatchObject({ code: "out_of_range", param: "lines[0].quantity" });
  });

  it("a discounted line credits what was charged after the discount", () => {
    const invoice = paidInvoice([gstLine("a", 1000, { discount: 250 })]);
    expect(lineGross(invoice.lines[0]!)).toBe(750);
    expect(appError(() => planCreditNote(invoice, { lines: [{ invoiceLine: "a", amount: 751 }] }))).toMatchObject({ code: "out_of_range", param: "lines[0].amount" });
    expect(planCreditNote(invoice, { lines: [{ invoiceLine: "a", amount: 750 }] })).toMatchObject({ amount: 750, tax: 68 });
  });

  it("an open invoice is credited up to what it still owes, and the note is a pre-payment one", () => {
    const invoice = { ...openInvoice([gstLine("a", 1000)]), amountRemaining: 700 };
    expect(planCreditNote(invoice, { amount: 700 }).timing).toBe("pre_payment");
    expect(appError(() => planCreditNote(invoice, { amount: 701 }))).toMatchObject({ code: "out_of_range", param: "amount" });
  });

  it("a paid invoice is credited up to what was paid, not what the credit balance covered", () => {
    const invoice = { ...paidInvoice([gstLine("a", 1000)]), amountPaid: 600 };
    expect(appError(() => planCreditNote(invoice, { amount: 601 })).userMessage).toContain("($6.00)");
  });

  it("refuses drafts and void invoices, unknown or repeated lines, and lines with both or neither of amount and quantity", () => {
    const invoice = paidInvoice([gstLine("a", 1000, { quantity: 2 })]);
    expect(appError(() => planCreditNote({ ...invoice, status: "void" }, { amount: 1 })).code).toBe("conflict");
    expect(appError(() => planCreditNote({ ...invoice, status: "draft" }, { amount: 1 })).code).toBe("conflict");
    expect(appError(() => planCreditNote(invoice, { lines: [{ invoiceLine: "nope", amount: 1 }] }))).toMatchObject({ code: "not_found", param: "lines[0].invoice_line" });
    expect(appError(() => planCreditNote(invoice, { lines: [{ invoiceLine: "a", amount: 1 }, { invoiceLine: "a", amount: 1 }] }))).toMatchObject({ param: "lines[1].invoice_line" });
    expect(appError(() => planCreditNote(invoice, { lines: [{ invoiceLine: "a", amount: 1, quantity: 1 }] }))).toMatchObject({ param: "lines[0]" });
    expect(appError(() => planCreditNote(invoice, { lines: [{ invoiceLine: "a" }] }))).toMatchObject({ param: "lines[0]" });
    expect(appError(() => planCreditNote(invoice, { lines: [{ invoiceLine: "a", quantity: 3 }] }))).toMatchObject({ code: "out_of_range", param: "lines[0].quantity" });
    expect(appError(() => planCreditNote(invoice, { amount: 0 })).code).toBe("amount_invalid");
    expect(appError(() => planCreditNote(invoice, { lines: [] })).param).toBe("lines");
  });

  it("untaxed lines (customers outside Australia) credit no tax", () => {
    expect(planCreditNote(paidInvoice([gstLine("a", 999, { taxed: false })]), { amount: 500 })).toMatchObject({ amount: 500, tax: 0 });
  });
});

const lineArb = fc.record({
  amount: fc.integer({ min: 0, max: 200_000 }),
  quantity: fc.integer({ min: 1, max: 5 }),
  inclusive: fc.boolean(),
  discountPct: fc.integer({ min: 0, max: 100 }),
  taxed: fc.boolean(),
});

/** A request against the invoice as it stands: an amount, or a few lines by amount or quantity, sometimes too large. */
const requestArb = fc.oneof(
  fc.record({ kind: fc.constant("amount" as const), fraction: fc.double({ min: 0, max: 1.2, noNaN: true }) }),
  fc.record({
    kind: fc.constant("lines" as const),
    picks: fc.array(fc.record({ index: fc.nat(), byQuantity: fc.boolean(), fraction: fc.double({ min: 0, max: 1.2, noNaN: true }), quantity: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 3 }),
  }),
);

type RequestSpec = { kind: "amount"; fraction: number } | { kind: "lines"; picks: { index: number; byQuantity: boolean; fraction: number; quantity: number }[] };

function toRequest(invoice: CreditableInvoice, spec: RequestSpec): CreditNoteRequest {
  if (spec.kind === "amount") return { amount: Math.max(1, Math.round(creditableAmount(invoice) * spec.fraction)) };
  const seen = new Set<string>();
  const lines = spec.picks.flatMap((p) => {
    const line = invoice.lines[p.index % invoice.lines.length]!;
    if (seen.has(line.id)) return [];
    seen.add(line.id);
    const left = lineGross(line) - line.credited.amount;
    return [p.byQuantity ? { invoiceLine: line.id, quantity: Math.min(p.quantity, line.quantity) } : { invoiceLine: line.id, amount: Math.max(1, Math.round(left * p.fraction)) }];
  });
  return { lines };
}

describe("planCreditNote: properties", () => {
  it("over any sequence of notes, Σ note totals never exceeds the invoice total (or what was paid); line taxes sum to each note's tax; a fully credited invoice returns exactly its tax", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.array(requestArb, { minLength: 1, maxLength: 8 }), (specs, open, requests) => {
        const lines = specs.map((s, i) => gstLine(`il_${i}`, s.amount, { inclusive: s.inclusive, quantity: s.quantity, discount: Math.floor((s.amount * s.discountPct) / 100), taxed: s.taxed }));
        const total = sumMinor(lines.map(lineGross));
        const invoiceTax = sumMinor(lines.map(lineTax));
        let invoice = open ? openInvoice(lines) : paidInvoice(lines);
        if (total === 0) invoice = { ...invoice, status: "paid", amountRemaining: 0 };
        let credited = 0;
        let creditedTax = 0;
        for (const spec of requests) {
          let plan: CreditNotePlan;
          try {
            plan = planCreditNote(invoice, toRequest(invoice, spec));
          } catch (error) {
            // Refusals are fine (too much, nothing left); anything else is a bug.
            expect(error).toBeInstanceOf(AppError);
            expect(["out_of_range", "amount_invalid"]).toContain((error as AppError).code);
            continue;
          }
          expect(plan.amount).toBeGreaterThan(0);
          expect(plan.amount).toBe(sumMinor(plan.lines.map((l) => l.amount)));
          expect(plan.tax).toBe(sumMinor(plan.lines.map((l) => l.tax)));
          for (const l of plan.lines) {
            expect(l.tax).toBeGreaterThanOrEqual(0);
            expect(l.tax).toBeLessThanOrEqual(l.amount);
          }
          credited += plan.amount;
          creditedTax += plan.tax;
          invoice = applyPlan(invoice, plan);
          expect(credited).toBeLessThanOrEqual(total);
          for (const line of invoice.lines) {
            expect(line.credited.amount).toBeLessThanOrEqual(Math.max(0, lineGross(line)));
            expect(line.credited.tax).toBeLessThanOrEqual(lineTax(line));
            // What is left of the line can still carry the tax left on it.
            expect(lineTax(line) - line.credited.tax).toBeLessThanOrEqual(Math.max(0, lineGross(line) - line.credited.amount));
          }
        }
        expect(creditedTax).toBeLessThanOrEqual(invoiceTax);
        if (credited === total) expect(creditedTax).toBe(invoiceTax);
        // Finish the invoice off: whatever is left can always be credited, and then the tax matches exactly.
        const left = invoice.status === "paid" ? creditableAmount(invoice) : invoice.amountRemaining;
        if (left > 0) {
          const last = planCreditNote(invoice, { amount: left });
          expect(credited + last.amount).toBe(total);
          expect(creditedTax + last.tax).toBe(invoiceTax);
        }
      }),
      { numRuns: 500 },
    );
  });
});
