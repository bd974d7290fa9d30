"use client";

import { startTransition, useActionState, useId, useRef, useState, type FormEvent } from "react";
import { Alert, Button, ButtonLink } from "@/components/ui";
import { SandboxCardFields } from "@/components/payments/SandboxCardFields";
import { StripeCardFields, type StripeCardHandle } from "@/components/payments/StripeCardFields";
import type { ActionState } from "@/lib/actions/validated-action";
import type { RetriedInvoiceView } from "./retried-invoices";

export interface AddCardFormState extends ActionState {
  confirm?: { confirmation: string; token: string; makeDefault: boolean; cardLabel: string };
  saved?: { label: string; isDefault: boolean; invoices: RetriedInvoiceView[] };
}

export interface AddCardFormProps {
  action: (state: AddCardFormState, formData: FormData) => Promise<AddCardFormState>;
  /** With Stripe configured: the Payment Element instead of the sandbox's test-card form. */
  stripe: { publishableKey: string; startSetup: (state: ActionState, formData: FormData) => Promise<ActionState> } | null;
  /** The customer has no card yet: this one becomes the default whatever the box says. */
  firstCard: boolean;
  /** Open invoices a new default card is charged for at once, e.g. "invoice TLY-000012 ($10.00)". */
  unpaid: string[];
  /** Where "Done" and "Cancel" go: the page the customer came from. */
  returnTo: string;
  returnLabel: string;
}

/**
 * Add a card: card fields (sandbox or Stripe), "use as default", then the outcome in words — a
 * decline next to the card field, the sandbox's bank confirmation step, or the saved card with
 * what it paid.
 */
