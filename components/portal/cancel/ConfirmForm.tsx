"use client";

import { useActionState } from "react";
import { Alert, Button, ButtonLink } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** Step 3's buttons: cancel for real, or keep the subscription. */
export function ConfirmForm({ action, attemptId }: { action: Action; attemptId: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="attemptId" value={attemptId} />
      {state.error ? <Alert tone="danger">{state.error}</Alert> : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
        <ButtonLink href="/" variant="secondary">
          Keep my subscription
        </ButtonLink>
        <Button type="submit" variant="danger" loading={pending}>
          Cancel subscription
        </Button>
      </div>
    </form>
  );
}
