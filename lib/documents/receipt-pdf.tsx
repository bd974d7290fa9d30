import { Document, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";
import { formatMoney } from "@/lib/money";
import { DOCUMENT_FONTS, registerDocumentFonts } from "./fonts";
import type { DocumentSeller } from "./parts";
import { sellerTaxLabel } from "./tax-content";

/**
 * A receipt as a PDF (decision 043): what was received, when, how, for which invoice, from whom.
 * A pure function of its input, rendered with @react-pdf/renderer in the document fonts; the
 * document's creation date is the payment's, so the same receipt always renders the same bytes.
 * Locale and time zone are the reader's, passed in.
 */

export interface ReceiptPdfInput {
  /** The business as its invoices name it (lib/documents/seller.ts); its tax number printed as they print it. */
  seller: DocumentSeller;
  receipt: { number: string; amount: number; currency: string; methodLabel: string; paidAt: Date };
  /** The invoice(s) the payment paid: each one's total and the part of this payment applied to it. */
  invoices: readonly { number: string; total: number; paid: number }[];
  customer: { name: string | null; email: string };
  locale: string;
  timeZone: string;
}

const styles = StyleSheet.create({
  page: { fontFamily: DOCUMENT_FONTS, fontSize: 10, padding: 48, color: "#0f172a" },
  header: { flexDirection: "row", justifyContent: "space-between", marginBottom: 28 },
  seller: { fontSize: 14, fontWeight: 700 },
  muted: { color: "#64748b" },
  title: { fontSize: 20, fontWeight: 700, textAlign: "right" },
  label: { color: "#64748b", fontSize: 9, marginBottom: 2 },
  block: { marginBottom: 18 },
  amountBox: { borderWidth: 1, borderColor: "#e2e8f0", borderRadius: 4, padding: 14, marginBottom: 18 },
  amount: { fontSize: 22, fontWeight: 700 },
  row: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 5, borderBottomWidth: 1, borderBottomColor: "#f1f5f9" },
  head: { flexDirection: "row", justifyContent: "space-between", paddingBottom: 4, borderBottomWidth: 1, borderBottomColor: "#cbd5e1" },
  first: { width: "40%" },
  num: { width: "30%", textAlign: "right" },
  footer: { position: "absolute", bottom: 36, left: 48, right: 48, fontSize: 8, color: "#94a3b8" },
});

const dateIn = (at: Date, locale: string, timeZone: string) => new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone }).format(at);

export function ReceiptPdf({ seller, receipt, invoices, customer, locale, timeZone }: ReceiptPdfInput) {
  const money = (n: number) => formatMoney(n, receipt.currency, locale);
  return (
    <Document title={`Receipt ${receipt.number}`} author={seller.name} creator={seller.name} producer={seller.name} creationDate={receipt.paidAt} modificationDate={receipt.paidAt}>
      <Page size="A4" style={styles.page}>
        <View style={styles.header}>
          <View>
            <Text style={[styles.seller, seller.brandColor ? { color: seller.brandColor } : {}]}>{seller.name}</Text>
            {sellerTaxLabel(seller.taxNumber) ? <Text style={styles.muted}>{sellerTaxLabel(seller.taxNumber)}</Text> : null}
            {(seller.addressLines ?? []).map((line, i) => (
              <Text key={i} style={styles.muted}>
                {line}
              </Text>
            ))}
            {seller.email ? <Text style={styles.muted}>{seller.email}</Text> : null}
          </View>
          <View>
            <Text style={styles.title}>Receipt</Text>
            <Text style={{ textAlign: "right" }}>{receipt.number}</Text>
          </View>
        </View>
        <View style={styles.block}>
          <Text style={styles.label}>Received from</Text>
          <Text style={{ fontWeight: 700 }}>{customer.name ?? customer.email}</Text>
          {customer.name ? <Text style={styles.muted}>{customer.email}</Text> : null}
        </View>
        <View style={styles.amountBox}>
          <Text style={styles.label}>Amount paid</Text>
          <Text style={styles.amount}>{money(receipt.amount)}</Text>
          <Text style={{ marginTop: 6 }}>Paid on {dateIn(receipt.paidAt, locale, timeZone)}</Text>
          <Text>Payment method: {receipt.methodLabel}</Text>
        </View>
        <View style={styles.block}>
          <View style={styles.head}>
            <Text style={[styles.label, styles.first]}>Invoice</Text>
            <Text style={[styles.label, styles.num]}>Invoice total</Text>
            <Text style={[styles.label, styles.num]}>Paid</Text>
          </View>
          {invoices.map((invoice) => (
            <View key={invoice.number} style={styles.row}>
              <Text style={styles.first}>{invoice.number}</Text>
              <Text style={styles.num}>{money(invoice.total)}</Text>
              <Text style={styles.num}>{money(invoice.paid)}</Text>
            </View>
          ))}
        </View>
        <Text style={styles.footer}>
          This receipt confirms a payment received by {seller.name}. It is not a tax invoice; the invoice above shows the tax charged.
        </Text>
      </Page>
    </Document>
  );
}

/** The receipt's PDF bytes. */
export async function renderReceiptPdf(input: ReceiptPdfInput): Promise<Uint8Array> {
  registerDocumentFonts();
  return new Uint8Array(await renderToBuffer(<ReceiptPdf {...input} />));
}

export const receiptPdfFileName = (number: string) => `${number.replace(/[^A-Za-z0-9._-]+/g, "-")}.pdf`;
