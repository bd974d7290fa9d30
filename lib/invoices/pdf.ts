import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage, type RGB } from "pdf-lib";
import { formatDate } from "@/lib/format";
import type { Address, TaxId } from "@/db/schema";
import type { InvoiceStatus } from "@/lib/billing/invoices/statuses";
import type { TaxAmount } from "@/lib/billing/types";
import { formatMoney } from "@/lib/money";
import { CARRIED_LABEL, carriedToBalanceNote, DEBIT_APPLIED_LABEL } from "./below-minimum-words";

/**
 * An invoice as a PDF document, with pdf-lib (pure JavaScript, no browser). A pure function of its
 * input: nothing is read from the database or the clock here, so the same invoice always renders
 * the same bytes. The caller gathers the invoice, its bill-to as captured at finalization, its
 * credit notes and the seller's details.
 */

export interface PdfSeller {
  name: string;
  /** Printed as given, e.g. "ABN 51 824 753 556". */
  taxId?: string | null;
  addressLines?: readonly string[];
  email?: string | null;
  /** The business's own words at the foot of the invoice (payment terms, bank details…). */
  footer?: string | null;
  /** Accent colour of the business name, `#RRGGBB`. */
  brandColor?: string | null;
}

export interface PdfBillTo {
  name: string | null;
  email: string;
  address: Address;
  taxIds: readonly TaxId[];
}

export interface PdfLine {
  description: string;
  quantity: number;
  unitAmount: number | null;
  amount: number;
  periodStart: Date | null;
  periodEnd: Date | null;
  proration: boolean;
  discountAmount: number;
  taxAmounts: readonly TaxAmount[];
}

export interface PdfCreditNote {
  number: string;
  createdAt: Date;
  amount: number;
  outcome: "refund" | "credit" | "out_of_band" | "reduce_amount_due";
  status: "issued" | "void";
}

export interface PdfInvoice {
  number: string;
  status: InvoiceStatus;
  currency: string;
  finalizedAt: Date;
  dueDate: Date | null;
  paidAt: Date | null;
  voidedAt: Date | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  subtotal: number;
  discountTotal: number;
  tax: number;
  total: number;
  creditApplied: number;
  debitApplied: number;
  amountDue: number;
  amountPaid: number;
  amountRemaining: number;
  carriedToBalance: number;
  amountCredited: number;
  lines: readonly PdfLine[];
}

export interface InvoicePdfInput {
  seller: PdfSeller;
  invoice: PdfInvoice;
  billTo: PdfBillTo | null;
  creditNotes?: readonly PdfCreditNote[];
  /** The customer's time zone: dates print as their calendar day. */
  timeZone: string;
  /** Where the invoice can be viewed and paid online (the hosted invoice page). */
  hostedUrl?: string | null;
}

/** "TLY-000123.pdf": the download's file name, safe for a Content-Disposition header. */
export function invoicePdfFileName(number: string): string {
  return `${number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`;
}

/** One tax row of the totals: "GST (10%) included", "VAT (20%)". */
export interface TaxSummaryRow {
  label: string;
  amount: number;
}

