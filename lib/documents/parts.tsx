import type { ReactElement, ReactNode } from "react";
import { Image, Page, Text, View, renderToBuffer, type DocumentProps } from "@react-pdf/renderer";
import type { Address, TaxId } from "@/db/schema";
import { formatTaxId, isTaxIdType } from "@/lib/tax/tax-id";
import { DOCUMENT_FONTS, registerDocumentFonts } from "./fonts";
import { sellerTaxLabel } from "./tax-content";

/**
 * The parts every Tally document (invoice, credit note, receipt) is built from, for
 * @react-pdf/renderer. A document is a pure function of its input: no database, no clock, no
 * network. The caller gathers the seller (`DocumentSeller`, from the business profile and branding
 * settings: lib/documents/seller.ts), the party billed and the document's own figures, and passes
 * the reader's `locale` and `timeZone` in.
 *
 * The API, kept small:
 * - `renderDocument(<Document creationDate={the document's own date}>…</Document>)`: the PDF's bytes
 *   (the fonts registered first); the fixed date makes the same document give the same bytes.
 * - `<DocumentPage seller documentLabel>`: an A4 page in the document fonts, with the footer (seller,
 *   its tax number, the document's name and number, "Page n of m") on every page.
 * - `<Letterhead seller title facts>`: logo, seller name in the brand colour, tax number, address and
 *   email on the left; the title and the document's facts (number, dates, status) on the right.
 * - `<PartyBlock label party>` with an optional `<Stamp>` beside it (PAID, VOID).
 * - `<ItemsTable columns rows>`: the lines; `<TotalsTable rows>`: the money rows, right-aligned.
 * - `<Notice tone>`: a boxed sentence (a missing tax number, a reverse charge, a carried amount).
 * - `<SectionTitle>`, `<Paragraph>`: headings and running text after the tables.
 */

/** A document's PDF bytes, with the document fonts registered. */
export async function renderDocument(document: ReactElement<DocumentProps>): Promise<Uint8Array> {
  registerDocumentFonts();
  return new Uint8Array(await renderToBuffer(document));
}

/** The seller's logo, already in memory: documents never fetch anything. PNG or JPEG only. */
export interface DocumentLogo {
  data: Buffer;
  format: "png" | "jpg";
}

export interface DocumentSeller {
  name: string;
  /** The business profile's tax number as entered ("51 824 753 556", "IE6388047V"; "" for none): printed as "ABN …", "VAT number …". */
  taxNumber: string;
  addressLines?: readonly string[];
  email?: string | null;
  /** The business's own words at the foot of the document (payment terms, bank details…). */
  footer?: string | null;
  /** Accent colour of the business name and links, `#RRGGBB`. */
  brandColor?: string | null;
  logo?: DocumentLogo | null;
}

/** Who a document is issued to, as captured when it was issued. */
export interface DocumentParty {
  name: string | null;
  email: string;
  address: Address;
  taxIds: readonly TaxId[];
}

export const colors = { ink: "#0F172A", muted: "#57637A", rule: "#D9DDE5", danger: "#B91C1C", success: "#047857", brand: "#4F46E5", wash: "#F5F6F8" };

export type Tone = "ink" | "muted" | "danger" | "success";
const toneColor = (tone: Tone | undefined) => colors[tone ?? "ink"];

/** The brand colour when it is a valid `#RRGGBB`, else Tally's. */
export function brandColorOf(seller: Pick<DocumentSeller, "brandColor">): string {
  return /^#[0-9a-f]{6}$/i.test(seller.brandColor ?? "") ? seller.brandColor! : colors.brand;
}

/** The address as printed lines: street lines, then "City State Postcode", then the country. */
export function addressLines(address: Address): string[] {
  const cityLine = [address.city, address.state, address.postal_code].filter(Boolean).join(" ");
  return [address.line1, address.line2, cityLine, address.country].filter((l): l is string => !!l && l.trim() !== "");
}

/** "ABN 12 345 678 901", "EU VAT DE136695976": a party's tax id as printed. */
export function taxIdLabel(taxId: TaxId): string {
  const type = taxId.type;
  const value = isTaxIdType(type) ? formatTaxId(type, taxId.value) : taxId.value;
  const names: Record<string, string> = { au_abn: "ABN", nz_gst: "GST number", gb_vat: "VAT number", eu_vat: "VAT number", us_ein: "EIN", ca_bn: "BN" };
  return `${names[type] ?? type.toUpperCase().replace(/_/g, " ")} ${value}`;
}

/** "TLY-000123.pdf": a download's file name, safe for a Content-Disposition header. */
export function documentFileName(number: string): string {
  return `${number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`;
}

const A4_MARGIN = 44;
// No lineHeight anywhere: a `render` text (the page number) with one is not drawn at all, and the
// fonts' own line height (about 1.36) reads well.
const base = { fontFamily: DOCUMENT_FONTS, fontSize: 9.5, color: colors.ink };

