"use client";

import { startTransition, useActionState, useId, useRef, useState, type FormEvent } from "react";
import { Alert, Button } from "@/components/ui";
import { SandboxCardFields } from "@/components/payments/SandboxCardFields";
import { StripeCardFields, type StripeCardHandle } from "@/components/payments/StripeCardFields";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface CheckoutFormProps {
  action: Action;
  priceId: string;
  /** A promotion code already checked by the page: the subscription redeems it. */
  promotionCode?: string | null;
  submitLabel: string;
  /** A line under the button, e.g. that nothing is charged during a trial. */
  footnote?: string | null;
  savedCard: { label: string } | null;
  /** With Stripe configured: the Payment Element instead of the sandbox's test-card form. */
  stripe: { publishableKey: string; startSetup: Action } | null;
}

export function CheckoutForm({ action, priceId, promotionCode, submitLabel, footnote, savedCard, stripe }: CheckoutFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const [useSaved, setUseSaved] = useState(savedCard !== null);
  const [cardError, setCardError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const card = useRef<StripeCardHandle>(null);
  const stripeCard = stripe !== null && !useSaved;
  const errorId = useId();
  const legendId = useId();
  const error = cardError ?? state.error;
  // A decline is said once, in the form's alert; the card it is about points at it.
  const aboutCard = state.fieldErrors?.card ?? state.fieldErrors?.token;
  const saidInAlert = aboutCard !== undefined && aboutCard === error;

  // Stripe: confirm the card in the browser first (the details go to Stripe only), then subscribe
  // with the saved PaymentMethod's id.
  async function submitWithStripe(event: FormEvent<HTMLFormElement>) {
    if (!stripeCard) return;
    event.preventDefault();
    const form = new FormData(event.currentTarget);
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

  return (
    <form action={formAction} onSubmit={submitWithStripe} className="space-y-5">
      <input type="hidden" name="priceId" value={priceId} />
      {promotionCode ? <input type="hidden" name="promotionCode" value={promotionCode} /> : null}
      {error ? (
        <Alert id={errorId} tone="danger" title="Payment not completed">
          {error}
        </Alert>
      ) : null}
      {savedCard ? (
        <fieldset
          role="radiogroup"
          aria-labelledby={legendId}
          aria-invalid={useSaved && saidInAlert ? true : undefined}
          aria-describedby={useSaved && saidInAlert ? errorId : undefined}
          className="space-y-2"
        >
          <legend id={legendId} className="mb-1 text-sm font-medium text-slate-900">
            Payment method
          </legend>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="radio" name="card_choice" checked={useSaved} onChange={() => setUseSaved(true)} />
            {savedCard.label}
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="radio" name="card_choice" checked={!useSaved} onChange={() => setUseSaved(false)} />
            Use a new card
          </label>
        </fieldset>
      ) : null}
      {!useSaved && stripe ? <StripeCardFields publishableKey={stripe.publishableKey} startSetup={stripe.startSetup} handle={card} /> : null}
      {!useSaved && !stripe ? <SandboxCardFields error={saidInAlert ? undefined : aboutCard} errorShownAt={saidInAlert ? errorId : undefined} /> : null}
      <Button type="submit" loading={pending || confirming} fullWidth>
        {pending || confirming ? "Processing…" : submitLabel}
      </Button>
      {footnote ? <p className="text-center text-[13px] text-slate-700">{footnote}</p> : null}
      <p className="text-center text-xs text-slate-600">Payments are processed securely. Card details never reach our servers.</p>
    </form>
  );
}
