import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers } from "@/db/schema";
import { isTaxInvoice } from "@/lib/invoices/pdf";
import { abnWarning, type AbnWarning } from "@/lib/tax/seller-abn";
import { taxCalculator } from "../invoices/plan-invoice";
import { getSetting } from "./settings";

/**
 * The console's warning that the business's tax invoices lack a valid ABN. The business charges
 * Australian GST when the invoices' own tax calculator would charge it to any of its customers
 * (asked per kind of customer: country, currency, exemption), so the warning and the invoices
 * cannot disagree about who is charged GST.
 */
export async function loadAbnWarning(db: Executor, asOf: Date): Promise<AbnWarning | null> {
  const [profile, kinds] = await Promise.all([
    getSetting(db, "business.profile"),
    db
      .selectDistinct({ country: sql<string>`upper(coalesce(${customers.address} ->> 'country', ''))`, currency: customers.currency, taxExempt: customers.taxExempt })
      .from(customers),
  ]);
  const chargesAustralianGst = kinds.some((kind) => {
    const [taxAmounts = []] = taxCalculator.calculate({
      customer: { address: { country: kind.country || null }, currency: kind.currency, taxExempt: kind.taxExempt },
      lines: [{ amount: 10_000, taxBehavior: "exclusive" }],
      asOf,
    });
    return isTaxInvoice([{ taxAmounts }]);
  });
  return abnWarning({ taxNumber: profile.taxNumber, chargesAustralianGst });
}
