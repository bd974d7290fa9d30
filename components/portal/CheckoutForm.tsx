"use client";

import { useActionState, useState } from "react";
import { Alert, Button } from "@/components/ui";
import { SandboxCardFields } from "@/components/payments/SandboxCardFields";
import type { ActionState } from "@/lib/actions/validated-action";

export interface CheckoutFormProps {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  priceId: string;
  submitLabel: string;
  savedCard: { label: string } | null;
}

export function CheckoutForm({ action, priceId, submitLabel, savedCard }: CheckoutFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const [useSaved, setUseSaved] = useState(savedCard !== null);

  return (
    <form action={formAction} className="space-y-5">
      <input type="hidden" name="priceId" value={priceId} />
      {state.error ? <Alert tone="danger" title="Payment not completed">{state.error}</Alert> : null}
      {savedCard ? (
        <fieldset className="space-y-2">
          <legend className="mb-1 text-sm font-medium text-slate-900">Payment method</legend>
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
      {!useSaved ? <SandboxCardFields error={state.fieldErrors?.card ?? state.fieldErrors?.token} /> : null}
      <Button type="submit" loading={pending} fullWidth>
        {pending ? "Processing…" : submitLabel}
      </Button>
      <p className="text-center text-xs text-slate-500">Payments are processed securely. Card details never reach our servers.</p>
    </form>
  );
}