/**
 * One A4 page (react-pdf breaks it into as many as the content needs), with the footer on every
 * page: seller · tax number · document label, and "Page n of m". `documentLabel` is e.g.
 * "Tax invoice TLY-000123"; from the second page on it is repeated at the top as "(continued)".
 */
export function DocumentPage({ seller, documentLabel, children }: { seller: DocumentSeller; documentLabel: string; children: ReactNode }) {
  const footer = [seller.name, sellerTaxLabel(seller.taxNumber), documentLabel].filter(Boolean).join("  |  ");
  return (
    <Page size="A4" style={{ ...base, paddingTop: A4_MARGIN, paddingHorizontal: A4_MARGIN, paddingBottom: A4_MARGIN + 28 }}>
      <Text fixed style={{ position: "absolute", top: 20, left: A4_MARGIN, fontSize: 8, color: colors.muted }} render={({ pageNumber }) => (pageNumber > 1 ? `${documentLabel} (continued)` : "")} />
      {children}
      <View fixed style={{ position: "absolute", bottom: 24, left: A4_MARGIN, right: A4_MARGIN, borderTopWidth: 0.5, borderTopColor: colors.rule, paddingTop: 6, paddingRight: 80, fontSize: 8, color: colors.muted }}>
        <Text>{footer}</Text>
      </View>
      {/* Its own element: a page number laid out beside other text in a row drops the whole footer. */}
      <Text fixed style={{ position: "absolute", bottom: 24, right: A4_MARGIN, width: 80, textAlign: "right", fontSize: 8, color: colors.muted }} render={({ pageNumber, totalPages }) => `Page ${pageNumber} of ${totalPages}`} />
    </Page>
  );
}

export interface Fact {
  label: string;
  value: string;
  tone?: Tone;
  bold?: boolean;
}

