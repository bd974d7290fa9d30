import { Notice, Paragraph } from "./parts";
import { missingWords, type TaxContent } from "./tax-content";

/**
 * The tax wording under a document's totals, and the notice printed on a document that lacks
 * required tax content (when the business's setting flags rather than refuses it).
 */

/** "This tax invoice is missing the seller's ABN…": printed at the top, never hidden. */
export function MissingTaxContentNotice({ missing }: { missing: readonly string[] }) {
  if (missing.length === 0) return null;
  return (
    <Notice tone="danger" title="Incomplete tax document">
      This document does not show {missingWords(missing)}, which the tax rules require. Ask the seller for a corrected copy.
    </Notice>
  );
}

/** The reverse-charge sentence (Article 196) and "No GST is charged" where they apply. */
export function TaxNotes({ content, taxName }: { content: TaxContent; taxName: string }) {
  return (
    <>
      {content.reverseChargeWording ? <Notice>{content.reverseChargeWording}</Notice> : null}
      {content.noGstCharged ? <Paragraph tone="muted" size={8.5}>No {taxName} is charged on this {content.title === "Tax invoice" ? "invoice" : "document"}.</Paragraph> : null}
    </>
  );
}
