"use client";

import { formatterFor, type Reader } from "@/lib/format";
import { Input, Select, Textarea } from "@/components/ui";
import { toMajorString } from "@/lib/money";
import { creditNoteAction, manualPaymentAction, markUncollectibleAction, resendInvoiceAction, retryPaymentAction, voidInvoiceAction } from "@/lib/actions/admin/customers/invoices";
import { ActionDialog } from "./ActionDialog";
import { money, typedMinor } from "./types";

export interface InvoiceActionsProps {
  /** The staff member reading (lib/format). */
  reader: Reader;
  customerId: string;
  customerEmail: string;
  invoice: {
    id: string;
    label: string;
    status: string;
    currency: string;
    total: number;
    amountRemaining: number;
    amountPaid: number;
    creditApplied: number;
    /** Card payments on it not yet refunded. */
    refundableByCard: number;
    /** The card those payments used, e.g. "Visa ending 4242". */
    paidWithCard: string | null;
  };
  /** The customer's default card, for "retry now". */
  defaultCard: string | null;
  can: { void: boolean; send: boolean; retry: boolean; creditNote: boolean; manualPayment: boolean };
}

export function InvoiceActions({ customerId, customerEmail, invoice, defaultCard, can, reader }: InvoiceActionsProps) {
  const fmt = formatterFor(reader);
  const m = (n: number) => money(fmt, n, invoice.currency);
  const hidden = { customerId, invoiceId: invoice.id };
  const owed = invoice.status === "open" || invoice.status === "uncollectible";
  const buttons = [];

  if (owed && can.retry && defaultCard) {
    buttons.push(
      <ActionDialog
        key="retry"
        triggerLabel="Retry payment now"
        title={`Charge ${invoice.label} now`}
        action={retryPaymentAction}
        hidden={hidden}
        effect={() => `Charge ${m(invoice.amountRemaining)} to ${defaultCard} now for ${invoice.label}. A decline is recorded on the invoice and shown here.`}
        confirmLabel={`Charge ${m(invoice.amountRemaining)}`}
      />,
    );
  }
  if (owed && can.manualPayment) {
    buttons.push(
      <ActionDialog
        key="manual"
        triggerLabel="Record payment"
        title={`Record a payment on ${invoice.label}`}
        description="Money received outside the card gateway: a bank transfer or a cheque."
        action={manualPaymentAction}
        hidden={hidden}
        initialValues={{ amount: toMajorString(invoice.amountRemaining, invoice.currency), method: "bank_transfer", reference: "" }}
        canConfirm={(v) => {
          const amount = typedMinor(v.amount, invoice.currency);
          return amount !== null && amount <= invoice.amountRemaining;
        }}
        fields={({ values, errors }) => (
          <>
            <Input label="Amount received" name="amount" inputMode="decimal" defaultValue={values.amount} error={errors.amount} required data-autofocus="" trailing={invoice.currency.toUpperCase()} hint={`Up to ${m(invoice.amountRemaining)} still owed.`} />
            <Select
              label="Method"
              name="method"
              defaultValue={values.method}
              error={errors.method}
              options={[
                { value: "bank_transfer", label: "Bank transfer" },
                { value: "cheque", label: "Cheque" },
                { value: "other", label: "Other" },
              ]}
            />
            <Input label="Reference" name="reference" defaultValue={values.reference} error={errors.reference} hint="The bank or cheque reference: recording the same reference twice records it once." />
          </>
        )}
        effect={(v) => {
          const amount = typedMinor(v.amount, invoice.currency);
          if (amount === null) return `Enter the amount received (up to ${m(invoice.amountRemaining)}).`;
          if (amount > invoice.amountRemaining) return `${m(amount)} is more than the ${m(invoice.amountRemaining)} still owed on ${invoice.label}.`;
          const method = v.method === "cheque" ? "by cheque" : v.method === "other" ? "outside Tally" : "by bank transfer";
          const rest = invoice.amountRemaining - amount;
          return `Record ${m(amount)} received ${method} against ${invoice.label}: ${rest === 0 ? "the invoice is paid in full." : `${m(rest)} will still be owed.`} No card is charged.`;
        }}
        confirmLabel="Record payment"
      />,
    );
  }
  if ((owed || invoice.status === "paid") && can.creditNote) {
    const paid = invoice.status === "paid";
    buttons.push(
      <ActionDialog
        key="credit-note"
        triggerLabel="Issue credit note"
        title={`Credit note on ${invoice.label}`}
        description={paid ? "The invoice stays as issued; the note records what is returned and how." : "The invoice stays as issued; the note reduces what the customer owes."}
        action={creditNoteAction}
        hidden={hidden}
        initialValues={{ amount: "", outcome: paid ? (invoice.refundableByCard > 0 ? "refund" : "credit") : "credit", reason: "order_change", memo: "" }}
        canConfirm={(v) => {
          const amount = typedMinor(v.amount, invoice.currency);
          if (amount === null) return false;
          return paid ? amount <= invoice.amountPaid && (v.outcome !== "refund" || amount <= invoice.refundableByCard) : amount <= invoice.amountRemaining;
        }}
        fields={({ values, errors }) => (
          <>
            <Input label="Amount to credit" name="amount" inputMode="decimal" defaultValue={values.amount} error={errors.amount} required data-autofocus="" trailing={invoice.currency.toUpperCase()} hint="Tax included." />
            {paid ? (
              <Select
                label="What happens to the money"
                name="outcome"
                defaultValue={values.outcome}
                error={errors.outcome}
                options={[
                  { value: "refund", label: invoice.paidWithCard ? `Refund to ${invoice.paidWithCard}` : "Refund to the card", disabled: invoice.refundableByCard === 0 },
                  { value: "credit", label: "Add to the customer's credit balance" },
                  { value: "out_of_band", label: "Already repaid outside Tally" },
                ]}
              />
            ) : (
              <input type="hidden" name="outcome" value="credit" />
            )}
            <Select
              label="Reason"
              name="reason"
              defaultValue={values.reason}
              error={errors.reason}
              options={[
                { value: "order_change", label: "Order change" },
                { value: "product_unsatisfactory", label: "Product unsatisfactory" },
                { value: "duplicate", label: "Duplicate" },
                { value: "fraudulent", label: "Fraudulent" },
                { value: "other", label: "Other" },
              ]}
            />
            <Textarea label="Memo" name="memo" defaultValue={values.memo} error={errors.memo} rows={2} hint="Shown on the credit note." />
          </>
        )}
        effect={(v) => {
          const amount = typedMinor(v.amount, invoice.currency);
          if (amount === null) return paid ? `Enter an amount, up to the ${m(invoice.amountPaid)} paid.` : `Enter an amount, up to the ${m(invoice.amountRemaining)} owed.`;
          if (!paid) {
            if (amount > invoice.amountRemaining) return `${m(amount)} is more than the ${m(invoice.amountRemaining)} owed on ${invoice.label}.`;
            const rest = invoice.amountRemaining - amount;
            return `Credit ${m(amount)} on ${invoice.label}: the customer then owes ${rest === 0 ? "nothing and the invoice is settled" : m(rest)}.`;
          }
          if (amount > invoice.amountPaid) return `${m(amount)} is more than the ${m(invoice.amountPaid)} paid on ${invoice.label}.`;
          if (v.outcome === "refund") {
            if (amount > invoice.refundableByCard) return `Only ${m(invoice.refundableByCard)} can still be refunded to the card; credit the rest to the balance.`;
            return `Credit ${m(amount)} on ${invoice.label}: ${m(amount)} is refunded to ${invoice.paidWithCard ?? "the card that paid it"}.`;
          }
          if (v.outcome === "out_of_band") return `Credit ${m(amount)} on ${invoice.label}, recorded as repaid outside Tally: no money moves.`;
          return `Credit ${m(amount)} on ${invoice.label}: added to the customer's credit balance and used by their next invoices.`;
        }}
        confirmLabel="Issue credit note"
      />,
    );
  }
  if (owed && can.send) {
    buttons.push(
      <ActionDialog
        key="resend"
        triggerLabel="Resend"
        title={`Email ${invoice.label} again`}
        action={resendInvoiceAction}
        hidden={hidden}
        effect={() => `Email ${invoice.label} (${m(invoice.amountRemaining)} due) to ${customerEmail} with a link to pay it. Nothing is charged.`}
        confirmLabel="Send email"
      />,
    );
  }
  if (invoice.status === "open" && can.void) {
    buttons.push(
      <ActionDialog
        key="uncollectible"
        triggerLabel="Mark uncollectible"
        title={`Mark ${invoice.label} uncollectible`}
        action={markUncollectibleAction}
        hidden={hidden}
        tone="danger"
        effect={() => `${invoice.label} (${m(invoice.amountRemaining)} owed) is written off in reports and no longer retried automatically. The customer can still pay it.`}
        confirmLabel="Mark uncollectible"
      />,
    );
  }
  if (owed && can.void && invoice.amountPaid === 0) {
    buttons.push(
      <ActionDialog
        key="void"
        triggerLabel="Void"
        triggerVariant="danger"
        title={`Void ${invoice.label}`}
        action={voidInvoiceAction}
        hidden={hidden}
        tone="danger"
        effect={() =>
          `Void ${invoice.label} (${m(invoice.total)}): the customer will no longer owe it.${invoice.creditApplied > 0 ? ` The ${m(invoice.creditApplied)} of credit it used returns to their balance.` : ""} It keeps its number; this cannot be undone.`
        }
        confirmLabel="Void invoice"
      />,
    );
  }
  if (buttons.length === 0) return null;
  return <div className="flex flex-wrap gap-2">{buttons}</div>;
}
