import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { findCreditNote } from "@/db/queries/credit-notes";
import { findInvoice } from "@/db/queries/invoices";
import { GET as getHostedPdf } from "@/app/(public)/i/[token]/pdf/route";
import { creditNotePdfResponse, invoicePdfResponse } from "@/lib/documents/pdf-response";
import { pdfPageTexts } from "@/lib/documents/pdf-text";
import { getSetting, setSetting } from "@/lib/services/settings/settings";
import { ctx } from "../services/support";
import { auCustomer, creditNote, newKey, paidTenDollarInvoice } from "../invoices/support";
const textOf = async (response: Response) => (await pdfPageTexts(new Uint8Array(await response.arrayBuffer()))).join(" ").replace(/\s+/g, " ");

async function withProfile<T>(taxNumber: string, policy: "flag" | "refuse", run: () => Promise<T>): Promise<T> {
  const db = await getDb();
  const before = { profile: await getSetting(db, "business.profile"), policy: await getSetting(db, "documents.missing_tax_number") };
  await setSetting(ctx(db), "business.profile", { ...before.profile, name: "Acme Learning Pty Ltd", taxNumber });
  await setSetting(ctx(db), "documents.missing_tax_number", policy);
  try {
    return await run();
  } finally {
    await setSetting(ctx(db), "business.profile", before.profile);
    await setSetting(ctx(db), "documents.missing_tax_number", before.policy);
  }
}

describe("document downloads", () => {
  it("the hosted link's PDF is served to anyone holding the token, and an unknown token is a 404", async () => {
    const { key } = await newKey();
    const customer = await auCustomer({ name: "Łódź Ωmega 株式会社" });
    const invoice = await paidTenDollarInvoice(key, customer.id);
    expect(invoice.pdf_url).toBe(`${invoice.hosted_invoice_url}/pdf`);
    const token = new URL(invoice.hosted_invoice_url!).pathname.split("/").pop()!;
    await withProfile("51 824 753 556", "refuse", async () => {
      const response = await getHostedPdf(new Request(invoice.pdf_url!), { params: Promise.resolve({ token }) });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${invoice.number}.pdf"`);
      const text = await textOf(response);
      expect(text).toContain(`Invoice number ${invoice.number}`);
      expect(text).toContain("Tax invoice");
      expect(text).toContain("ABN 51 824 753 556");
      expect(text).toContain("Łódź Ωmega 株式会社");
    });
    const missing = await getHostedPdf(new Request(`${invoice.pdf_url!}x`), { params: Promise.resolve({ token: `${token}x` }) });
    expect(missing.status).toBe(404);
  });

  it("a tax invoice without the seller's ABN is printed with a notice (flag) or refused with a 409 naming it (refuse); so is its credit note", async () => {
    const { key } = await newKey();
    const customer = await auCustomer();
    const paid = await paidTenDollarInvoice(key, customer.id);
    const note = await creditNote(key, { invoice: paid.id, amount: 500, outcome: "out_of_band" });
    const db = await getDb();
    const invoice = (await findInvoice(db, paid.id))!;
    const cn = (await findCreditNote(db, note.id))!;

    await withProfile("", "flag", async () => {
      const response = await invoicePdfResponse(db, invoice);
      expect(response.status).toBe(200);
      expect(await textOf(response)).toContain("This document does not show the seller's ABN");
      const credit = await creditNotePdfResponse(db, cn);
      expect(credit.status).toBe(200);
      const creditText = await textOf(credit);
      expect(creditText).toContain(`Adjusts tax invoice ${paid.number}`);
      expect(creditText).toContain("This document does not show the seller's ABN");
    });

    await withProfile("", "refuse", async () => {
      for (const response of [await invoicePdfResponse(db, invoice), await creditNotePdfResponse(db, cn)]) {
        expect(response.status).toBe(409);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        const problem = (await response.json()) as { code: string; detail: string; missing: string[] };
        expect(problem.code).toBe("conflict");
        expect(problem.detail).toContain("must show the seller's ABN");
        expect(problem.missing).toEqual(["the seller's ABN"]);
      }
    });
  });
});