/** The top of the first page: the seller on the left, the document's title and facts on the right. */
export function Letterhead({ seller, title, facts }: { seller: DocumentSeller; title: string; facts: readonly Fact[] }) {
  const sellerLines = [sellerTaxLabel(seller.taxNumber), ...(seller.addressLines ?? []), seller.email].filter((l): l is string => !!l);
  return (
    <View style={{ flexDirection: "row", justifyContent: "space-between", marginBottom: 22 }}>
      <View style={{ width: "52%" }}>
        {seller.logo ? <Image src={seller.logo} style={{ maxHeight: 40, maxWidth: 160, objectFit: "contain", objectPosition: "left", marginBottom: 8 }} /> : null}
        <Text style={{ fontSize: 17, fontWeight: 700, color: brandColorOf(seller), marginBottom: 6 }}>{seller.name}</Text>
        {sellerLines.map((line, i) => (
          <Text key={i} style={{ color: colors.muted }}>
            {line}
          </Text>
        ))}
      </View>
      <View style={{ width: "44%", alignItems: "flex-end" }}>
        <Text style={{ fontSize: 17, fontWeight: 700, marginBottom: 6, textAlign: "right" }}>{title}</Text>
        {facts.map((fact) => (
          <View key={fact.label} style={{ flexDirection: "row", width: "100%" }}>
            <Text style={{ flexGrow: 1, flexBasis: 0, textAlign: "right", color: colors.muted, marginRight: 10 }}>{fact.label}</Text>
            <Text style={{ width: 122, textAlign: "right", fontWeight: fact.bold ? 700 : 400, color: toneColor(fact.tone) }}>{fact.value}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

/** A small capitalised heading over a block or table. */
export function SectionTitle({ children }: { children: ReactNode }) {
  return <Text style={{ fontSize: 8, fontWeight: 700, color: colors.muted, textTransform: "uppercase", letterSpacing: 0.6, marginBottom: 4 }}>{children}</Text>;
}

/** The party billed (or credited, or paid by): name, email, address and tax ids; `extra` lines after them. */
export function PartyBlock({ label, party, extra = [] }: { label: string; party: DocumentParty | null; extra?: readonly string[] }) {
  const lines = party ? [...(party.name ? [party.email] : []), ...addressLines(party.address), ...party.taxIds.map(taxIdLabel), ...extra] : [...extra];
  return (
    <View style={{ width: "60%" }}>
      <SectionTitle>{label}</SectionTitle>
      <Text style={{ fontWeight: 700 }}>{party ? (party.name ?? party.email) : "-"}</Text>
      {lines.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
    </View>
  );
}

/** "PAID" or "VOID": a bordered, slightly turned stamp, set beside the party block (never over text). */
export function Stamp({ text, tone, detail }: { text: string; tone: Tone; detail?: string | null }) {
  const color = toneColor(tone);
  return (
    <View style={{ alignSelf: "center", borderWidth: 2, borderColor: color, borderRadius: 4, paddingVertical: 4, paddingHorizontal: 12, transform: "rotate(-8deg)", alignItems: "center" }}>
      <Text style={{ fontSize: 16, fontWeight: 700, color }}>{text}</Text>
      {detail ? <Text style={{ fontSize: 8, color }}>{detail}</Text> : null}
    </View>
  );
}

/** The party block on the left and, when given, a stamp on the right. */
export function PartyRow({ children, stamp }: { children: ReactNode; stamp?: ReactNode }) {
  return (
    <View style={{ flexDirection: "row", justifyContent: "space-between", marginBottom: 18 }}>
      {children}
      {stamp ? <View style={{ width: "34%", alignItems: "center", justifyContent: "center" }}>{stamp}</View> : null}
    </View>
  );
}

export interface Column {
  label: string;
  /** Flex weight of the column's width; the first column takes what is left when omitted. */
  width?: number;
  align?: "left" | "right";
}

export interface ItemRow {
  cells: readonly string[];
  /** Smaller muted lines under the first cell (period, proration, discount). */
  notes?: readonly string[];
}

/** The document's lines: a header row, then one row per item; a row is never split across pages. */
export function ItemsTable({ columns, rows }: { columns: readonly Column[]; rows: readonly ItemRow[] }) {
  const cellStyle = (c: Column, i: number) => ({ flexGrow: c.width ?? (i === 0 ? 4 : 1), flexBasis: 0, textAlign: c.align ?? (i === 0 ? "left" : "right"), paddingLeft: i === 0 ? 0 : 8 }) as const;
  return (
    <View style={{ marginBottom: 14 }}>
      <View fixed style={{ flexDirection: "row", borderBottomWidth: 1, borderBottomColor: colors.ink, paddingBottom: 4, marginBottom: 2 }}>
        {columns.map((c, i) => (
          <Text key={c.label} style={{ ...cellStyle(c, i), fontSize: 8, fontWeight: 700, color: colors.muted }}>
            {c.label}
          </Text>
        ))}
      </View>
      {rows.map((row, r) => (
        <View key={r} wrap={false} style={{ flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: colors.rule, paddingVertical: 5 }}>
          {columns.map((c, i) => (
            <View key={c.label} style={cellStyle(c, i)}>
              <Text>{row.cells[i] ?? ""}</Text>
              {i === 0
                ? (row.notes ?? []).map((note, n) => (
                    <Text key={n} style={{ fontSize: 8, color: colors.muted }}>
                      {note}
                    </Text>
                  ))
                : null}
            </View>
          ))}
        </View>
      ))}
    </View>
  );
}

export interface TotalRow {
  label: string;
  value: string;
  bold?: boolean;
  tone?: Tone;
  /** A rule above the row (before the total). */
  ruled?: boolean;
}

/** The money rows under the lines, right-aligned: label and amount, the total rows bold. */
export function TotalsTable({ rows }: { rows: readonly TotalRow[] }) {
  return (
    <View wrap={false} style={{ alignSelf: "flex-end", width: "55%", marginBottom: 12 }}>
      {rows.map((row) => (
        <View key={row.label} style={{ flexDirection: "row", paddingVertical: 2.5, borderTopWidth: row.ruled ? 0.75 : 0, borderTopColor: colors.ink }}>
          <Text style={{ flexGrow: 1, flexBasis: 0, textAlign: "right", color: row.bold ? colors.ink : colors.muted, fontWeight: row.bold ? 700 : 400, ...(row.tone ? { color: toneColor(row.tone) } : {}) }}>{row.label}</Text>
          <Text style={{ width: 110, textAlign: "right", fontWeight: row.bold ? 700 : 400, color: toneColor(row.tone) }}>{row.value}</Text>
        </View>
      ))}
    </View>
  );
}

/** A boxed sentence the reader must not miss: `danger` for a problem, `muted` for information. */
export function Notice({ tone = "muted", title, children }: { tone?: Tone; title?: string; children: ReactNode }) {
  const color = toneColor(tone);
  return (
    <View wrap={false} style={{ borderLeftWidth: 3, borderLeftColor: color, backgroundColor: colors.wash, paddingVertical: 6, paddingHorizontal: 10, marginBottom: 12 }}>
      {title ? <Text style={{ fontWeight: 700, color }}>{title}</Text> : null}
      <Text>{children}</Text>
    </View>
  );
}

/** Running text after the tables; `tone` for a link or a muted footnote. */
export function Paragraph({ children, tone, size, color }: { children: ReactNode; tone?: Tone; size?: number; color?: string }) {
  return <Text style={{ marginBottom: 8, fontSize: size ?? 9.5, color: color ?? toneColor(tone) }}>{children}</Text>;
}
