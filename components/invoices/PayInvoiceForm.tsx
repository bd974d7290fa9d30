"use client";

import Link from "next/link";
import { useActionState, useId, useState } from "react";
import { Alert, Button, ButtonLink, cn } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface SavedCard {
  id: string;
  /** "Visa ending 4242". */
  label: string;
  /** "Expires 12/2034". */
  detail: string;
  isDefault: boolean;
}

export interface PayInvoiceFormProps {
  action: Action;
  invoiceId: string;
  /** The amount that will be charged, formatted ("$10.00"). */
  amount: string;
  cards: readonly SavedCard[];
  /** Where to add a card and come back (/payment-methods/add?return=/invoices/<id>). */
  addCardHref: string;
}

/** Pay an open invoice now: the default card is preselected; any other saved card, or add one. */
export function PayInvoiceForm({ action, invoiceId, amount, cards, addCardHref }: PayInvoiceFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const [chosen, setChosen] = useState(() => (cards.find((c) => c.isDefault) ?? cards[0])?.id ?? "");
  const legendId = useId();
  const errorId = useId();
  const alertId = useId();

  if (cards.length === 0) {
    return (
      <Alert tone="info" title="No saved card" action={<ButtonLink href={addCardHref}>Add a card</ButtonLink>}>
        Add a card to pay {amount} now. You&apos;ll come back here to finish.
      </Alert>
    );
  }

  const card = cards.find((c) => c.id === chosen);
  const fieldError = state.fieldErrors?.paymentMethodId;
  // A decline is said once, in the form's alert; the choice of card points at it.
  const saidInAlert = fieldError !== undefined && fieldError === state.error;
  const describedBy = fieldError ? (saidInAlert ? alertId : errorId) : undefined;
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="invoiceId" value={invoiceId} />
      {state.error ? (
        <Alert id={alertId} tone="danger" title="Payment not completed">
          {state.error}
        </Alert>
      ) : null}
      <fieldset role="radiogroup" aria-labelledby={legendId} aria-describedby={describedBy} aria-invalid={fieldError ? true : undefined} className="space-y-2">
        <legend id={legendId} className="mb-2 text-[13px] font-medium text-slate-800">
          Pay with
        </legend>
        {cards.map((c) => (
          <label
            key={c.id}
            className={cn(
              "flex cursor-pointer items-center gap-3 rounded-md border px-3 py-2.5 text-sm transition-colors has-focus-visible:outline-2 has-focus-visible:outline-brand-600",
              chosen === c.id ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white hover:border-slate-400",
            )}
          >
            <input type="radio" name="paymentMethodId" value={c.id} checked={chosen === c.id} onChange={() => setChosen(c.id)} className="size-4 accent-brand-600" />
            <span className="min-w-0 flex-1">
              <span className="font-medium text-slate-900">{c.label}</span>
              {c.isDefault ? <span className="ml-2 text-xs font-medium text-slate-600">Default</span> : null}
              <span className="block text-[13px] text-slate-600">{c.detail}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {fieldError && !saidInAlert ? (
        <p id={errorId} className="text-[13px] text-danger-700">
          {fieldError}
        </p>
      ) : null}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <Link href={addCardHref} className="text-sm font-medium text-brand-700 hover:underline">
          Use a new card
        </Link>
        <Button type="submit" loading={pending} className="w-full sm:w-auto">
          {pending ? "Processing…" : `Pay ${amount} now`}
        </Button>
      </div>
      <p className="text-xs text-slate-600">
        {card ? `${card.label} is charged ${amount} once. ` : ""}If your bank asks you to confirm the payment, we&apos;ll take you to that step.
      </p>
    </form>
  );
}