/** Tax per jurisdiction and rate, summed over the lines, worded the local way. */
export function taxSummary(lines: readonly Pick<PdfLine, "taxAmounts">[]): TaxSummaryRow[] {
  const groups = new Map<string, { jurisdiction: string; rate: string; inclusive: boolean; amount: number }>();
  for (const line of lines) {
    for (const t of line.taxAmounts) {
      const key = `${t.jurisdiction}|${t.rate}|${t.inclusive}`;
      const group = groups.get(key) ?? { jurisdiction: t.jurisdiction, rate: t.rate, inclusive: t.inclusive, amount: 0 };
      group.amount += t.amount;
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((g) => ({ label: `${taxName(g.jurisdiction)} (${percent(g.rate)})${g.inclusive ? " included" : ""}`, amount: g.amount }));
}

function taxName(jurisdiction: string): string {
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

/** A tax invoice in the Australian sense: it charges GST, so it must say "Tax invoice" and show the seller's ABN. */
export function isTaxInvoice(lines: readonly Pick<PdfLine, "taxAmounts">[]): boolean {
  return lines.some((l) => l.taxAmounts.some((t) => t.jurisdiction === "AU GST"));
}

// ---- layout ----------------------------------------------------------------------------------

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const FOOTER = 56;
const INK = rgb(0.06, 0.09, 0.16);
const MUTED = rgb(0.34, 0.39, 0.47);
const RULE = rgb(0.85, 0.87, 0.9);
const BRAND = rgb(0.31, 0.27, 0.9);
const DANGER = rgb(0.72, 0.11, 0.11);
const SUCCESS = rgb(0.02, 0.47, 0.34);

const statusWords: Record<InvoiceStatus, string> = { draft: "Draft", open: "Open", paid: "Paid", void: "Void", uncollectible: "Uncollectible" };
const outcomeWords: Record<PdfCreditNote["outcome"], string> = {
  refund: "Refunded to the card",
  credit: "Credited to your balance",
  out_of_band: "Settled outside Tally",
  reduce_amount_due: "Reduced the amount due",
};

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Draws top to bottom, starting a new page (with the table header again) when space runs out. */
class Writer {
  page: PDFPage;
  y: number;
  readonly pages: PDFPage[] = [];
  onNewPage: (() => void) | null = null;

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
    private readonly safe: (s: string) => string,
  ) {
    this.page = this.addPage();
    this.y = A4[1] - MARGIN;
  }

  private addPage(): PDFPage {
    const page = this.doc.addPage(A4);
    this.pages.push(page);
    return page;
  }

  get width(): number {
    return A4[0] - 2 * MARGIN;
  }

  /** Make room for `height` points, breaking the page if needed. */
  need(height: number): void {
    if (this.y - height >= FOOTER + 8) return;
    this.page = this.addPage();
    this.y = A4[1] - MARGIN;
    this.onNewPage?.();
  }

  text(value: string, x: number, y: number, opts: { size?: number; bold?: boolean; color?: RGB; align?: "left" | "right"; maxWidth?: number } = {}): void {
    const font = opts.bold ? this.fonts.bold : this.fonts.regular;
    const size = opts.size ?? 9.5;
    let s = this.safe(value);
    if (opts.maxWidth) s = truncate(s, font, size, opts.maxWidth);
    const w = font.widthOfTextAtSize(s, size);
    this.page.drawText(s, { x: opts.align === "right" ? x - w : x, y, size, font, color: opts.color ?? INK });
  }

  rule(y: number, color: RGB = RULE): void {
    this.page.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.75, color });
  }

  wrap(value: string, size: number, maxWidth: number, bold = false): string[] {
    return wrapText(this.safe(value), bold ? this.fonts.bold : this.fonts.regular, size, maxWidth);
  }
}

function truncate(s: string, font: PDFFont, size: number, maxWidth: number): string {
  if (font.widthOfTextAtSize(s, size) <= maxWidth) return s;
  let out = s;
  while (out.length > 1 && font.widthOfTextAtSize(`${out}...`, size) > maxWidth) out = out.slice(0, -1);
  return `${out}...`;
}

function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      // A single word wider than the column is broken by characters.
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > maxWidth && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > maxWidth) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** The standard PDF fonts cover Latin-1 (WinAnsi); anything else is replaced, never thrown on. */
function sanitizer(font: PDFFont): (s: string) => string {
  const supported = new Set(font.getCharacterSet());
  const replacements: Record<string, string> = { "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u202f": " ", "\u2009": " ", "\u200b": "", "\u20b9": "Rs", "\t": " ", "\r": "" };
  return (s) => {
    let out = "";
    for (const ch of s.normalize("NFC")) {
      const cp = ch.codePointAt(0) ?? 0;
      if (ch === "\n" || supported.has(cp)) out += ch;
      else if (ch in replacements) out += replacements[ch];
      else out += "?";
    }
    return out;
  };
}

