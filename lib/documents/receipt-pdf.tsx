import { Document } from "@react-pdf/renderer";
import { formatterFor } from "@/lib/format";
import { DocumentPage, ItemsTable, Letterhead, Paragraph, PartyBlock, PartyRow, renderDocument, Stamp, TotalsTable, type DocumentParty, type DocumentSeller, type Fact } from "./parts";

/**
 * A receipt as a PDF (decision 043): what was received, when, how, for which invoice, from whom.
 * Built from the same parts as the invoice and the credit note (decision 042) and pure like them:
 * the document's date is the payment's, so the same receipt always renders the same bytes.
 */

export interface ReceiptDocumentInput {
  /** The business as its invoices name it (lib/documents/seller.ts). */
  seller: DocumentSeller;
  receipt: { number: string; amount: number; currency: string; methodLabel: string; paidAt: Date };
  /** The invoice(s) the payment paid: each one's total and the part of this payment applied to it. */
  invoices: readonly { number: string; total: number; paid: number }[];
  /** Who paid, as the invoice names them (its bill-to). */
  receivedFrom: DocumentParty | null;
  /** The reader's locale for money and dates, e.g. "en-AU". */
  locale: string;
  /** The customer's time zone: the payment's day is their calendar day. */
  timeZone: string;
}

export function ReceiptDocument(input: ReceiptDocumentInput) {
  const { receipt, seller } = input;
  const fmt = formatterFor(input);
  const money = (minor: number) => fmt.money(minor, receipt.currency);
  const label = `Receipt ${receipt.number}`;
  const facts: Fact[] = [
    { label: "Receipt number", value: receipt.number, bold: true },
    { label: "Paid on", value: fmt.date(receipt.paidAt) },
    { label: "Payment method", value: receipt.methodLabel },
    { label: "Amount paid", value: money(receipt.amount), bold: true, tone: "success" },
  ];
  return (
    <Document title={label} author={seller.name} subject={`${label} from ${seller.name}`} creator="Tally" producer="Tally" creationDate={receipt.paidAt} modificationDate={receipt.paidAt}>
      <DocumentPage seller={seller} documentLabel={label}>
        <Letterhead seller={seller} title="Receipt" facts={facts} />
        <PartyRow stamp={<Stamp text="PAID" tone="success" detail={fmt.date(receipt.paidAt)} />}>
          <PartyBlock label="Received from" party={input.receivedFrom} />
        </PartyRow>
        <ItemsTable
          columns={[{ label: "Invoice", width: 4 }, { label: "Invoice total", width: 1.6 }, { label: "Paid", width: 1.6 }]}
          rows={input.invoices.map((invoice) => ({ cells: [invoice.number, money(invoice.total), money(invoice.paid)] }))}
        />
        <TotalsTable rows={[{ label: "Amount paid", value: money(receipt.amount), bold: true, ruled: true }]} />
        <Paragraph tone="muted">This receipt confirms a payment received by {seller.name}. It is not a tax invoice; the invoice above shows the tax charged.</Paragraph>
      </DocumentPage>
    </Document>
  );
}

/** Render the receipt to PDF bytes. */
export function renderReceiptPdf(input: ReceiptDocumentInput): Promise<Uint8Array> {
  return renderDocument(<ReceiptDocument {...input} />);
}
