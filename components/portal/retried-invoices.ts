import type { RetriedInvoice } from "@/lib/services/payment-methods/add-card";
import type { Formatter } from "@/lib/format";

export interface RetriedInvoiceView {
  invoiceId: string;
  tone: "success" | "warning" | "danger";
  text: string;
  /** Where to confirm with the bank, when it asks. */
  confirmPath: string | null;
}

/** One sentence per open invoice the new default card was charged for: paid, or why not. */
export function describeRetried(invoice: RetriedInvoice, fmt: Formatter): RetriedInvoiceView {
  const amount = fmt.money(invoice.amount, invoice.currency);
  const name = invoice.number ? `Invoice ${invoice.number}` : "Your unpaid invoice";
  const base = { invoiceId: invoice.invoiceId, confirmPath: invoice.confirmPath };
  switch (invoice.outcome) {
    case "paid":
      return { ...base, tone: "success", text: `${name} for ${amount} is now paid.` };
    case "requires_action":
      return { ...base, tone: "warning", text: `Your bank asks you to confirm the payment of ${amount} for ${invoice.number ? `invoice ${invoice.number}` : "your unpaid invoice"}.` };
    case "failed":
      return { ...base, tone: "danger", text: `${name} for ${amount} is still unpaid: ${invoice.message ?? "the payment did not go through."}` };
  }
}