function hexColor(hex: string | null | undefined): RGB | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? "");
  return m ? rgb(parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255) : null;
}

function formatDay(date: Date | null, timeZone: string): string {
  if (!date) return "-";
  return formatDate(date, timeZone);
}

function addressLines(address: Address): string[] {
  const cityLine = [address.city, address.state, address.postal_code].filter(Boolean).join(" ");
  return [address.line1, address.line2, cityLine, address.country].filter((l): l is string => !!l && l.trim() !== "");
}

/** Render the invoice to PDF bytes. */
export async function renderInvoicePdf(input: InvoicePdfInput): Promise<Uint8Array> {
  const { invoice, seller, billTo, timeZone } = input;
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts: Fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const safe = sanitizer(fonts.regular);
  const taxInvoice = isTaxInvoice(invoice.lines);
  const title = taxInvoice ? "Tax invoice" : "Invoice";
  doc.setTitle(safe(`${title} ${invoice.number}`));
  doc.setAuthor(safe(seller.name));
  doc.setSubject(safe(`${title} ${invoice.number} from ${seller.name}`));
  doc.setCreator("Tally");
  doc.setProducer("Tally (pdf-lib)");
  doc.setCreationDate(invoice.finalizedAt);
  doc.setModificationDate(invoice.finalizedAt);

  const w = new Writer(doc, fonts, safe);
  const money = (n: number) => formatMoney(n, invoice.currency);
  const left = MARGIN;
  const right = A4[0] - MARGIN;

  // Header: the seller on the left, the document's title and number on the right.
  w.text(seller.name, left, w.y - 16, { size: 18, bold: true, color: hexColor(seller.brandColor) ?? BRAND, maxWidth: w.width * 0.55 });
  w.text(title, right, w.y - 16, { size: 18, bold: true, align: "right" });
  let sellerY = w.y - 34;
  for (const line of [seller.taxId ?? null, ...(seller.addressLines ?? []), seller.email ?? null].filter((l): l is string => !!l)) {
    w.text(line, left, sellerY, { color: MUTED, maxWidth: w.width * 0.5 });
    sellerY -= 13;
  }
  const facts: [string, string][] = [
    ["Invoice number", invoice.number],
    ["Date of issue", formatDay(invoice.finalizedAt, timeZone)],
    ...(invoice.dueDate && invoice.status === "open" ? ([["Due", formatDay(invoice.dueDate, timeZone)]] as [string, string][]) : []),
    ...(invoice.periodStart && invoice.periodEnd ? ([["Service period", `${formatDay(invoice.periodStart, timeZone)} - ${formatDay(invoice.periodEnd, timeZone)}`]] as [string, string][]) : []),
    ["Status", statusWords[invoice.status] + (invoice.paidAt && invoice.status === "paid" ? ` ${formatDay(invoice.paidAt, timeZone)}` : "") + (invoice.voidedAt && invoice.status === "void" ? ` ${formatDay(invoice.voidedAt, timeZone)}` : "")],
  ];
  let factY = w.y - 34;
  for (const [label, value] of facts) {
    w.text(label, right - 150, factY, { color: MUTED, align: "right" });
    const color = label === "Status" ? (invoice.status === "paid" ? SUCCESS : invoice.status === "void" || invoice.status === "uncollectible" ? DANGER : INK) : INK;
    w.text(value, right, factY, { bold: label === "Invoice number" || label === "Status", color, align: "right", maxWidth: 140 });
    factY -= 13;
  }
  w.y = Math.min(sellerY, factY) - 14;

  // Bill to: the details captured when the invoice was issued.
  w.text("Bill to", left, w.y, { size: 8.5, bold: true, color: MUTED });
  w.y -= 14;
  const billLines = billTo
    ? [billTo.name ?? billTo.email, ...(billTo.name ? [billTo.email] : []), ...addressLines(billTo.address), ...billTo.taxIds.map((t) => `${t.type.toUpperCase().replace(/_/g, " ")} ${t.value}`)]
    : ["-"];
  billLines.forEach((line, i) => {
    w.text(line, left, w.y, { bold: i === 0, maxWidth: w.width * 0.6 });
    w.y -= 13;
  });
  w.y -= 12;

  // Lines.
  const col = { qty: right - 190, unit: right - 100, amount: right };
  const descWidth = col.qty - left - 50;
  const tableHeader = () => {
    w.text("Description", left, w.y, { size: 8.5, bold: true, color: MUTED });
    w.text("Qty", col.qty, w.y, { size: 8.5, bold: true, color: MUTED, align: "right" });
    w.text("Unit price", col.unit, w.y, { size: 8.5, bold: true, color: MUTED, align: "right" });
    w.text("Amount", col.amount, w.y, { size: 8.5, bold: true, color: MUTED, align: "right" });
    w.y -= 7;
    w.rule(w.y, INK);
    w.y -= 14;
  };
  tableHeader();
  w.onNewPage = () => {
    w.text(`${title} ${invoice.number} (continued)`, left, w.y - 10, { size: 10, bold: true });
    w.y -= 34;
    tableHeader();
  };
  for (const line of invoice.lines) {
    const descLines = w.wrap(line.description, 9.5, descWidth);
    const notes: string[] = [];
    if (line.periodStart && line.periodEnd) notes.push(`${formatDay(line.periodStart, timeZone)} - ${formatDay(line.periodEnd, timeZone)}`);
    if (line.proration) notes.push(line.amount < 0 ? "Proration: unused time credited" : "Proration: remaining time charged");
    if (line.discountAmount > 0) notes.push(`Discount ${money(-line.discountAmount)}`);
    const height = descLines.length * 12 + notes.length * 11 + 8;
    w.need(height);
    const top = w.y;
    descLines.forEach((d, i) => w.text(d, left, top - i * 12));
    notes.forEach((n, i) => w.text(n, left, top - descLines.length * 12 - i * 11, { size: 8.5, color: MUTED }));
    w.text(String(line.quantity), col.qty, top, { align: "right" });
    w.text(line.unitAmount === null ? "-" : money(line.unitAmount), col.unit, top, { align: "right" });
    w.text(money(line.amount), col.amount, top, { align: "right" });
    w.y = top - height + 4;
    w.rule(w.y + 4);
    w.y -= 10;
  }
  w.onNewPage = null;

  // Totals.
  const rows: { label: string; value: string; bold?: boolean; color?: RGB }[] = [{ label: "Subtotal", value: money(invoice.subtotal) }];
  if (invoice.discountTotal > 0) rows.push({ label: "Discounts", value: money(-invoice.discountTotal) });
  const taxes = taxSummary(invoice.lines);
  const exclusiveTaxes = taxes.filter((t) => !t.label.endsWith(" included"));
  for (const t of exclusiveTaxes) rows.push({ label: t.label, value: money(t.amount) });
  rows.push({ label: "Total", value: money(invoice.total), bold: true });
  for (const t of taxes.filter((x) => x.label.endsWith(" included"))) rows.push({ label: `${t.label} in the total`, value: money(t.amount), color: MUTED });
  if (invoice.creditApplied > 0) rows.push({ label: "Credit applied from balance", value: money(-invoice.creditApplied) });
  if (invoice.debitApplied > 0) rows.push({ label: DEBIT_APPLIED_LABEL, value: money(invoice.debitApplied) });
  if (invoice.amountCredited > 0) rows.push({ label: "Credit notes", value: money(-invoice.amountCredited) });
  rows.push({ label: "Amount paid", value: money(invoice.amountPaid) });
  if (invoice.carriedToBalance > 0) rows.push({ label: CARRIED_LABEL, value: money(invoice.carriedToBalance) });
  rows.push({
    label: invoice.status === "void" ? "Amount due (void)" : "Amount due",
    value: money(invoice.status === "void" ? 0 : invoice.amountRemaining),
    bold: true,
    color: invoice.status === "open" && invoice.amountRemaining > 0 ? DANGER : INK,
  });
  w.need(rows.length * 15 + 10);
  for (const row of rows) {
    w.text(row.label, right - 130, w.y, { bold: row.bold, color: row.color ?? (row.bold ? INK : MUTED), align: "right" });
    w.text(row.value, right, w.y, { bold: row.bold, color: row.color ?? INK, align: "right" });
    w.y -= 15;
  }
  if (taxInvoice && invoice.tax === 0) {
    w.text("No GST is charged on this invoice.", right, w.y, { size: 8.5, color: MUTED, align: "right" });
    w.y -= 13;
  }
  if (invoice.carriedToBalance > 0) {
    const note = w.wrap(carriedToBalanceNote(invoice.carriedToBalance, invoice.currency), 9, w.width);
    w.y -= 6;
    w.need(note.length * 12);
    for (const n of note) {
      w.text(n, left, w.y, { size: 9, color: INK });
      w.y -= 12;
    }
  }

  // Credit notes issued against this invoice.
  const creditNotes = input.creditNotes ?? [];
  if (creditNotes.length > 0) {
    w.y -= 10;
    w.need(30 + creditNotes.length * 13);
    w.text("Credit notes", left, w.y, { size: 8.5, bold: true, color: MUTED });
    w.y -= 7;
    w.rule(w.y, INK);
    w.y -= 14;
    for (const note of creditNotes) {
      w.need(14);
      w.text(note.number, left, w.y, { bold: true });
      w.text(formatDay(note.createdAt, timeZone), left + 90, w.y, { color: MUTED });
      w.text(note.status === "void" ? "Void" : outcomeWords[note.outcome], left + 180, w.y, { color: MUTED, maxWidth: 200 });
      w.text(money(-note.amount), right, w.y, { align: "right" });
      w.y -= 13;
    }
  }

  // How to pay, while something is owed.
  if (invoice.status === "open" && invoice.amountRemaining > 0 && input.hostedUrl) {
    w.y -= 14;
    const msg = w.wrap(`Pay online: ${input.hostedUrl}`, 9.5, w.width);
    w.need(msg.length * 12);
    for (const m of msg) {
      w.text(m, left, w.y, { color: BRAND });
      w.y -= 12;
    }
  }

  // The business's own note (terms, bank details), after everything else.
  if (seller.footer?.trim()) {
    w.y -= 14;
    const note = w.wrap(seller.footer.trim(), 8.5, w.width);
    w.need(note.length * 11);
    for (const n of note) {
      w.text(n, left, w.y, { size: 8.5, color: MUTED });
      w.y -= 11;
    }
  }

  // Footer on every page.
  const total = w.pages.length;
  w.pages.forEach((page, i) => {
    const footer = [seller.name, seller.taxId, `${title} ${invoice.number}`].filter(Boolean).join("  |  ");
    page.drawLine({ start: { x: MARGIN, y: FOOTER - 10 }, end: { x: A4[0] - MARGIN, y: FOOTER - 10 }, thickness: 0.5, color: RULE });
    page.drawText(truncate(safe(footer), fonts.regular, 8, w.width - 80), { x: MARGIN, y: FOOTER - 24, size: 8, font: fonts.regular, color: MUTED });
    const pageLabel = `Page ${i + 1} of ${total}`;
    page.drawText(pageLabel, { x: A4[0] - MARGIN - fonts.regular.widthOfTextAtSize(pageLabel, 8), y: FOOTER - 24, size: 8, font: fonts.regular, color: MUTED });
  });

  return doc.save();
}
