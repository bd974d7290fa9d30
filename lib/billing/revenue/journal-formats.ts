import { csvRow } from "@/lib/csv/csv";
import { toMajorString } from "@/lib/money";
import { journalAccounts, type JournalLine } from "./journal";

/**
 * The month's journals written out (decision 033 lists the columns and where they come from):
 * - `csv`: Tally's own shape, one row per line with debit and credit columns and the account's code and name;
 * - `xero`: Xero's manual journal import template (`*Narration, *Date, Description, *AccountCode,
 *   *TaxRate, *Amount, TrackingName1, TrackingOption1, TrackingName2, TrackingOption2`), dates
 *   dd/mm/yyyy, the amount signed (positive a debit), tax rate "BAS Excluded" (the tax is in its own line);
 * - `quickbooks`: QuickBooks Online's journal entry import (`Journal No, Journal Date, Account Name,
 *   Debits, Credits, Description, Name, Currency Code`), dates MM/DD/YYYY, account names.
 * One journal per currency, dated the month's last day; amounts in major units ("12.50").
 */

export const journalFormats = ["csv", "xero", "quickbooks"] as const;
export type JournalFormat = (typeof journalFormats)[number];

export interface CurrencyJournal {
  /** YYYY-MM */
  month: string;
  currency: string;
  lines: readonly JournalLine[];
}

export const XERO_COLUMNS = ["*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount", "TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2"] as const;
export const QUICKBOOKS_COLUMNS = ["Journal No", "Journal Date", "Account Name", "Debits", "Credits", "Description", "Name", "Currency Code"] as const;
export const TALLY_JOURNAL_COLUMNS = ["journal", "date", "currency", "account_code", "account_name", "description", "debit", "credit"] as const;

/** The tax rate Xero is told for every line: the journal carries tax in its own account line. */
export const XERO_NO_TAX_RATE = "BAS Excluded";

/** The month's last day as [yyyy, mm, dd]. */
function lastDay(month: string): [string, string, string] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [String(y), String(m).padStart(2, "0"), String(day).padStart(2, "0")];
}

const journalName = (j: CurrencyJournal) => `Tally revenue ${j.month} ${j.currency.toUpperCase()}`;
const major = (amount: number, currency: string) => toMajorString(amount, currency);

export function renderJournal(format: JournalFormat, journals: readonly CurrencyJournal[]): string {
  const rows: string[] = [];
  if (format === "csv") {
    rows.push(csvRow(TALLY_JOURNAL_COLUMNS));
    for (const j of journals) {
      const [y, m, d] = lastDay(j.month);
      for (const l of j.lines) {
        const account = journalAccounts[l.account];
        rows.push(
          csvRow([journalName(j), `${y}-${m}-${d}`, j.currency, account.code, account.name, l.description, l.amount > 0 ? major(l.amount, j.currency) : "", l.amount < 0 ? major(-l.amount, j.currency) : ""]),
        );
      }
    }
  } else if (format === "xero") {
    rows.push(csvRow(XERO_COLUMNS));
    for (const j of journals) {
      const [y, m, d] = lastDay(j.month);
      for (const l of j.lines) {
        rows.push(csvRow([journalName(j), `${d}/${m}/${y}`, l.description, journalAccounts[l.account].code, XERO_NO_TAX_RATE, major(l.amount, j.currency), "", "", "", ""]));
      }
    }
  } else {
    rows.push(csvRow(QUICKBOOKS_COLUMNS));
    journals.forEach((j, index) => {
      const [y, m, d] = lastDay(j.month);
      const number = `TLY-${j.month}-${index + 1}`;
      for (const l of j.lines) {
        rows.push(
          csvRow([number, `${m}/${d}/${y}`, journalAccounts[l.account].name, l.amount > 0 ? major(l.amount, j.currency) : "", l.amount < 0 ? major(-l.amount, j.currency) : "", l.description, "", j.currency.toUpperCase()]),
        );
      }
    });
  }
  return rows.join("");
}
