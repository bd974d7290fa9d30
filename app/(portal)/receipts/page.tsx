import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listCustomerReceipts } from "@/db/queries/receipts";
import { ButtonLink, EmptyState, PageHeader } from "@/components/ui";
import { ReceiptTable } from "@/components/receipts/ReceiptTable";
import { portalCustomer } from "@/lib/portal/customer";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Receipts · Tally" };

const SHOWN = 100;

export default async function ReceiptsPage() {
  const { customer } = await portalCustomer();
  const fmt = await portalFormatter();
  // Only this customer's receipts, newest first.
  const receipts = await listCustomerReceipts(await getDb(), customer.id, { limit: SHOWN });
  return (
    <div className="space-y-6">
      <PageHeader title="Receipts" description="A receipt for every payment we received from you, with its PDF. Each one was also emailed to you." />
      {receipts.length === 0 ? (
        <EmptyState title="No receipts yet" description="When a payment goes through, its receipt appears here." action={<ButtonLink href="/invoices" variant="secondary">See invoices</ButtonLink>} />
      ) : (
        <>
          <ReceiptTable fmt={fmt} receipts={receipts} timeZone={customer.timezone} invoiceHref={(r) => `/invoices/${r.invoiceId}`} pdfHref={(r) => `/receipts/${r.id}/pdf`} />
          {receipts.length === SHOWN ? <p className="text-sm text-slate-600">Showing your latest {SHOWN} receipts.</p> : null}
        </>
      )}
    </div>
  );
}