export function AddCardForm({ action, stripe, firstCard, unpaid, returnTo, returnLabel }: AddCardFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const [confirming, setConfirming] = useState(false);
  const [cardError, setCardError] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [makeDefault, setMakeDefault] = useState(true);
  const card = useRef<StripeCardHandle>(null);
  const defaultHintId = useId();
  const errorId = useId();

  if (state.saved) return <Saved saved={state.saved} returnTo={returnTo} returnLabel={returnLabel} />;

  const confirm = state.confirm && state.confirm.confirmation !== dismissed ? state.confirm : null;
  if (confirm) {
    return (
      <form action={formAction} className="space-y-4" aria-labelledby="bank-step-title">
        <input type="hidden" name="token" value={confirm.token} />
        <input type="hidden" name="confirmation" value={confirm.confirmation} />
        {confirm.makeDefault ? <input type="hidden" name="make_default" value="on" /> : null}
        <div className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-4">
          <h2 id="bank-step-title" className="text-[15px] font-semibold text-slate-900">
            Your bank asks you to confirm this card
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            {confirm.cardLabel} needs your bank&apos;s approval before it can be saved. Sandbox mode: this step stands in for your bank&apos;s
            security check. Nothing is charged.
          </p>
        </div>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={() => setDismissed(confirm.confirmation)} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {pending ? "Confirming…" : "Confirm card"}
          </Button>
        </div>
      </form>
    );
  }

  // Stripe: confirm the SetupIntent in the browser first (declines and the bank's step happen
  // there), then save the resulting PaymentMethod.
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // A new attempt: a confirmation cancelled earlier must not hide the bank's next step, even when
    // the sandbox answers the same card within the same second with the same confirmation.
    setDismissed(null);
    // Sandbox: submitted by hand, so React does not reset the form (and the checkbox) after the action.
    if (!stripe) {
      startTransition(() => formAction(form));
      return;
    }
    setCardError(null);
    setConfirming(true);
    try {
      const token = await card.current?.confirm();
      if (!token) throw new Error("The card form is still loading.");
      form.set("token", token);
      startTransition(() => formAction(form));
    } catch (error) {
      setCardError(error instanceof Error ? error.message : "Your card could not be saved.");
    } finally {
      setConfirming(false);
    }
  }

  const cancelledConfirm = dismissed !== null && state.confirm?.confirmation === dismissed;
  const error = cardError ?? state.error;
  // A decline is said once, in the form's alert; the card field points at it.
  const aboutCard = state.fieldErrors?.card ?? state.fieldErrors?.token;
  const saidInAlert = aboutCard !== undefined && aboutCard === error;
  return (
    <form action={formAction} onSubmit={submit} className="space-y-5" noValidate>
      {cancelledConfirm ? <Alert tone="info">You cancelled the bank&apos;s confirmation, so the card was not saved.</Alert> : null}
      {error ? (
        <Alert id={errorId} tone="danger" title="Card not saved">
          {error}
        </Alert>
      ) : null}
      {stripe ? (
        <StripeCardFields publishableKey={stripe.publishableKey} startSetup={stripe.startSetup} handle={card} />
      ) : (
        <SandboxCardFields error={saidInAlert ? undefined : aboutCard} errorShownAt={saidInAlert ? errorId : undefined} />
      )}
      {firstCard ? (
        <p className="text-sm text-slate-700">
          This will be your default card{unpaid.length > 0 ? `, and we'll charge ${unpaid.join(" and ")} to it right away` : ""}.
        </p>
      ) : (
        <div className="flex items-start gap-2.5">
          <input
            id={`${defaultHintId}-default`}
            type="checkbox"
            name="make_default"
            checked={makeDefault}
            onChange={(e) => setMakeDefault(e.target.checked)}
            aria-describedby={`${defaultHintId}-hint`}
            className="mt-0.5 size-4 rounded border-slate-400 text-brand-600 accent-brand-600"
          />
          <div>
            <label htmlFor={`${defaultHintId}-default`} className="text-sm font-medium text-slate-900">
              Use as my default card
            </label>
            <p id={`${defaultHintId}-hint`} className="text-[13px] text-slate-600">
              {unpaid.length > 0
                ? makeDefault
                  ? `We'll charge ${unpaid.join(" and ")} to this card right away.`
                  : `Your unpaid ${unpaid.length === 1 ? "invoice stays" : "invoices stay"} on your current card's retry schedule.`
                : "Your subscription renews with your default card."}
            </p>
          </div>
        </div>
      )}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <ButtonLink href={returnTo} variant="secondary" aria-disabled={pending || confirming || undefined}>
          Cancel
        </ButtonLink>
        <Button type="submit" loading={pending || confirming}>
          {pending || confirming ? "Saving…" : unpaid.length > 0 && (makeDefault || firstCard) ? "Save card and pay" : "Save card"}
        </Button>
      </div>
    </form>
  );
}

function Saved({ saved, returnTo, returnLabel }: { saved: NonNullable<AddCardFormState["saved"]>; returnTo: string; returnLabel: string }) {
  const unpaid = saved.invoices.some((i) => i.tone !== "success");
  return (
    <div className="space-y-4" aria-live="polite">
      <Alert tone="success" title="Card saved">
        {saved.isDefault ? `${saved.label} is now your default card.` : `${saved.label} is saved. Your default card stays as it was.`}
      </Alert>
      {saved.invoices.map((invoice) => (
        <Alert
          key={invoice.invoiceId}
          tone={invoice.tone}
          action={invoice.confirmPath ? <ButtonLink href={invoice.confirmPath} size="sm">Confirm payment</ButtonLink> : undefined}
        >
          {invoice.text}
        </Alert>
      ))}
      {unpaid ? <p className="text-sm text-slate-700">You can try another card, or pay the invoice from the Invoices page.</p> : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {returnTo !== "/payment-methods" ? (
          <ButtonLink href="/payment-methods" variant="secondary">
            View payment methods
          </ButtonLink>
        ) : null}
        <ButtonLink href={returnTo}>{returnLabel}</ButtonLink>
      </div>
    </div>
  );
}
