import type { InvoiceStatus } from "../invoices/statuses";
import type { TaxAmount } from "../types";
import { AppError } from "@/lib/errors";
import { allocate, mulDiv, parseRate, sumMinor } from "@/lib/money";
import { systemFormatter } from "@/lib/format";

/** Messages and details here have no one reader: the business locale writes them. */
const fmt = systemFormatter();

/** An invoice line as a credit note sees it: what was charged and what earlier notes credited. */
export interface CreditableLine {
  id: string;
  description: string;
  /** As priced: gross for inclusive prices, net for exclusive ones. */
  amount: number;
  quantity: number;
  discountAmount: number;
  taxAmounts: readonly TaxAmount[];
  /** Credited on this line by earlier notes: gross (tax included) and the tax part of it. */
  credited: { amount: number; tax: number };
}

export interface CreditableInvoice {
  status: InvoiceStatus;
  currency: string;
  lines: readonly CreditableLine[];
  amountPaid: number;
  amountRemaining: number;
  /** Credited by notes issued after payment (refund, credit, out of band); pre-payment notes reduced amount_remaining instead. */
  creditedAfterPayment: number;
}

export type CreditNoteRequest =
  | { amount: number }
  | { lines: readonly { invoiceLine: string; amount?: number; quantity?: number }[] };

export interface CreditNoteLinePlan {
  invoiceLineId: string;
  description: string;
  /** Gross credited on the line, tax included. */
  amount: number;
  /** The tax inside `amount`. */
  tax: number;
}

export interface CreditNotePlan {
  /** Σ line amounts: the gross credited, tax included. */
  amount: number;
  /** Σ line taxes. */
  tax: number;
  lines: CreditNoteLinePlan[];
  /** Before payment a note reduces what is owed; after it, money goes back (refund, balance or out of band). */
  timing: "pre_payment" | "post_payment";
}

/** What the line charged, tax included: amount − discount + exclusive tax (inclusive tax is already inside). */
export function lineGross(line: Pick<CreditableLine, "amount" | "discountAmount" | "taxAmounts">): number {
  return line.amount - line.discountAmount + sumMinor(line.taxAmounts.filter((t) => !t.inclusive).map((t) => t.amount));
}

export function lineTax(line: Pick<CreditableLine, "taxAmounts">): number {
  return sumMinor(line.taxAmounts.map((t) => t.amount));
}

/** What may still be credited on the invoice as a whole: the amount still owed, or what was paid and not yet credited. */
export function creditableAmount(invoice: CreditableInvoice): number {
  switch (invoice.status) {
    case "open":
    case "uncollectible":
      return invoice.amountRemaining;
    case "paid":
      return Math.max(0, invoice.amountPaid - invoice.creditedAfterPayment);
    default:
      throw new AppError("conflict", { param: "invoice", userMessage: `A ${invoice.status} invoice cannot be credited; credit notes apply to finalized invoices that are open, paid or uncollectible.` });
  }
}

/**
 * Plan a credit note against a finalized invoice: which lines it credits, and the tax inside each
 * credited amount, split the way the invoice taxed the line. Pure: the service persists the plan.
 *
 * - `amount` (gross, tax included) is spread over the lines in proportion to what remains
 *   creditable on each (largest remainder, so the parts sum exactly).
 * - `lines` credits named lines by gross amount or by quantity (q of the line's Q units).
 *
 * A line's tax part is the rate's share of the gross credited (G × r / (1 + r), rounded once, half
 * away from zero: A$5.00 of a GST-inclusive A$10.00 line holds 45 cents). The note that credits what
 * is left of a line takes exactly the tax left on it, so a fully credited line returns exactly the
 * tax it charged (45 + 46 = 91), and the tax part is kept within what the rest of the line can carry.
 * Nothing may exceed what remains creditable: per line, and for the invoice (see creditableAmount).
 */
export function planCreditNote(invoice: CreditableInvoice, request: CreditNoteRequest): CreditNotePlan {
  const limit = creditableAmount(invoice);
  const remaining = new Map(invoice.lines.map((l) => [l.id, remainingOf(l)]));
  const parts = "amount" in request ? spreadAmount(invoice, request.amount, remaining) : namedLines(invoice, request.lines, remaining);
  const lines = parts.map(({ line, gross }) => ({ invoiceLineId: line.id, description: line.description, amount: gross, tax: taxPart(line, gross) }));
  const amount = sumMinor(lines.map((l) => l.amount));
  if (amount > limit) {
    throw new AppError("out_of_range", {
      param: "amount" in request ? "amount" : "lines",
      userMessage: `The credit note (${fmt.money(amount, invoice.currency)}) exceeds what remains creditable on this invoice (${fmt.money(limit, invoice.currency)}).`,
    });
  }
  return { amount, tax: sumMinor(lines.map((l) => l.tax)), lines, timing: invoice.status === "paid" ? "post_payment" : "pre_payment" };
}

interface Remaining {
  gross: number;
  tax: number;
}

