import path from "node:path";
import { Font } from "@react-pdf/renderer";

/**
 * The fonts Tally's PDFs (invoices, credit notes, receipts) are set in, shipped in the repository
 * (assets/fonts, SIL Open Font License): Noto Sans for Latin, Greek and Cyrillic, then Noto Sans JP
 * for Japanese and the CJK ideographs a Chinese name uses. React-pdf takes the first family in the
 * list that has a glyph, so "Łódź Ωmega 株式会社" prints as written instead of as "?". Only the glyphs
 * a document uses are embedded, so a PDF stays small.
 *
 * Not covered: scripts that need right-to-left layout or complex shaping (Arabic, Hebrew, the Indic
 * scripts), which react-pdf does not lay out; Hangul, which Noto Sans JP lacks.
 */
export const DOCUMENT_FONTS = ["Noto Sans", "Noto Sans JP"];

const FONT_DIR = path.join(process.cwd(), "assets", "fonts");

let registered = false;

/** Registers the document fonts once per process; every renderer calls it before rendering. */
export function registerDocumentFonts(): void {
  if (registered) return;
  registered = true;
  Font.register({
    family: "Noto Sans",
    fonts: [
      { src: path.join(FONT_DIR, "NotoSans-Regular.ttf"), fontWeight: 400 },
      { src: path.join(FONT_DIR, "NotoSans-Bold.ttf"), fontWeight: 700 },
    ],
  });
  // One weight: bold CJK text is set in the regular weight rather than shipping a second 5 MB font.
  Font.register({
    family: "Noto Sans JP",
    fonts: [
      { src: path.join(FONT_DIR, "NotoSansJP-Regular.ttf"), fontWeight: 400 },
      { src: path.join(FONT_DIR, "NotoSansJP-Regular.ttf"), fontWeight: 700 },
    ],
  });
  // Words are never broken with a hyphen: names, numbers and ids print whole, the same way every time.
  Font.registerHyphenationCallback((word) => [word]);
}
