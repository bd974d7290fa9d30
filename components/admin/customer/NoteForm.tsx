"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { useFormStatus } from "react-dom";
import { Alert, Button, Textarea, useToast } from "@/components/ui";
import { addNoteAction, escalateAction, resolveEscalationAction } from "@/lib/actions/admin/customers/notes";
import type { ActionState } from "@/lib/actions/validated-action";
import { ActionDialog } from "./ActionDialog";

/** Write a note; or, with the same text, escalate to a billing admin. Cleared after saving. */
export function NoteForm({ customerId, canNote, canEscalate }: { customerId: string; canNote: boolean; canEscalate: boolean }) {
  const [noteState, addNote] = useActionState(addNoteAction, {});
  const [escalateState, escalate] = useActionState(escalateAction, {});
  const [latest, setLatest] = useState<"note" | "escalate">("note");
  const state = latest === "note" ? noteState : escalateState;
  const formRef = useRef<HTMLFormElement>(null);
  const { toast } = useToast();
  const handled = useRef<ActionState | null>(null);

  useEffect(() => {
    if (state === handled.current || !state.ok) return;
    handled.current = state;
    formRef.current?.reset();
    toast({ title: state.message ?? "Saved.", tone: "success" });
  }, [state, toast]);

  const error = state.fieldErrors?.body;
  return (
    <form ref={formRef} className="space-y-3" noValidate>
      <input type="hidden" name="customerId" value={customerId} />
      {state.error && state.error !== error ? <Alert tone="danger">{state.error}</Alert> : null}
      <Textarea label="New note" name="body" rows={3} maxLength={5000} error={error} hint="Staff only: the customer never sees notes. Notes cannot be edited or deleted." />
      <div className="flex flex-wrap gap-2">
        {canNote ? (
          <Pending formAction={addNote} onClick={() => setLatest("note")} variant="primary">
            Add note
          </Pending>
        ) : null}
        {canEscalate ? (
          <Pending formAction={escalate} onClick={() => setLatest("escalate")} variant="secondary">
            Escalate to a billing admin
          </Pending>
        ) : null}
      </div>
    </form>
  );
}

function Pending({ formAction, onClick, variant, children }: { formAction: (data: FormData) => void; onClick: () => void; variant: "primary" | "secondary"; children: string }) {
  const { pending, action } = useFormStatus();
  return (
    <Button type="submit" formAction={formAction} onClick={onClick} variant={variant} size="sm" loading={pending && action === formAction}>
      {children}
    </Button>
  );
}

export function ResolveEscalationDialog({ customerId, escalationId, excerpt }: { customerId: string; escalationId: string; excerpt: string }) {
  return (
    <ActionDialog
      triggerLabel="Resolve"
      title="Resolve the escalation"
      description={`“${excerpt}”`}
      action={resolveEscalationAction}
      hidden={{ customerId, escalationId }}
      initialValues={{ body: "" }}
      canConfirm={(v) => (v.body ?? "").trim() !== ""}
      fields={({ values, errors }) => <Textarea label="What was done" name="body" rows={3} defaultValue={values.body} error={errors.body} required data-autofocus="" />}
      effect={() => "The escalation is closed with your note; no money moves. It leaves the billing admins' open list."}
      confirmLabel="Resolve"
    />
  );
}
