import type { TaxId } from "@/db/schema";
import type { TaxAmount } from "@/lib/billing/types";
import { REVERSE_CHARGE_WORDING, isReverseCharged } from "@/lib/tax/engine";
import { abnInTaxNumber } from "@/lib/tax/seller-abn";
import { formatTaxId, isValidAbn, validateTaxId } from "@/lib/tax/tax-id";

/**
 * What each jurisdiction requires an invoice (and a credit note adjusting one) to say, from the tax
 * its lines charge (decision 039's jurisdiction names) and the parties' tax numbers. Pure.
 *
 * - AU (GST charged): the title "Tax invoice", the seller's ABN, the GST amount (the tax summary), and
 *   for a total of A$1,000 or more the buyer's identity or ABN.
 * - NZ (GST charged): "Tax invoice" and the seller's GST number.
 * - UK (VAT charged): the seller's VAT number.
 * - EU (VAT charged or reverse-charged): the seller's VAT number; a reverse-charged invoice also the
 *   buyer's VAT number and the words of Article 196.
 *
 * What is required but absent is listed in `missing`, in words ("the seller's ABN"); the business's
 * setting `documents.missing_tax_number` decides whether such a document is printed with a visible
 * notice (flag) or refused (refuse).
 */

export interface TaxContentInput {
  lines: readonly { taxAmounts: readonly TaxAmount[] }[];
  /** The business profile's tax number, free text ("51 824 753 556", "IE6388047V"). */
  sellerTaxNumber: string;
  buyer: { name: string | null; taxIds: readonly TaxId[] } | null;
  total: number;
  currency: string;
}

export interface TaxContent {
  /** "Tax invoice" where the law names it so (AU and NZ GST), else "Invoice". */
  title: "Tax invoice" | "Invoice";
  /** AU: a tax invoice of A$1,000 or more shows who the buyer is (name or ABN). */
  buyerIdentityRequired: boolean;
  /** The reverse-charge sentence (EU B2B), or null. */
  reverseChargeWording: string | null;
  /** A tax invoice charging no GST says so (all lines at 0). */
  noGstCharged: boolean;
  /** Required content that is absent, in words. Empty: the document is complete. */
  missing: string[];
}

const AU_BUYER_IDENTITY_THRESHOLD = 100_000; // A$1,000.00 in cents, GST inclusive.

type Kind = "au" | "nz" | "uk" | "eu";

function kindOf(jurisdiction: string): Kind | null {
  if (jurisdiction === "AU GST") return "au";
  if (jurisdiction === "NZ GST") return "nz";
  if (jurisdiction === "UK VAT") return "uk";
  if (/^[A-Z]{2} VAT$/.test(jurisdiction)) return "eu";
  return null;
}

/** The kinds of tax the lines charge (or reverse-charge). */
function kindsOf(lines: TaxContentInput["lines"]): Set<Kind> {
  const kinds = new Set<Kind>();
  for (const line of lines) for (const t of line.taxAmounts) {
    const kind = kindOf(t.jurisdiction);
    if (kind) kinds.add(kind);
  }
  return kinds;
}

/** The seller's tax number as printed: an ABN, a VAT number, an NZ GST number, or as given. */
export function sellerTaxLabel(taxNumber: string): string | null {
  const number = taxNumber.trim();
  if (!number) return null;
  if (abnInTaxNumber(number)) return `ABN ${number}`;
  const vat = validateTaxId("eu_vat", number);
  if (vat.ok) return `VAT number ${vat.value}`;
  const gb = validateTaxId("gb_vat", number);
  if (gb.ok) return `VAT number ${formatTaxId("gb_vat", gb.value)}`;
  const nz = validateTaxId("nz_gst", number);
  if (nz.ok) return `GST number ${formatTaxId("nz_gst", nz.value)}`;
  return number;
}

function sellerHas(kind: Kind, taxNumber: string): boolean {
  const number = taxNumber.trim();
  switch (kind) {
    case "au": {
      const abn = abnInTaxNumber(number);
      return abn !== null && isValidAbn(abn);
    }
    case "nz":
      return validateTaxId("nz_gst", number).ok;
    case "uk":
      return validateTaxId("gb_vat", number).ok;
    case "eu":
      return validateTaxId("eu_vat", number).ok;
  }
}

