"use client";

import { formatterFor, type Reader } from "@/lib/format";
import { Input, Select } from "@/components/ui";
import { escalateRefundAction, grantCreditAction, refundAction } from "@/lib/actions/admin/customers/payments";
import { overRefundLimit } from "@/lib/auth/refund-limit";
import { toMajorString } from "@/lib/money";
import { ActionDialog, type FormValues } from "./ActionDialog";
import { money, typedMinor } from "./types";

export interface RefundDialogProps {
  /** The staff member reading (lib/format). */
  reader: Reader;
  customerId: string;
  payment: { id: string; amount: number; refunded: number; currency: string; card: string | null; invoiceLabel: string };
  /** The viewer's per-refund limit in this currency (refundLimitFor, which the server enforces too); null when the role has none. */
  limit: number | null;
  /** Whether the viewer may send a refund above their limit to billing admins. */
  canEscalate: boolean;
  /** The payment's open refund request, if any: the amount asked for, and when (formatted for the viewer). */
  openRequest: { amount: number; sentAt: string } | null;
}

export function RefundDialog({ customerId, payment, limit, canEscalate, openRequest, reader }: RefundDialogProps) {
  const fmt = formatterFor(reader);
  const m = (n: number) => money(fmt, n, payment.currency);
  const remaining = payment.amount - payment.refunded;
  const card = payment.card ?? "the card that paid";
  const typed = (v: FormValues) => typedMinor(v.amount, payment.currency);
  const overLimit = (v: FormValues) => {
    const amount = typed(v);
    return amount !== null && amount <= remaining ? overRefundLimit(limit, amount, payment.currency) : null;
  };
  // A billing admin answering a request starts from the amount asked for.
  const initial = limit === null && openRequest && openRequest.amount <= remaining ? openRequest.amount : remaining;
  return (
    <ActionDialog
      triggerLabel="Refund"
      title={`Refund a payment of ${m(payment.amount)}`}
      description={`Paid on ${payment.invoiceLabel}. A refund is issued as a credit note on that invoice.`}
      action={refundAction}
      hidden={{ customerId, paymentId: payment.id }}
      initialValues={{ amount: toMajorString(initial, payment.currency), reason: "requested_by_customer" }}
      canConfirm={(v) => {
        const amount = typed(v);
        return amount !== null && amount <= remaining && overLimit(v) === null;
      }}
      alternative={
        canEscalate
          ? { label: openRequest ? "Sent to billing admins" : "Escalate to a billing admin", action: escalateRefundAction, shown: (v) => overLimit(v) !== null, disabled: openRequest !== null }
          : undefined
      }
      fields={({ values, errors }) => (
        <>
          <Input
            label="Amount to refund"
            name="amount"
            inputMode="decimal"
            defaultValue={values.amount}
            error={errors.amount}
            required
            data-autofocus=""
            trailing={payment.currency.toUpperCase()}
            hint={`Up to ${m(remaining)} not yet refunded.${limit !== null ? ` Your refund limit is ${m(limit)} per refund.` : ""}`}
          />
          <Select
            label="Reason"
            name="reason"
            defaultValue={values.reason}
            error={errors.reason}
            options={[
              { value: "requested_by_customer", label: "Requested by the customer" },
              { value: "duplicate", label: "Duplicate charge" },
              { value: "fraudulent", label: "Fraudulent" },
            ]}
          />
        </>
      )}
      effect={(v) => {
        const amount = typed(v);
        if (amount === null) return `Enter an amount, up to ${m(remaining)}.`;
        if (amount > remaining) return `${m(amount)} is more than the ${m(remaining)} not yet refunded on this payment.`;
        const over = overLimit(v);
        if (over) {
          if (openRequest) return `${over} A refund of ${m(openRequest.amount)} on this payment was sent to billing admins on ${openRequest.sentAt} and is still open.`;
          return canEscalate ? `${over} A billing admin can make it: escalate, and they find the request on this customer's payments.` : `${over} Ask a billing admin to make it.`;
        }
        const already = payment.refunded > 0 ? ` (${m(payment.refunded)} was refunded before)` : "";
        return `Refund ${m(amount)} of ${m(payment.amount)} to ${card}${already}. The money returns to the card in 5–10 days; this cannot be undone.`;
      }}
      confirmLabel="Refund"
      tone="danger"
    />
  );
}

export function GrantCreditDialog({ customerId, currency, balance, reader }: { customerId: string; currency: string; balance: number; reader: Reader }) {
  const fmt = formatterFor(reader);
  const m = (n: number) => money(fmt, n, currency);
  return (
    <ActionDialog
      triggerLabel="Grant credit"
      title="Grant credit"
      description="Credit sits on the customer's balance and pays their next invoices before the card is charged."
      action={grantCreditAction}
      hidden={{ customerId }}
      initialValues={{ amount: "", reason: "" }}
      canConfirm={(v) => typedMinor(v.amount, currency) !== null && (v.reason ?? "").trim() !== ""}
      fields={({ values, errors }) => (
        <>
          <Input label="Amount" name="amount" inputMode="decimal" defaultValue={values.amount} error={errors.amount} required data-autofocus="" trailing={currency.toUpperCase()} />
          <Input label="Reason" name="reason" defaultValue={values.reason} error={errors.reason} required hint="The customer sees this on their balance history." maxLength={300} />
        </>
      )}
      effect={(v) => {
        const amount = typedMinor(v.amount, currency);
        if (amount === null) return `Enter an amount. The balance is ${m(balance)} now.`;
        return `Grant ${m(amount)} credit: applied to the next invoices. The balance goes from ${m(balance)} to ${m(balance + amount)}.`;
      }}
      confirmLabel="Grant credit"
    />
  );
}
