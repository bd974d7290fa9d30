"use client";

import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { Alert, Button, ButtonLink } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

export interface StripeConfirmPaymentProps {
  publishableKey: string;
  /** The PaymentIntent's client secret: lets stripe.js show the bank's authentication. */
  clientSecret: string;
  /** The saved card (`pm_…`) the charge was made with: confirmed again, on-session. */
  paymentMethod: string | null;
  /** Where a redirect-based authentication comes back to: this page. */
  returnUrl: string;
  /** The server action, bound to the link's token: re-reads the PaymentIntent and records it. */
  action: (state: ActionState) => Promise<ActionState>;
  cancelHref: string;
}

/**
 * Stripe's on-session confirmation: stripe.js `confirmPayment` shows the bank's 3-D Secure step,
 * then the server re-reads the PaymentIntent (never trusting the browser's word). Stripe.js is
 * loaded only here and only when the customer presses Confirm (or returns from a redirect).
 */
export function StripeConfirmPayment({ publishableKey, clientSecret, paymentMethod, returnUrl, action, cancelHref }: StripeConfirmPaymentProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const [busy, setBusy] = useState(false);
  const [stripeError, setStripeError] = useState<string | null>(null);
  const resumed = useRef(false);

  // Back from a redirect-based authentication: Stripe added redirect_status to the return URL.
  useEffect(() => {
    if (resumed.current || !new URLSearchParams(window.location.search).has("redirect_status")) return;
    resumed.current = true;
    startTransition(() => formAction());
  }, [formAction]);

  async function confirm() {
    setBusy(true);
    setStripeError(null);
    try {
      const { loadStripe } = await import("@stripe/stripe-js/pure");
      const stripe = await loadStripe(publishableKey);
      if (!stripe) throw new Error("Stripe.js did not load");
      const result = await stripe.confirmPayment({
        clientSecret,
        confirmParams: { return_url: returnUrl, ...(paymentMethod ? { payment_method: paymentMethod } : {}) },
        redirect: "if_required",
      });
      if (result.error) {
        // Nothing changed on our side: the customer can try again, or cancel.
        setStripeError(result.error.message ?? "Your bank did not confirm the payment.");
        return;
      }
      startTransition(() => formAction());
    } catch {
      setStripeError("We couldn't reach the payment provider. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const error = stripeError ?? state.error;
  const working = busy || pending;
  return (
    <div className="space-y-4">
      {error ? <Alert tone="danger" title="Payment not confirmed">{error}</Alert> : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <ButtonLink href={cancelHref} variant="secondary" aria-disabled={working || undefined}>
          Cancel
        </ButtonLink>
        <Button onClick={() => void confirm()} loading={working}>
          {working ? "Confirming…" : "Confirm payment"}
        </Button>
      </div>
    </div>
  );
}
