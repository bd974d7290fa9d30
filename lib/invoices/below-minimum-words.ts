import { minimumChargeAmount } from "@/lib/payments/charge-minimums";
import { systemFormatter, type Formatter } from "@/lib/format";

/**
 * What a customer reads about amounts below the minimum card charge (decision 023), in one place
 * for the invoice page, its PDF and the portal.
 */

/** The invoice row for a debit the invoice collects. */
export const DEBIT_APPLIED_LABEL = "Carried from earlier invoices";

/** The invoice row for the amount it carried to the balance. */
export const CARRIED_LABEL = "Added to your balance";

/** On an invoice settled by carrying its amount due to the balance (the PDF still passes no formatter: the business locale). */
export function carriedToBalanceNote(amount: number, currency: string, fmt: Formatter = systemFormatter()): string {
  const minimum = minimumChargeAmount(currency);
  const smallest = minimum === null ? "" : ` (${fmt.money(minimum, currency)})`;
  return `${fmt.money(amount, currency)} is less than the smallest amount a card can be charged${smallest}, so it was not charged. It was added to your account balance and will be collected with your next invoice.`;
}

/** In the portal, while the customer's balance holds such a debit (a negative balance). */
export function debitOnBalanceNote(balance: number, currency: string, fmt: Formatter): string | null {
  if (balance >= 0) return null;
  return `${fmt.money(-balance, currency)} from invoices below the smallest amount a card can be charged will be added to your next invoice.`;
}
