import { Document } from "@react-pdf/renderer";
import type { TaxAmount } from "@/lib/billing/types";
import { formatterFor } from "@/lib/format";
import { creditNoteOutcomeWords, type InvoiceDocumentCreditNote } from "./invoice-pdf";
import { DocumentPage, renderDocument, ItemsTable, Letterhead, Paragraph, PartyBlock, PartyRow, Stamp, TotalsTable, type DocumentParty, type DocumentSeller, type Fact } from "./parts";
import { chargesAustralianGst, taxContent, taxName, type TaxContent } from "./tax-content";
import { MissingTaxContentNotice, TaxNotes } from "./tax-notices";

/**
 * A credit note as a PDF, built from the same parts as the invoice it corrects (decision 042). It
 * names the invoice it adjusts and carries that invoice's tax content: the seller's tax number, the
 * buyer's where the invoice needed it, the reverse-charge wording. Pure, like the invoice.
 */

export interface CreditNoteDocumentInput {
  seller: DocumentSeller;
  creditNote: InvoiceDocumentCreditNote & {
    currency: string;
    tax: number;
    reason: "duplicate" | "fraudulent" | "order_change" | "product_unsatisfactory" | "other";
    memo: string | null;
    lines: readonly { description: string; amount: number; tax: number }[];
  };
  /** The invoice it adjusts: its number, date, total and the tax on its lines. */
  invoice: { number: string; finalizedAt: Date; total: number; lines: readonly { taxAmounts: readonly TaxAmount[] }[] };
  /** The invoice's bill-to. */
  billTo: DocumentParty | null;
  locale: string;
  timeZone: string;
}

const reasonWords: Record<CreditNoteDocumentInput["creditNote"]["reason"], string> = {
  duplicate: "Duplicate charge",
  fraudulent: "Fraudulent charge",
  order_change: "Order changed",
  product_unsatisfactory: "Product unsatisfactory",
  other: "Other",
};

/** The invoice's tax content, for the note that adjusts it. */
export function creditNoteTaxContent(input: Pick<CreditNoteDocumentInput, "seller" | "invoice" | "billTo" | "creditNote">): TaxContent {
  return taxContent({ lines: input.invoice.lines, sellerTaxNumber: input.seller.taxNumber, buyer: input.billTo, total: input.invoice.total, currency: input.creditNote.currency });
}

/** "GST", "VAT" or "Tax": what the adjusted invoice charged. */
function taxWord(lines: CreditNoteDocumentInput["invoice"]["lines"]): string {
  const names = new Set(lines.flatMap((l) => l.taxAmounts.map((t) => taxName(t.jurisdiction))));
  return names.size === 1 ? [...names][0]! : "Tax";
}

export function CreditNoteDocument(input: CreditNoteDocumentInput) {
  const { creditNote: note, invoice, seller } = input;
  const fmt = formatterFor(input);
  const money = (minor: number) => fmt.money(minor, note.currency);
  const content = creditNoteTaxContent(input);
  const label = `Credit note ${note.number}`;
  const tax = taxWord(invoice.lines);
  const facts: Fact[] = [
    { label: "Credit note number", value: note.number, bold: true },
    { label: "Date of issue", value: fmt.date(note.createdAt) },
    { label: content.title === "Tax invoice" ? "Adjusts tax invoice" : "Adjusts invoice", value: invoice.number },
    { label: "Invoice date", value: fmt.date(invoice.finalizedAt) },
    { label: "Status", value: note.status === "void" ? "Void" : "Issued", bold: true, tone: note.status === "void" ? "danger" : "ink" },
  ];
  return (
    <Document title={label} author={seller.name} subject={`${label} from ${seller.name}`} creator="Tally" producer="Tally" creationDate={note.createdAt} modificationDate={note.createdAt}>
      <DocumentPage seller={seller} documentLabel={label}>
        <Letterhead seller={seller} title={chargesAustralianGst(invoice.lines) ? "Adjustment note" : "Credit note"} facts={facts} />
        <MissingTaxContentNotice missing={content.missing} />
        <PartyRow stamp={note.status === "void" ? <Stamp text="VOID" tone="danger" /> : null}>
          <PartyBlock label="Credited to" party={input.billTo} />
        </PartyRow>
        <ItemsTable
          columns={[{ label: "Description", width: 5 }, { label: `${tax} credited`, width: 1.6 }, { label: "Amount credited", width: 1.8 }]}
          rows={note.lines.map((line) => ({ cells: [line.description, money(-line.tax), money(-line.amount)] }))}
        />
        <TotalsTable
          rows={[
            { label: `Credited before ${tax}`, value: money(-(note.amount - note.tax)) },
            { label: `${tax} credited`, value: money(-note.tax) },
            { label: "Total credited", value: money(-note.amount), bold: true, ruled: true },
          ]}
        />
        <TaxNotes content={{ ...content, noGstCharged: false }} taxName={tax} />
        <Paragraph>
          {reasonWords[note.reason]}. {note.status === "void" ? "This credit note is void." : `${creditNoteOutcomeWords[note.outcome]}.`}
        </Paragraph>
        {note.memo?.trim() ? <Paragraph tone="muted">{note.memo.trim()}</Paragraph> : null}
        {seller.footer?.trim() ? <Paragraph tone="muted" size={8.5}>{seller.footer.trim()}</Paragraph> : null}
      </DocumentPage>
    </Document>
  );
}

/** Render the credit note to PDF bytes. */
export function renderCreditNotePdf(input: CreditNoteDocumentInput): Promise<Uint8Array> {
  return renderDocument(<CreditNoteDocument {...input} />);
}
