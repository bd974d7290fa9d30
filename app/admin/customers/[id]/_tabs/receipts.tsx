import { getDb } from "@/db/client";
import { listCustomerReceipts, listCustomerReceiptSends } from "@/db/queries/receipts";
import { ResendReceipt } from "@/components/admin/customer/ResendReceipt";
import { ReceiptTable } from "@/components/receipts/ReceiptTable";
import { EmptyState } from "@/components/ui";
import { consoleFormatter } from "@/lib/auth/console-formatter";
import { customerHref, type TabProps } from "./context";

/** The customer's receipts, one per payment received, with their PDF, when each was emailed, and a resend. */
export async function ReceiptsTab({ customer, allowed }: TabProps) {
  const db = await getDb();
  const fmt = await consoleFormatter();
  const [receipts, sends] = await Promise.all([listCustomerReceipts(db, customer.id), listCustomerReceiptSends(db, customer.id)]);
  if (receipts.length === 0) return <EmptyState title="No receipts" description="A receipt is issued and emailed for every payment received: by card or recorded by staff." />;
  const sentOf = (receiptId: string) => sends.filter((s) => s.receiptId === receiptId);
  return (
    <ReceiptTable
      fmt={fmt}
      receipts={receipts}
      timeZone={customer.timezone}
      invoiceHref={() => customerHref(customer.id, { tab: "invoices" })}
      pdfHref={(r) => `/admin/receipts/${r.id}/pdf`}
      detail={(r) => {
        const sent = sentOf(r.id);
        const last = sent[0];
        return last ? `Emailed ${sent.length === 1 ? "once" : `${sent.length} times`}, last ${fmt.dateTime(last.createdAt, customer.timezone)}` : "Not emailed yet";
      }}
      actions={allowed.send ? (r) => <ResendReceipt customerId={customer.id} customerEmail={customer.email} receipt={{ id: r.id, number: r.number, amount: fmt.money(r.amount, r.currency) }} /> : undefined}
    />
  );
}
