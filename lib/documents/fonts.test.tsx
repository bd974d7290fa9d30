import { Document, Page, Text, renderToBuffer } from "@react-pdf/renderer";
import { describe, expect, it } from "vitest";
import { DOCUMENT_FONTS, registerDocumentFonts } from "./fonts";
import { pdfPageTexts } from "./pdf-text";

function sample(name: string) {
  return (
    <Document creationDate={new Date("2026-01-01T00:00:00Z")}>
      <Page size="A4" style={{ fontFamily: DOCUMENT_FONTS, padding: 40 }}>
        <Text style={{ fontWeight: 700 }}>{name}</Text>
        <Text>Москва Ελλάδα −A$1,000.00 €</Text>
      </Page>
    </Document>
  );
}

describe("document fonts", () => {
  registerDocumentFonts();

  it("prints Polish, Greek, Cyrillic and Japanese as written, in bold and regular", async () => {
    const [page] = await pdfPageTexts(await renderToBuffer(sample("Łódź Ωmega 株式会社")));
    expect(page?.replace(/\s+/g, " ")).toContain("Łódź Ωmega 株式会社");
    expect(page).toContain("Москва Ελλάδα −A$1,000.00 €");
    expect(page).not.toContain("?");
  });

  it("renders the same bytes for the same document", async () => {
    const a = await renderToBuffer(sample("Zoë Brontë"));
    const b = await renderToBuffer(sample("Zoë Brontë"));
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
