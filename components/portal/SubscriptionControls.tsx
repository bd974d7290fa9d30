"use client";

import { useActionState, useState, type ReactNode } from "react";
import { Button, ConfirmDialog, type ButtonVariant } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

function ErrorText({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="basis-full text-[13px] text-danger-700">
      {message}
    </p>
  );
}

/** One button posting a server action for a subscription (Keep my subscription, Undo); its error shows beside it. */
export function SubscriptionActionButton({ action, subscriptionId, label, variant = "secondary", size = "sm" }: { action: Action; subscriptionId: string; label: string; variant?: ButtonVariant; size?: "sm" | "md" }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      <Button type="submit" variant={variant} size={size} loading={pending}>
        {label}
      </Button>
      <ErrorText message={state.error} />
    </form>
  );
}

/** Submits a server action from a ConfirmDialog and keeps its error, shown next to the trigger once the dialog closes. */
function useDialogAction(action: Action) {
  const [error, setError] = useState<string | null>(null);
  const run = async (formData: FormData) => {
    setError(null);
    const result = await action({}, formData);
    if (result.error) setError(result.error);
  };
  return { error, run };
}

export interface PauseOption {
  months: number;
  /** "21 Dec 2026" */
  resumesOn: string;
}

/** Pause for 1–3 months; the confirmation states the day billing resumes and what happens to this period. */
export function PauseControl({ action, subscriptionId, options, resumeCharge }: { action: Action; subscriptionId: string; options: PauseOption[]; resumeCharge: string }) {
  const [months, setMonths] = useState(options[0]?.months ?? 1);
  const { error, run } = useDialogAction(action);
  const chosen = options.find((o) => o.months === months) ?? options[0];
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ConfirmDialog
        triggerLabel="Pause subscription"
        triggerVariant="secondary"
        title="Pause your subscription?"
        body={
          <>
            Billing stops today and resumes on <strong className="font-semibold text-slate-900">{chosen?.resumesOn}</strong>, when a new period starts and {resumeCharge} is charged
            (less any credit on your balance). Unused time this period is credited to your balance. You can resume earlier at any time.
          </>
        }
        confirmLabel={`Pause until ${chosen?.resumesOn ?? ""}`}
        cancelLabel="Keep it running"
        action={run}
        fields={{ subscriptionId }}
      >
        <fieldset>
          <legend className="mb-2 text-[13px] font-medium text-slate-800">Pause for</legend>
          <div className="space-y-2">
            {options.map((option) => (
              <label key={option.months} className="flex cursor-pointer items-center gap-2.5 rounded-md border border-slate-200 px-3 py-2 text-sm has-checked:border-brand-500 has-checked:bg-brand-50">
                <input type="radio" name="months" value={option.months} checked={months === option.months} onChange={() => setMonths(option.months)} className="size-4 accent-brand-600" />
                <span className="font-medium text-slate-900">
                  {option.months} {option.months === 1 ? "month" : "months"}
                </span>
                <span className="ml-auto text-slate-600">until {option.resumesOn}</span>
              </label>
            ))}
          </div>
        </fieldset>
      </ConfirmDialog>
      <ErrorText message={error} />
    </div>
  );
}

/** Resume now: the confirmation states what is charged today. */
export function ResumeControl({ action, subscriptionId, chargeToday, variant = "primary" }: { action: Action; subscriptionId: string; chargeToday: ReactNode; variant?: ButtonVariant }) {
  const { error, run } = useDialogAction(action);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ConfirmDialog
        triggerLabel="Resume now"
        triggerVariant={variant}
        triggerSize="sm"
        title="Resume your subscription now?"
        body={chargeToday}
        confirmLabel="Resume now"
        cancelLabel="Not yet"
        action={run}
        fields={{ subscriptionId }}
      />
      <ErrorText message={error} />
    </div>
  );
}
