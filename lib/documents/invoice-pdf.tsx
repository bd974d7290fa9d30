import { Document } from "@react-pdf/renderer";
import { formatterFor } from "@/lib/format";
import type { InvoiceStatus } from "@/lib/billing/invoices/statuses";
import type { InvoiceTotals, TaxAmount } from "@/lib/billing/types";
import { CARRIED_LABEL, carriedToBalanceNote, DEBIT_APPLIED_LABEL } from "@/lib/invoices/below-minimum-words";
import { MissingTaxContentNotice, TaxNotes } from "./tax-notices";
import { brandColorOf, DocumentPage, renderDocument, ItemsTable, Letterhead, Notice, Paragraph, PartyBlock, PartyRow, SectionTitle, Stamp, TotalsTable, type DocumentParty, type DocumentSeller, type Fact, type TotalRow } from "./parts";
import { taxContent, taxSummary, type TaxContent } from "./tax-content";

/**
 * An invoice as a PDF (decision 042). A pure function of its input: nothing is read from the
 * database, the clock or the network, so the same invoice always renders the same bytes. The caller
 * (lib/documents/pdf-response.ts) gathers the invoice, its bill-to as captured at finalization, its
 * credit notes, the seller and the reader's locale.
 */

export interface InvoiceDocumentLine {
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

export interface InvoiceDocumentCreditNote {
  number: string;
  createdAt: Date;
  amount: number;
  outcome: "refund" | "credit" | "out_of_band" | "reduce_amount_due";
  status: "issued" | "void";
}

/** The invoice's figures as issued: its totals (lib/billing), payment state and lines. */
export interface InvoiceDocumentFigures extends Omit<InvoiceTotals, "excessCredit"> {
  number: string;
  status: InvoiceStatus;
  currency: string;
  finalizedAt: Date;
  dueDate: Date | null;
  paidAt: Date | null;
  voidedAt: Date | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  amountPaid: number;
  amountRemaining: number;
  carriedToBalance: number;
  amountCredited: number;
  lines: readonly InvoiceDocumentLine[];
}

export interface InvoiceDocumentInput {
  seller: DocumentSeller;
  invoice: InvoiceDocumentFigures;
  billTo: DocumentParty | null;
  creditNotes?: readonly InvoiceDocumentCreditNote[];
  /** The reader's locale for money and dates, e.g. "en-AU". */
  locale: string;
  /** The customer's time zone: dates print as their calendar day. */
  timeZone: string;
  /** Where the invoice can be viewed and paid online (the hosted invoice page). */
  hostedUrl?: string | null;
}

const statusWords: Record<InvoiceStatus, string> = { draft: "Draft", open: "Open", paid: "Paid", void: "Void", uncollectible: "Uncollectible" };
export const creditNoteOutcomeWords: Record<InvoiceDocumentCreditNote["outcome"], string> = {
  refund: "Refunded to the card",
  credit: "Credited to your balance",
  out_of_band: "Settled outside Tally",
  reduce_amount_due: "Reduced the amount due",
};

/** What the jurisdictions require of this invoice (title, tax numbers, wording, what is missing). */
export function invoiceTaxContent(input: Pick<InvoiceDocumentInput, "seller" | "invoice" | "billTo">): TaxContent {
  return taxContent({ lines: input.invoice.lines, sellerTaxNumber: input.seller.taxNumber, buyer: input.billTo, total: input.invoice.total, currency: input.invoice.currency });
}

function totalRows(invoice: InvoiceDocumentFigures, money: (n: number) => string): TotalRow[] {
  const taxes = taxSummary(invoice.lines);
  const rows: TotalRow[] = [{ label: "Subtotal", value: money(invoice.subtotal) }];
  if (invoice.discountTotal > 0) rows.push({ label: "Discounts", value: money(-invoice.discountTotal) });
  for (const t of taxes.filter((x) => !x.inclusive)) rows.push({ label: t.label, value: money(t.amount) });
  rows.push({ label: "Total", value: money(invoice.total), bold: true, ruled: true });
  for (const t of taxes.filter((x) => x.inclusive)) rows.push({ label: `${t.label} in the total`, value: money(t.amount), tone: "muted" });
  if (invoice.creditApplied > 0) rows.push({ label: "Credit applied from balance", value: money(-invoice.creditApplied) });
  if (invoice.debitApplied > 0) rows.push({ label: DEBIT_APPLIED_LABEL, value: money(invoice.debitApplied) });
  if (invoice.amountCredited > 0) rows.push({ label: "Credit notes", value: money(-invoice.amountCredited) });
  rows.push({ label: "Amount paid", value: money(invoice.amountPaid) });
  if (invoice.carriedToBalance > 0) rows.push({ label: CARRIED_LABEL, value: money(invoice.carriedToBalance) });
  const isVoid = invoice.status === "void";
  rows.push({
    label: isVoid ? "Amount due (void)" : "Amount due",
    value: money(isVoid ? 0 : invoice.amountRemaining),
    bold: true,
    ruled: true,
    tone: invoice.status === "open" && invoice.amountRemaining > 0 ? "danger" : "ink",
  });
  return rows;
}

export function InvoiceDocument(input: InvoiceDocumentInput) {
  const { invoice, seller, billTo } = input;
  const fmt = formatterFor(input);
  const money = (minor: number) => fmt.money(minor, invoice.currency);
  const content = invoiceTaxContent(input);
  const label = `${content.title} ${invoice.number}`;
  const statusDate = invoice.status === "paid" ? invoice.paidAt : invoice.status === "void" ? invoice.voidedAt : null;
  const facts: Fact[] = [
    { label: "Invoice number", value: invoice.number, bold: true },
    { label: "Date of issue", value: fmt.date(invoice.finalizedAt) },
    ...(invoice.dueDate && invoice.status === "open" ? [{ label: "Due", value: fmt.date(invoice.dueDate) }] : []),
    ...(invoice.periodStart && invoice.periodEnd ? [{ label: "Service period", value: fmt.period(invoice.periodStart, invoice.periodEnd) }] : []),
    {
      label: "Status",
      value: statusWords[invoice.status] + (statusDate ? ` ${fmt.date(statusDate)}` : ""),
      bold: true,
      tone: invoice.status === "paid" ? "success" : invoice.status === "void" || invoice.status === "uncollectible" ? "danger" : "ink",
    },
  ];
  const stamp =
    invoice.status === "paid" ? <Stamp text="PAID" tone="success" detail={invoice.paidAt ? fmt.date(invoice.paidAt) : null} /> : invoice.status === "void" ? <Stamp text="VOID" tone="danger" detail={invoice.voidedAt ? fmt.date(invoice.voidedAt) : null} /> : null;
  const rows = invoice.lines.map((line) => {
    const notes: string[] = [];
    if (line.periodStart && line.periodEnd) notes.push(fmt.period(line.periodStart, line.periodEnd));
    if (line.proration) notes.push(line.amount < 0 ? "Proration: unused time credited" : "Proration: remaining time charged");
    if (line.discountAmount > 0) notes.push(`Discount ${money(-line.discountAmount)}`);
    return { cells: [line.description, String(line.quantity), line.unitAmount === null ? "-" : money(line.unitAmount), money(line.amount)], notes };
  });
  const creditNotes = input.creditNotes ?? [];
  const owing = invoice.status === "open" && invoice.amountRemaining > 0;
  return (
    <Document title={label} author={seller.name} subject={`${label} from ${seller.name}`} creator="Tally" producer="Tally" creationDate={invoice.finalizedAt} modificationDate={invoice.finalizedAt}>
      <DocumentPage seller={seller} documentLabel={label}>
        <Letterhead seller={seller} title={content.title} facts={facts} />
        <MissingTaxContentNotice missing={content.missing} />
        <PartyRow stamp={stamp}>
          <PartyBlock label={content.buyerIdentityRequired ? "Bill to (recipient)" : "Bill to"} party={billTo} />
        </PartyRow>
        <ItemsTable
          columns={[{ label: "Description", width: 5 }, { label: "Qty", width: 0.8 }, { label: "Unit price", width: 1.6 }, { label: "Amount", width: 1.6 }]}
          rows={rows}
        />
        <TotalsTable rows={totalRows(invoice, money)} />
        <TaxNotes content={content} taxName="GST" />
        {invoice.carriedToBalance > 0 ? <Notice>{carriedToBalanceNote(invoice.carriedToBalance, invoice.currency, fmt)}</Notice> : null}
        {creditNotes.length > 0 ? (
          <>
            <SectionTitle>Credit notes</SectionTitle>
            <ItemsTable
              columns={[{ label: "Number", width: 1.4 }, { label: "Date", width: 1.3, align: "left" }, { label: "Outcome", width: 2.4, align: "left" }, { label: "Amount", width: 1.4 }]}
              rows={creditNotes.map((note) => ({ cells: [note.number, fmt.date(note.createdAt), note.status === "void" ? "Void" : creditNoteOutcomeWords[note.outcome], money(-note.amount)] }))}
            />
          </>
        ) : null}
        {owing && input.hostedUrl ? <Paragraph color={brandColorOf(seller)}>Pay online: {input.hostedUrl}</Paragraph> : null}
        {seller.footer?.trim() ? <Paragraph tone="muted" size={8.5}>{seller.footer.trim()}</Paragraph> : null}
      </DocumentPage>
    </Document>
  );
}

/** Render the invoice to PDF bytes. */
export function renderInvoicePdf(input: InvoiceDocumentInput): Promise<Uint8Array> {
  return renderDocument(<InvoiceDocument {...input} />);
}
