/**
 * A month's summary journal per currency (decision 033), pure: each source of movement gives a
 * group of lines that balances on its own, so the journal balances by construction — and the
 * tests check it anyway. Amounts are signed minor units: positive = debit, negative = credit.
 */

export const journalAccounts = {
  cash: { code: "1000", name: "Payment gateway clearing" },
  receivable: { code: "1100", name: "Accounts receivable" },
  deferred: { code: "2100", name: "Deferred revenue" },
  tax: { code: "2200", name: "Tax payable" },
  customerCredit: { code: "2300", name: "Customer credit balances" },
  refunds: { code: "2400", name: "Refunds payable" },
  revenue: { code: "4000", name: "Subscription revenue" },
  fees: { code: "6100", name: "Payment gateway fees" },
} as const;

export type JournalAccount = keyof typeof journalAccounts;

export type CreditOutcome = "refund" | "credit" | "out_of_band" | "reduce_amount_due";

/** Where the gross of a credit note goes, by its outcome. */
const creditCounterpart: Record<CreditOutcome, JournalAccount> = {
  reduce_amount_due: "receivable",
  credit: "customerCredit",
  refund: "refunds",
  out_of_band: "cash",
};

/** What moved in one currency in one month: the inputs of its journal. */
export interface MonthMovements {
  /** Lines of invoices finalized in the month: net (ex tax, after discounts) and tax. */
  finalized: { net: number; tax: number };
  /** Recognised revenue (the waterfall's figure, reversals included). */
  recognized: number;
  /** Credit note lines issued in the month, by outcome. */
  credited: Record<CreditOutcome, { net: number; tax: number }>;
  /** What voids in the month took off the lines still standing. */
  voided: { net: number; tax: number };
  /** The customer balance at finalization and what voids returned to it. */
  balance: { creditApplied: number; debitApplied: number; excessCredited: number; carriedToBalance: number; voidCreditReturned: number; voidDebitReturned: number };
  /** Succeeded payments settled in the month, and the gateway's fees on them. */
  payments: { amount: number; fees: number };
  /** Refunds that succeeded in the month. */
  refundsPaid: number;
}

export const emptyMovements = (): MonthMovements => ({
  finalized: { net: 0, tax: 0 },
  recognized: 0,
  credited: { refund: { net: 0, tax: 0 }, credit: { net: 0, tax: 0 }, out_of_band: { net: 0, tax: 0 }, reduce_amount_due: { net: 0, tax: 0 } },
  voided: { net: 0, tax: 0 },
  balance: { creditApplied: 0, debitApplied: 0, excessCredited: 0, carriedToBalance: 0, voidCreditReturned: 0, voidDebitReturned: 0 },
  payments: { amount: 0, fees: 0 },
  refundsPaid: 0,
});

export interface JournalLine {
  account: JournalAccount;
  description: string;
  /** Positive = debit, negative = credit, minor units. */
  amount: number;
}

/** A balanced group: `a` debited and `b` credited with `amount` (signs flip for a negative amount). */
function transfer(description: string, debit: JournalAccount, credit: JournalAccount, amount: number): JournalLine[] {
  return [
    { account: debit, description, amount },
    { account: credit, description, amount: -amount },
  ];
}

/** The month's journal lines in one currency, zero lines left out. */
export function journalLines(m: MonthMovements): JournalLine[] {
  const lines: JournalLine[] = [
    { account: "receivable", description: "Invoices finalized", amount: m.finalized.net + m.finalized.tax },
    { account: "deferred", description: "Invoices finalized", amount: -m.finalized.net },
    { account: "tax", description: "Invoices finalized", amount: -m.finalized.tax },
    ...transfer("Revenue recognized", "deferred", "revenue", m.recognized),
  ];
  for (const outcome of Object.keys(creditCounterpart) as CreditOutcome[]) {
    const { net, tax } = m.credited[outcome];
    const description = `Credit notes (${outcome.replaceAll("_", " ")})`;
    lines.push(
      { account: "deferred", description, amount: net },
      { account: "tax", description, amount: tax },
      { account: creditCounterpart[outcome], description, amount: -(net + tax) },
    );
  }
  lines.push(
    { account: "deferred", description: "Invoices voided", amount: m.voided.net },
    { account: "tax", description: "Invoices voided", amount: m.voided.tax },
    { account: "receivable", description: "Invoices voided", amount: -(m.voided.net + m.voided.tax) },
    ...transfer("Customer credit applied to invoices", "customerCredit", "receivable", m.balance.creditApplied),
    ...transfer("Customer debit collected by invoices", "receivable", "customerCredit", m.balance.debitApplied),
    ...transfer("Invoice credit in excess returned to balances", "receivable", "customerCredit", m.balance.excessCredited),
    ...transfer("Amounts below the minimum charge carried to balances", "customerCredit", "receivable", m.balance.carriedToBalance),
    ...transfer("Customer credit returned by voids", "receivable", "customerCredit", m.balance.voidCreditReturned),
    ...transfer("Customer debit returned by voids", "customerCredit", "receivable", m.balance.voidDebitReturned),
    ...transfer("Payments received", "cash", "receivable", m.payments.amount),
    ...transfer("Payment gateway fees", "fees", "cash", m.payments.fees),
    ...transfer("Refunds paid", "refunds", "cash", m.refundsPaid),
  );
  return lines.filter((l) => l.amount !== 0);
}

/** Debits and credits of a set of lines, each a non-negative total. */
export function journalTotals(lines: readonly JournalLine[]): { debits: number; credits: number } {
  let debits = 0;
  let credits = 0;
  for (const l of lines) {
    if (l.amount > 0) debits += l.amount;
    else credits -= l.amount;
  }
  return { debits, credits };
}
