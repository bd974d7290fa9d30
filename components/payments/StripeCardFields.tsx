"use client";

import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import type { Stripe } from "@stripe/stripe-js";
import { useEffect, useImperativeHandle, useState, type Ref } from "react";
import { Alert, Spinner } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

/** Confirms the card with Stripe and returns the saved PaymentMethod id (`pm_…`), or throws with a message. */
export interface StripeCardHandle {
  confirm(): Promise<string>;
}

export interface StripeCardFieldsProps {
  publishableKey: string;
  /** Server action creating the SetupIntent (behind the card-testing limits). */
  startSetup: (state: ActionState, formData: FormData) => Promise<ActionState>;
  handle: Ref<StripeCardHandle>;
}

/**
 * The Payment Element: card details go from the browser to Stripe only (SAQ A). Stripe.js loads
 * here, on the payment page only, whose Content-Security-Policy allows Stripe's origins.
 */
export function StripeCardFields({ publishableKey, startSetup, handle }: StripeCardFieldsProps) {
  const [stripe, setStripe] = useState<Stripe | null>(null);
  const [clientSecret, setClientSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const setup = await startSetup({}, new FormData());
      if (cancelled) return;
      if (!setup.ok || !setup.message) {
        setError(setup.error ?? "We couldn't start the card form. Please reload the page.");
        return;
      }
      const { loadStripe } = await import("@stripe/stripe-js/pure");
      const loaded = await loadStripe(publishableKey).catch(() => null);
      if (cancelled) return;
      if (!loaded) {
        setError("We couldn't reach the payment provider. Check your connection and try again.");
        return;
      }
      setStripe(loaded);
      setClientSecret(setup.message);
    })();
    return () => {
      cancelled = true;
    };
  }, [publishableKey, startSetup]);

  if (error) return <Alert tone="danger">{error}</Alert>;
  if (!stripe || !clientSecret) return <Spinner label="Loading the secure card form…" />;
  return (
    <Elements stripe={stripe} options={{ clientSecret, appearance: { theme: "stripe" } }}>
      <ConfirmBridge handle={handle} />
      <PaymentElement />
    </Elements>
  );
}

function ConfirmBridge({ handle }: { handle: Ref<StripeCardHandle> }) {
  const stripe = useStripe();
  const elements = useElements();
  useImperativeHandle(handle, () => ({
    async confirm() {
      if (!stripe || !elements) throw new Error("The card form is still loading.");
      const result = await stripe.confirmSetup({ elements, redirect: "if_required" });
      if (result.error) throw new Error(result.error.message ?? "Your card could not be saved.");
      const method = result.setupIntent.payment_method;
      const id = typeof method === "string" ? method : method?.id;
      if (!id) throw new Error("Your card could not be saved.");
      return id;
    },
  }));
  return null;
}
