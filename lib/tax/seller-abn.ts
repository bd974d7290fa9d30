import { isValidAbn, validateTaxId } from "./tax-id";

/**
 * The seller's ABN on tax invoices. The business profile has one free-text tax number (an ABN, or
 * a VAT number for a business elsewhere); an 11-digit number is an Australian Business Number, and
 * invoices print it as "ABN …" (lib/documents/tax-content.ts). Pure: the console's warning and the
 * invoice read the same rule.
 */

/** The ABN's 11 digits when the tax number is one (spaces ignored), else null. */
export function abnInTaxNumber(taxNumber: string): string | null {
  const digits = taxNumber.replace(/\s/g, "");
  return /^\d{11}$/.test(digits) ? digits : null;
}

export interface AbnWarning {
  kind: "missing" | "invalid";
  title: string;
  /** What to do, ending where: "Settings → Business profile". */
  fix: string;
}

/**
 * Why the business's tax invoices are not yet valid Australian tax invoices, or null when they are
 * (or it charges no GST, so it issues none). A GST-registered seller must show its ABN on a tax
 * invoice; a number that fails the ABN check digits would be printed as given and is as good as none.
 */
export function abnWarning(input: { taxNumber: string; chargesAustralianGst: boolean }): AbnWarning | null {
  if (!input.chargesAustralianGst) return null;
  const abn = abnInTaxNumber(input.taxNumber);
  if (abn === null) {
    return { kind: "missing", title: "Your tax invoices show no ABN.", fix: "Australian tax invoices must show it. Add it in Settings → Business profile." };
  }
  if (!isValidAbn(abn)) {
    return {
      kind: "invalid",
      title: "The ABN on your tax invoices is not valid: its check digits don't match.",
      fix: "Australian tax invoices must show a valid ABN. Correct it in Settings → Business profile.",
    };
  }
  return null;
}

/**
 * The business's tax number warning for every kind of tax its invoices charge: the ABN for Australian
 * GST (abnWarning), else a VAT number (EU or UK, well-formed) for VAT — a VAT invoice, and the
 * reverse-charge wording, must show the seller's VAT number.
 */
export function taxNumberWarning(input: { taxNumber: string; chargesAustralianGst: boolean; chargesVat: boolean }): AbnWarning | null {
  const abn = abnWarning(input);
  if (abn || !input.chargesVat) return abn;
  const number = input.taxNumber.trim();
  if (validateTaxId("eu_vat", number).ok || validateTaxId("gb_vat", number).ok) return null;
  return number
    ? { kind: "invalid", title: "The tax number on your invoices is not a valid VAT number.", fix: "VAT invoices must show your VAT number, like IE6388047V or GB 123 4567 82. Correct it in Settings → Business profile." }
    : { kind: "missing", title: "Your VAT invoices show no VAT number.", fix: "VAT invoices must show your VAT number. Add it in Settings → Business profile." };
}
