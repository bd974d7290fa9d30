import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customers } from "@/db/schema";
import { chargesAustralianGst as chargesGst } from "@/lib/documents/tax-content";
import { taxEngine } from "@/lib/tax/engine";
import { taxNumberWarning, type AbnWarning } from "@/lib/tax/seller-abn";
import { loadTaxSettings } from "../tax/tax-settings";
import { getSetting } from "./settings";

/**
 * The console's warning that the business's invoices lack the tax number they need: a valid ABN
 * when they charge Australian GST, a VAT number when they charge VAT. What they charge is asked of
 * the invoices' own tax engine with the settings in force, per kind of customer (country, region,
 * currency, exemption), so the warning and the invoices cannot disagree about who is taxed.
 */
export async function loadAbnWarning(db: Executor, asOf: Date): Promise<AbnWarning | null> {
  const [profile, settings, kinds] = await Promise.all([
    getSetting(db, "business.profile"),
    loadTaxSettings(db),
    db
      .selectDistinct({
        country: sql<string>`upper(coalesce(${customers.address} ->> 'country', ''))`,
        state: sql<string>`upper(coalesce(${customers.address} ->> 'state', ''))`,
        currency: customers.currency,
        taxExempt: customers.taxExempt,
      })
      .from(customers),
  ]);
  const engine = taxEngine(settings);
  const charged = kinds.map((kind) => {
    const [taxAmounts = []] = engine.calculate({
      customer: { address: { country: kind.country || null, state: kind.state || null }, currency: kind.currency, taxExempt: kind.taxExempt },
      lines: [{ amount: 10_000, taxBehavior: "exclusive" }],
      asOf,
    });
    return taxAmounts;
  });
  const chargesAustralianGst = charged.some((taxAmounts) => chargesGst([{ taxAmounts }]));
  const chargesVat = charged.some((taxAmounts) => taxAmounts.some((t) => t.jurisdiction.endsWith(" VAT")));
  return taxNumberWarning({ taxNumber: profile.taxNumber, chargesAustralianGst, chargesVat });
}
