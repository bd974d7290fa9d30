"use client";

import { useState, type ReactNode } from "react";
import { Alert, ConfirmDialog } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface ConfirmChangeProps {
  action: Action;
  fields: { subscriptionId: string; priceId: string; quantity: number; prorationDate: string; expectedAmountDue: number };
  triggerLabel: string;
  title: string;
  /** The money effect in words: what is charged today and next. */
  body: ReactNode;
  confirmLabel: string;
}

/** Confirm a previewed change; the server applies it with the preview's own terms, or says why it can't. */
export function ConfirmChange({ action, fields, triggerLabel, title, body, confirmLabel }: ConfirmChangeProps) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      {error ? (
        <Alert tone="danger" title="Your plan was not changed">
          {error}
        </Alert>
      ) : null}
      <ConfirmDialog
        triggerLabel={triggerLabel}
        triggerClassName="w-full"
        title={title}
        body={body}
        confirmLabel={confirmLabel}
        cancelLabel="Go back"
        fields={fields}
        action={async (formData) => {
          setError(null);
          const result = await action({}, formData);
          if (result.error) setError(result.error);
        }}
      />
    </div>
  );
}
