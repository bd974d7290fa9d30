"use client";

import { useActionState } from "react";
import { Alert, Button, ButtonLink } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

export interface SandboxConfirmPaymentProps {
  /** The server action, bound to the link's token. */
  action: (state: ActionState) => Promise<ActionState>;
  cancelHref: string;
}

/**
 * The sandbox's stand-in for the bank's 3-D Secure screen: Confirm completes the payment, Cancel
 * leaves the invoice open. Works without JavaScript too (a plain form post).
 */
export function SandboxConfirmPayment({ action, cancelHref }: SandboxConfirmPaymentProps) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-4">
      {state.error ? <Alert tone="danger" title="Payment not confirmed">{state.error}</Alert> : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <ButtonLink href={cancelHref} variant="secondary" aria-disabled={pending || undefined}>
          Cancel
        </ButtonLink>
        <Button type="submit" loading={pending}>
          {pending ? "Confirming…" : "Confirm payment"}
        </Button>
      </div>
    </form>
  );
}