const sellerNumberWords: Record<Kind, string> = { au: "the seller's ABN", nz: "the seller's GST number", uk: "the seller's VAT number", eu: "the seller's VAT number" };

export function taxContent(input: TaxContentInput): TaxContent {
  const kinds = kindsOf(input.lines);
  const missing: string[] = [];
  for (const kind of kinds) {
    if (!sellerHas(kind, input.sellerTaxNumber) && !missing.includes(sellerNumberWords[kind])) missing.push(sellerNumberWords[kind]);
  }
  const buyerIdentityRequired = kinds.has("au") && input.currency.toLowerCase() === "aud" && input.total >= AU_BUYER_IDENTITY_THRESHOLD;
  if (buyerIdentityRequired && !input.buyer?.name?.trim() && !input.buyer?.taxIds.some((t) => t.type === "au_abn")) missing.push("the buyer's name or ABN (a tax invoice of A$1,000 or more)");
  const reverseCharged = isReverseCharged(input.lines);
  if (reverseCharged && !input.buyer?.taxIds.some((t) => t.type === "eu_vat")) missing.push("the buyer's VAT number (a reverse-charged invoice)");
  const gstLines = input.lines.flatMap((l) => l.taxAmounts.filter((t) => t.jurisdiction === "AU GST" || t.jurisdiction === "NZ GST"));
  return {
    title: kinds.has("au") || kinds.has("nz") ? "Tax invoice" : "Invoice",
    buyerIdentityRequired,
    reverseChargeWording: reverseCharged ? REVERSE_CHARGE_WORDING : null,
    noGstCharged: gstLines.length > 0 && gstLines.every((t) => t.amount === 0),
    missing,
  };
}

/** "the seller's ABN and the buyer's VAT number": the missing content in one phrase. */
export function missingWords(missing: readonly string[]): string {
  if (missing.length <= 1) return missing[0] ?? "";
  return `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}`;
}

/** One tax row of the totals: "GST (10%) included", "VAT (20%)". */
export interface TaxSummaryRow {
  label: string;
  amount: number;
  inclusive: boolean;
}

/** Tax per jurisdiction and rate, summed over the lines, worded the local way; reverse charges (0) are left out. */
export function taxSummary(lines: readonly { taxAmounts: readonly TaxAmount[] }[]): TaxSummaryRow[] {
  const groups = new Map<string, { jurisdiction: string; rate: string; inclusive: boolean; amount: number }>();
  for (const line of lines) {
    for (const t of line.taxAmounts) {
      if (t.reverseCharge) continue;
      const key = `${t.jurisdiction}|${t.rate}|${t.inclusive}`;
      const group = groups.get(key) ?? { jurisdiction: t.jurisdiction, rate: t.rate, inclusive: t.inclusive, amount: 0 };
      group.amount += t.amount;
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((g) => ({ label: `${taxName(g.jurisdiction)} (${percent(g.rate)})${g.inclusive ? " included" : ""}`, amount: g.amount, inclusive: g.inclusive }));
}

export function taxName(jurisdiction: string): string {
  // "AU GST" → "GST", "UK VAT" → "VAT"; a bare name stays as it is.
  const parts = jurisdiction.trim().split(/\s+/);
  return parts.length > 1 && /^[A-Z]{2}$/.test(parts[0] ?? "") ? parts.slice(1).join(" ") : jurisdiction;
}

/** "0.1" → "10%", "0.0825" → "8.25%": exact decimal arithmetic on the string, no float. */
function percent(rate: string): string {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!match) return rate;
  const whole = match[1] ?? "0";
  const frac = (match[2] ?? "").padEnd(2, "0");
  const intPart = String(Number(whole + frac.slice(0, 2)));
  const rest = frac.slice(2).replace(/0+$/, "");
  return `${intPart}${rest ? `.${rest}` : ""}%`;
}

/** Charges Australian GST: the invoice is an Australian tax invoice. */
export function chargesAustralianGst(lines: readonly { taxAmounts: readonly Pick<TaxAmount, "jurisdiction">[] }[]): boolean {
  return lines.some((l) => l.taxAmounts.some((t) => t.jurisdiction === "AU GST"));
}
