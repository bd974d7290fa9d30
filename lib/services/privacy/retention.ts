import type { Executor } from "@/db/client";
import { getSetting } from "../settings/settings";

/**
 * How long invoices, payments and credit notes of a deleted account are kept when the setting
 * `retention.financial_records_years` was never changed: 7 years, which covers the record-keeping
 * periods of Tally's home markets (Australia 5 years, UK 6, New Zealand 7). The setting decides at
 * run time. See docs/decisions/014-privacy.md.
 */
export const INVOICE_RETENTION_YEARS = 7;

/** The end of the retention period for records kept at `at`: the same calendar day (UTC), years later; Feb 29 becomes Feb 28. */
export function retentionEnd(at: Date, years = INVOICE_RETENTION_YEARS): Date {
  const y = at.getUTCFullYear() + years;
  const m = at.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = Math.min(at.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, d, at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()));
}

/** The pseudonymous email a deleted customer (or user) is left with: never deliverable (RFC 2606 `.invalid`), unique per id. */
export function pseudonymousEmail(id: string): string {
  return `deleted+${id.toLowerCase()}@invalid`;
}

export const DELETED_CUSTOMER_NAME = "Deleted customer";

/** The retention period in force: the setting staff can change in the console (5–12 years). */
export async function retentionYears(db: Executor): Promise<number> {
  return getSetting(db, "retention.financial_records_years");
}
