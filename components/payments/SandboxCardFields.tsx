"use client";

import { useState } from "react";
import { Input } from "@/components/ui";
import { testCardByNumber, testCards } from "@/lib/payments/sandbox/test-cards";

/**
 * The sandbox gateway's card form. It accepts only Stripe's published test card numbers and
 * turns them into a test token in the browser: the number itself is never sent anywhere. `error`
 * is said under the card number; `errorShownAt` is the id of the form's own message about the
 * card (a decline), which the field points at instead of repeating it.
 */
export function SandboxCardFields({ error, errorShownAt }: { error?: string; errorShownAt?: string }) {
  const [number, setNumber] = useState("");
  const digits = number.replace(/\D/g, "");
  const card = testCardByNumber(digits);
  const localError = digits.length >= 16 && !card ? "The sandbox accepts only Stripe's test cards, such as 4242 4242 4242 4242." : undefined;

  return (
    <div className="space-y-3">
      <Input
        label="Card number"
        name="card_number_display"
        inputMode="numeric"
        autoComplete="off"
        placeholder="4242 4242 4242 4242"
        value={formatCardNumber(digits)}
        onChange={(e) => setNumber(e.target.value)}
        error={localError ?? error}
        errorShownAt={errorShownAt}
        hint={card ? `Test card: ${card.label}` : "Sandbox mode: use a Stripe test card."}
        required
        form="__no_submit__"
      />
      <div className="grid grid-cols-2 gap-3">
        <Input label="Expiry" name="card_expiry_display" placeholder="12 / 34" autoComplete="off" form="__no_submit__" />
        <Input label="CVC" name="card_cvc_display" placeholder="123" autoComplete="off" inputMode="numeric" form="__no_submit__" />
      </div>
      <input type="hidden" name="token" value={card?.token ?? ""} />
      <details className="text-xs text-slate-600">
        <summary className="cursor-pointer font-medium text-slate-700">Test cards</summary>
        <ul className="mt-2 space-y-1">
          {testCards.map((c) => (
            <li key={c.number} className="flex justify-between gap-3">
              <button type="button" className="font-mono text-brand-700 hover:underline" onClick={() => setNumber(c.number)}>
                {formatCardNumber(c.number)}
              </button>
              <span>{c.label}</span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function formatCardNumber(digits: string): string {
  return digits.slice(0, 16).replace(/(\d{4})(?=\d)/g, "$1 ");
}
