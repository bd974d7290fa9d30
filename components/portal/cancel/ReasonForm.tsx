"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { Alert, Button, ButtonLink, Select, Textarea } from "@/components/ui";
import { cn } from "@/components/ui/cn";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface ReasonFormProps {
  action: Action;
  reasons: { value: string; label: string }[];
  /** One entry: a hidden field; several: the subscriber chooses. */
  subscriptions: { id: string; label: string }[];
  selectedSubscription: string;
}

/** Step 1: why are you leaving? One reason is required; "Other" needs a few words. */
export function ReasonForm({ action, reasons, subscriptions, selectedSubscription }: ReasonFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  // Submitted by hand (not through the form's action) so React does not reset the form: after an
  // error the subscriber's choices stay as they were. Without JavaScript the action still posts.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  const [reason, setReason] = useState<string>("");
  // Controlled: React resets uncontrolled fields after an action, and an error must not lose what was typed.
  const [text, setText] = useState("");
  const [subscriptionId, setSubscriptionId] = useState(selectedSubscription);
  const groupId = useId();
  const reasonError = state.fieldErrors?.reason;
  const errorId = `${groupId}-error`;

  return (
    <form action={formAction} onSubmit={submit} className="space-y-5" noValidate>
      {state.error && !state.fieldErrors ? <Alert tone="danger">{state.error}</Alert> : null}
      {subscriptions.length > 1 ? (
        <Select
          name="subscriptionId"
          label="Subscription"
          value={subscriptionId}
          onChange={(e) => setSubscriptionId(e.target.value)}
          options={subscriptions.map((s) => ({ value: s.id, label: s.label }))}
          error={state.fieldErrors?.subscriptionId}
          required
        />
      ) : (
        <input type="hidden" name="subscriptionId" value={selectedSubscription} />
      )}
      <fieldset aria-describedby={reasonError ? errorId : undefined} aria-invalid={reasonError ? true : undefined}>
        <legend className="mb-3 text-sm font-medium text-slate-900">
          Why are you canceling?
          <span className="ml-0.5 text-danger-700" aria-hidden="true">
            *
          </span>
        </legend>
        {reasonError ? (
          <p id={errorId} className="mb-2 text-[13px] text-danger-700">
            {reasonError}
          </p>
        ) : null}
        <div className="grid gap-2 sm:grid-cols-2">
          {reasons.map((r) => (
            <label
              key={r.value}
              className={cn(
                "flex min-h-11 cursor-pointer items-center gap-3 rounded-lg border px-3 py-2.5 text-sm transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-600",
                reason === r.value ? "border-brand-600 bg-brand-50 text-slate-900" : "border-slate-300 bg-white text-slate-800 hover:border-slate-400",
              )}
            >
              <input
                type="radio"
                name="reason"
                value={r.value}
                required
                checked={reason === r.value}
                onChange={() => setReason(r.value)}
                className="size-4 shrink-0 accent-brand-600 focus-visible:outline-none"
              />
              {r.label}
            </label>
          ))}
        </div>
      </fieldset>
      {reason === "other" ? (
        <Textarea
          name="reasonText"
          value={text}
          onChange={(e) => setText(e.target.value)}
          label="Tell us more"
          hint="A sentence is enough. It helps us get better."
          error={state.fieldErrors?.reasonText}
          required
          maxLength={1000}
          rows={3}
          autoFocus
        />
      ) : (
        <Textarea name="reasonText" value={text} onChange={(e) => setText(e.target.value)} label="Anything else you'd like to tell us? (optional)" error={state.fieldErrors?.reasonText} maxLength={1000} rows={2} />
      )}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
        <ButtonLink href="/" variant="secondary">
          Keep my subscription
        </ButtonLink>
        <Button type="submit" loading={pending}>
          Continue
        </Button>
      </div>
    </form>
  );
}
