"use client";

import { resendReceiptAction } from "@/lib/actions/admin/customers/receipts";
import { ActionDialog } from "./ActionDialog";

/** "Resend": the receipt email with its PDF, again, after a confirmation naming the recipient. */
export function ResendReceipt({ customerId, customerEmail, receipt }: { customerId: string; customerEmail: string; receipt: { id: string; number: string; amount: string } }) {
  return (
    <ActionDialog
      triggerLabel="Resend"
      title={`Email receipt ${receipt.number} again`}
      action={resendReceiptAction}
      hidden={{ customerId, receiptId: receipt.id }}
      effect={() => `Email receipt ${receipt.number} (${receipt.amount} received) to ${customerEmail}, with its PDF attached. Nothing is charged.`}
      confirmLabel="Send receipt"
    />
  );
}
