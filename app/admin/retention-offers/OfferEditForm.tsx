"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import type { RetentionOfferKind, RetentionOfferTerms } from "@/lib/billing/retention/vocabulary";
import { Alert, Button, ButtonLink, Input, Select, Textarea } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface OfferEditFormProps {
  action: Action;
  reason: string;
  offer: RetentionOfferTerms;
  enabled: boolean;
  plans: { id: string; name: string }[];
  kinds: { value: RetentionOfferKind; label: string }[];
}

/** Edit one reason's offer; only the fields of the chosen kind show. */
export function OfferEditForm({ action, reason, offer, enabled, plans, kinds }: OfferEditFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  // Submitted by hand (not through the form's action) so React does not reset the form: after an
  // error the subscriber's choices stay as they were. Without JavaScript the action still posts.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  const [kind, setKind] = useState<RetentionOfferKind>(offer.kind);
  const errors = state.fieldErrors ?? {};
  const initial = (k: RetentionOfferKind, field: string, fallback = ""): string => {
    if (offer.kind !== k) return fallback;
    const v = (offer as Record<string, unknown>)[field];
    return v === null || v === undefined ? fallback : String(v);
  };
  // Controlled, so what staff typed survives a validation error (React resets uncontrolled fields after an action).
  const [fields, setFields] = useState({
    percent: initial("discount", "percent", "25"),
    months: initial("discount", "months", "3"),
    maxMonths: initial("pause", "maxMonths", "3"),
    planId: initial("cheaper_plan", "planId"),
    message: initial("contact_support", "message"),
    url: initial("contact_support", "url"),
  });
  const [isEnabled, setEnabled] = useState(enabled);
  const bind = (name: keyof typeof fields) => ({
    name,
    value: fields[name],
    onChange: (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value })),
  });

  return (
    <form action={formAction} onSubmit={submit} className="space-y-4" noValidate>
      <input type="hidden" name="reason" value={reason} />
      {state.error ? <Alert tone="danger">{state.error}</Alert> : null}
      <Select name="kind" label="Offer" value={kind} onChange={(e) => setKind(e.target.value as RetentionOfferKind)} options={kinds} error={errors.kind} required />
      {kind === "discount" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Input {...bind("percent")} label="Percent off" type="number" inputMode="numeric" min={1} max={100} step={1} trailing="%" hint="1 to 100" error={errors.percent} required />
          <Input {...bind("months")} label="For how many months" type="number" inputMode="numeric" min={1} max={12} step={1} hint="1 to 12; monthly plans only" error={errors.months} required />
        </div>
      ) : null}
      {kind === "pause" ? (
        <Select
          {...bind("maxMonths")}
          label="Longest pause"
          options={[1, 2, 3].map((m) => ({ value: String(m), label: `${m} month${m === 1 ? "" : "s"}` }))}
          hint="Subscribers choose 1 month up to this."
          error={errors.maxMonths}
          required
        />
      ) : null}
      {kind === "cheaper_plan" ? (
        <Select
          {...bind("planId")}
          label="Plan to offer"
          options={[{ value: "", label: "The next cheaper plan of the same product" }, ...plans.map((p) => ({ value: p.id, label: p.name }))]}
          hint="Offered only when it costs less than the subscriber's plan, on the same billing interval."
          error={errors.planId}
        />
      ) : null}
      {kind === "contact_support" ? (
        <>
          <Textarea {...bind("message")} label="Message to the subscriber" maxLength={500} rows={3} error={errors.message} required />
          <Input {...bind("url")} label="Support link (optional)" type="text" inputMode="url" placeholder="https://example.com/support or mailto:help@example.com" hint="Without a link, subscribers are pointed to the billing email address." error={errors.url} />
        </>
      ) : null}
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" name="enabled" checked={isEnabled} onChange={(e) => setEnabled(e.target.checked)} className="size-4 accent-brand-600" />
        Show this offer in the cancel flow
      </label>
      <div className="flex flex-wrap justify-end gap-2">
        <ButtonLink href="/admin/retention-offers" variant="secondary">
          Cancel
        </ButtonLink>
        <Button type="submit" loading={pending}>
          Save offer
        </Button>
      </div>
    </form>
  );
}
