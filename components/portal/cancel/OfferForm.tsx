"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import { Alert, Button, ButtonLink } from "@/components/ui";
import { cn } from "@/components/ui/cn";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface OfferFormProps {
  action: Action;
  attemptId: string;
  acceptLabel: string;
  declineHref: string;
  /** For a pause: the lengths to choose from, each with the date billing resumes. */
  pauseOptions?: { months: number; label: string }[];
}

/** Step 2's buttons: accept the offer (choosing a pause length if it is one) or go on to cancel. */
export function OfferForm({ action, attemptId, acceptLabel, declineHref, pauseOptions }: OfferFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  // Submitted by hand (not through the form's action) so React does not reset the form: after an
  // error the subscriber's choices stay as they were. Without JavaScript the action still posts.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  const [months, setMonths] = useState(pauseOptions?.[0]?.months ?? 1);
  return (
    <form action={formAction} onSubmit={submit} className="space-y-4">
      <input type="hidden" name="attemptId" value={attemptId} />
      {state.error ? <Alert tone="danger">{state.error}</Alert> : null}
      {pauseOptions && pauseOptions.length > 0 ? (
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-slate-900">How long would you like to pause?</legend>
          <div className="grid gap-2 sm:grid-cols-3">
            {pauseOptions.map((option) => (
              <label
                key={option.months}
                className={cn(
                  "flex min-h-11 cursor-pointer items-start gap-3 rounded-lg border px-3 py-2.5 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-600",
                  months === option.months ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white hover:border-slate-400",
                )}
              >
                <input
                  type="radio"
                  name="months"
                  value={option.months}
                  checked={months === option.months}
                  onChange={() => setMonths(option.months)}
                  className="mt-0.5 size-4 shrink-0 accent-brand-600 focus-visible:outline-none"
                />
                <span className="text-slate-800">{option.label}</span>
              </label>
            ))}
          </div>
          {state.fieldErrors?.months ? <p className="mt-2 text-[13px] text-danger-700">{state.fieldErrors.months}</p> : null}
        </fieldset>
      ) : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
        <ButtonLink href={declineHref} variant="ghost">
          No thanks, continue to cancel
        </ButtonLink>
        <Button type="submit" loading={pending}>
          {acceptLabel}
        </Button>
      </div>
    </form>
  );
}
