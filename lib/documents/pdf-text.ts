import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * The text a reader's PDF viewer finds on each page of a document, one string per page, with pdf.js
 * (what Firefox uses). Tests use it to check what a rendered invoice, credit note or receipt says.
 * Text items are joined as pdf.js reports them: runs that change font (a Latin name followed by
 * Japanese) come as separate items, so they are concatenated without a separator within a line.
 */
export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    let text = "";
    for (const item of content.items) {
      if (!("str" in item)) continue;
      text += item.str;
      if (item.hasEOL) text += "\n";
    }
    pages.push(text);
  }
  await pdf.destroy();
  return pages;
}