/** Lines that charged nothing (or credited: negative proration lines) have nothing to credit back. */
function remainingOf(line: CreditableLine): Remaining {
  const gross = lineGross(line);
  if (gross <= 0) return { gross: 0, tax: 0 };
  return { gross: Math.max(0, gross - line.credited.amount), tax: Math.max(0, lineTax(line) - line.credited.tax) };
}

function spreadAmount(invoice: CreditableInvoice, amount: number, remaining: Map<string, Remaining>): { line: CreditableLine; gross: number }[] {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new AppError("amount_invalid", { param: "amount", userMessage: "amount must be a positive integer number of minor units." });
  }
  const weights = invoice.lines.map((l) => remaining.get(l.id)?.gross ?? 0);
  const open = sumMinor(weights);
  if (amount > open) {
    throw new AppError("out_of_range", {
      param: "amount",
      userMessage: `amount (${fmt.money(amount, invoice.currency)}) exceeds what remains creditable on this invoice (${fmt.money(Math.min(open, creditableAmount(invoice)), invoice.currency)}).`,
    });
  }
  const split = allocate(amount, weights);
  return invoice.lines.flatMap((line, i) => {
    const gross = split[i] ?? 0;
    return gross > 0 ? [{ line, gross }] : [];
  });
}

function namedLines(
  invoice: CreditableInvoice,
  requested: readonly { invoiceLine: string; amount?: number; quantity?: number }[],
  remaining: Map<string, Remaining>,
): { line: CreditableLine; gross: number }[] {
  if (requested.length === 0) throw new AppError("validation_failed", { param: "lines", userMessage: "lines must name at least one invoice line." });
  const seen = new Set<string>();
  return requested.map((req, i) => {
    const param = `lines[${i}]`;
    const line = invoice.lines.find((l) => l.id === req.invoiceLine);
    if (!line) throw new AppError("not_found", { param: `${param}.invoice_line`, userMessage: "No such line on this invoice." });
    if (seen.has(line.id)) throw new AppError("validation_failed", { param: `${param}.invoice_line`, userMessage: `${param}.invoice_line names a line already credited by this note.` });
    seen.add(line.id);
    if ((req.amount === undefined) === (req.quantity === undefined)) {
      throw new AppError("validation_failed", { param, userMessage: `${param} must have either amount or quantity.` });
    }
    const left = remaining.get(line.id) ?? { gross: 0, tax: 0 };
    const full = lineGross(line);
    let gross: number;
    if (req.amount !== undefined) {
      if (!Number.isSafeInteger(req.amount) || req.amount <= 0) {
        throw new AppError("amount_invalid", { param: `${param}.amount`, userMessage: `${param}.amount must be a positive integer number of minor units.` });
      }
      gross = req.amount;
    } else {
      const q = req.quantity ?? 0;
      if (!Number.isSafeInteger(q) || q < 1 || q > line.quantity) {
        throw new AppError("out_of_range", { param: `${param}.quantity`, userMessage: `${param}.quantity must be an integer from 1 to the line's quantity (${line.quantity}).` });
      }
      // q of Q units may be credited while q/Q of the line is left (compared exactly, in integers).
      if (full <= 0 || BigInt(q) * BigInt(full) > BigInt(left.gross) * BigInt(line.quantity)) {
        throw exceedsLine(param, "quantity", left.gross, invoice.currency);
      }
      gross = Math.min(mulDiv(full, q, line.quantity), left.gross);
      if (gross <= 0) throw new AppError("out_of_range", { param: `${param}.quantity`, userMessage: `${param}.quantity credits less than one minor unit of that line.` });
    }
    if (gross > left.gross) throw exceedsLine(param, "amount", left.gross, invoice.currency);
    return { line, gross };
  });
}

function exceedsLine(param: string, field: "amount" | "quantity", left: number, currency: string): AppError {
  return new AppError("out_of_range", {
    param: `${param}.${field}`,
    userMessage: `${param}.${field} exceeds what remains creditable on that line (${fmt.money(left, currency)}).`,
  });
}

/** The tax inside `gross` credited on `line`, given what earlier notes took (see planCreditNote). */
function taxPart(line: CreditableLine, gross: number): number {
  const left = remainingOf(line);
  if (left.tax <= 0) return 0;
  if (gross >= left.gross) return left.tax;
  const byRate = rateShare(line, gross);
  // Keep the rest of the line able to carry the rest of its tax, and never more tax than gross.
  const lowest = Math.max(0, left.tax - (left.gross - gross));
  const highest = Math.min(left.tax, gross);
  return Math.min(highest, Math.max(lowest, byRate));
}

/** gross × R / (1 + R) for the line's combined rate R, one rounding; proportional when a rate is not a decimal fraction. */
function rateShare(line: CreditableLine, gross: number): number {
  try {
    const rates = line.taxAmounts.map((t) => parseRate(t.rate));
    const denominator = rates.reduce((d, r) => (r.denominator > d ? r.denominator : d), 1n);
    const numerator = rates.reduce((n, r) => n + r.numerator * (denominator / r.denominator), 0n);
    return mulDiv(gross, numerator, denominator + numerator);
  } catch {
    return mulDiv(lineTax(line), gross, lineGross(line));
  }
}
