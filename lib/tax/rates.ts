/**
 * The tax rates Tally ships with (decision 039): standard rates of the jurisdictions it knows, with
 * the changes of recent years as dated rows, so an invoice dated before a change keeps the old rate.
 * Staff add and supersede rates with POST /tax_rates (stored in `tax_rates`); a stored rate wins over a
 * shipped one for the same place and day. No US sales tax is shipped: each state's rate and whether
 * it taxes software as a service are set by staff, never guessed.
 */

export const TAX_KINDS = ["gst", "vat", "sales_tax"] as const;
export type TaxKind = (typeof TAX_KINDS)[number];

export interface TaxRateRule {
  /** ISO 3166-1 alpha-2, upper case (GB for the United Kingdom). */
  country: string;
  /** A state or province code (ISO 3166-2 without the country: "ON", "CA"); null for the whole country. */
  region: string | null;
  kind: TaxKind;
  /** Percent as a decimal string: "10", "25.5", "9.975". */
  percentage: string;
  /** First day in force (YYYY-MM-DD, inclusive); null since always. */
  effectiveFrom: string | null;
  /** Last day in force (YYYY-MM-DD, inclusive); null while in force. */
  effectiveTo: string | null;
  /** Whether software as a service is taxed at this rate (US states differ); true elsewhere. */
  saasTaxable: boolean;
  /** "built_in" (this file) or the stored row's id. */
  source: string;
}

const rule = (country: string, kind: TaxKind, percentage: string, from: string | null = null, to: string | null = null, region: string | null = null): TaxRateRule => ({
  country,
  region,
  kind,
  percentage,
  effectiveFrom: from,
  effectiveTo: to,
  saasTaxable: true,
  source: "built_in",
});

/** The 27 EU member states' standard VAT rates (European Commission, "VAT rates applied in the Member States"). */
const EU_STANDARD: readonly TaxRateRule[] = [
  rule("AT", "vat", "20"),
  rule("BE", "vat", "21"),
  rule("BG", "vat", "20"),
  rule("HR", "vat", "25"),
  rule("CY", "vat", "19"),
  rule("CZ", "vat", "21"),
  rule("DK", "vat", "25"),
  rule("EE", "vat", "22", null, "2025-06-30"),
  rule("EE", "vat", "24", "2025-07-01"),
  rule("FI", "vat", "24", null, "2024-08-31"),
  rule("FI", "vat", "25.5", "2024-09-01"),
  rule("FR", "vat", "20"),
  rule("DE", "vat", "19"),
  rule("GR", "vat", "24"),
  rule("HU", "vat", "27"),
  rule("IE", "vat", "23"),
  rule("IT", "vat", "22"),
  rule("LV", "vat", "21"),
  rule("LT", "vat", "21"),
  rule("LU", "vat", "17"),
  rule("MT", "vat", "18"),
  rule("NL", "vat", "21"),
  rule("PL", "vat", "23"),
  rule("PT", "vat", "23"),
  rule("RO", "vat", "19", null, "2025-07-31"),
  rule("RO", "vat", "21", "2025-08-01"),
  rule("SK", "vat", "20", null, "2024-12-31"),
  rule("SK", "vat", "23", "2025-01-01"),
  rule("SI", "vat", "22"),
  rule("ES", "vat", "21"),
  rule("SE", "vat", "25"),
];

export const EU_MEMBER_STATES: readonly string[] = [...new Set(EU_STANDARD.map((r) => r.country))];

/** Canada: GST 5% federally; HST (federal and provincial together) replaces it in the participating provinces. */
const CANADA: readonly TaxRateRule[] = [
  rule("CA", "gst", "5"),
  rule("CA", "gst", "13", null, null, "ON"),
  rule("CA", "gst", "15", null, null, "NB"),
  rule("CA", "gst", "15", null, null, "NL"),
  rule("CA", "gst", "15", null, null, "PE"),
  rule("CA", "gst", "15", null, "2025-03-31", "NS"),
  rule("CA", "gst", "14", "2025-04-01", null, "NS"),
];

/** Canadian provinces whose GST is harmonized (HST). */
export const CANADA_HST_PROVINCES: readonly string[] = ["ON", "NB", "NL", "PE", "NS"];

export const BUILT_IN_RATES: readonly TaxRateRule[] = [rule("AU", "gst", "10"), rule("NZ", "gst", "15"), rule("GB", "vat", "20"), ...EU_STANDARD, ...CANADA];
