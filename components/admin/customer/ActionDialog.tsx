"use client";

import { useActionState, useState, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Alert, Button, Dialog, DialogFooter, useToast, type ButtonSize, type ButtonVariant } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

export type FormValues = Record<string, string>;
export type ServerAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface ActionDialogProps {
  triggerLabel: ReactNode;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  title: ReactNode;
  description?: ReactNode;
  action: ServerAction;
  /** Hidden inputs: the customer and the row acted on. */
  hidden: Record<string, string>;
  /** The form's fields; field errors come from the action's answer. */
  fields?: (args: { values: FormValues; errors: Record<string, string> }) => ReactNode;
  /** The money effect, in plain words, recomputed as the fields change. */
  effect: (values: FormValues) => ReactNode;
  initialValues?: FormValues;
  confirmLabel: ReactNode;
  cancelLabel?: ReactNode;
  tone?: "default" | "danger";
  /** Disables confirming, e.g. while an amount is not valid yet. */
  canConfirm?: (values: FormValues) => boolean;
  /**
   * Another way to send the same form, offered when `shown(values)`: e.g. a refund above the
   * requester's limit goes to a billing admin instead. Its answer is handled like the main one.
   */
  alternative?: { label: ReactNode; action: ServerAction; shown: (values: FormValues) => boolean; disabled?: boolean };
}

/**
 * A staff action: a button opening a dialog that states the money effect, with the fields it
 * needs, confirmed by submitting a server action. Errors show next to their field (or on top);
 * success closes the dialog and confirms with a toast. Reopening starts from a fresh form.
 */
export function ActionDialog(props: ActionDialogProps) {
  const [open, setOpen] = useState(false);
  const [round, setRound] = useState(0);
  const { triggerLabel, triggerVariant = "secondary", triggerSize = "sm", title, description, tone = "default" } = props;
  return (
    <>
      <Button
        variant={triggerVariant}
        size={triggerSize}
        aria-haspopup="dialog"
        onClick={() => {
          setRound((r) => r + 1);
          setOpen(true);
        }}
      >
        {triggerLabel}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={title} description={description} tone={tone} size="lg" className="text-left font-normal whitespace-normal">
        {open ? <ActionForm key={round} {...props} onDone={() => setOpen(false)} onCancel={() => setOpen(false)} /> : null}
      </Dialog>
    </>
  );
}

function ActionForm({
  action,
  hidden,
  fields,
  effect,
  initialValues,
  confirmLabel,
  cancelLabel = "Cancel",
  tone = "default",
  canConfirm,
  alternative,
  onDone,
  onCancel,
}: ActionDialogProps & { onDone: () => void; onCancel: () => void }) {
  const { toast } = useToast();
  // Confirm from the action itself, not an effect: the refreshed page may no longer render this
  // form (a voided invoice has no actions), and the toast must still say what happened.
  const confirming = (run: ServerAction) => async (previous: ActionState, data: FormData) => {
    const result = await run(previous, data);
    if (result.ok) {
      toast({ title: result.message ?? "Done.", tone: "success" });
      onDone();
    }
    return result;
  };
  const [mainState, dispatch] = useActionState(confirming(action), {});
  const [alternativeState, dispatchAlternative] = useActionState(confirming(alternative?.action ?? action), {});
  const [latest, setLatest] = useState<"main" | "alternative">("main");
  const state = latest === "main" ? mainState : alternativeState;
  const [values, setValues] = useState<FormValues>(initialValues ?? {});
  const offered = alternative ? alternative.shown(values) : false;

  const errors = state.fieldErrors ?? {};
  const shownInline = state.error && Object.values(errors).includes(state.error);
  return (
    <form
      action={dispatch}
      noValidate
      onInput={(event) => {
        const data = new FormData(event.currentTarget);
        const next: FormValues = {};
        for (const [key, value] of data.entries()) if (typeof value === "string") next[key] = value;
        setValues(next);
      }}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="space-y-4 px-5 pb-4 text-sm text-slate-700">
        {state.error && !shownInline ? <Alert tone="danger">{state.error}</Alert> : null}
        {fields ? <div className="space-y-4">{fields({ values, errors })}</div> : null}
        <div
          role="status"
          aria-live="polite"
          data-testid="money-effect"
          className="rounded-lg border border-slate-200 bg-slate-50 px-3.5 py-3 text-sm leading-relaxed font-medium text-slate-900"
        >
          {effect(values)}
        </div>
      </div>
      <DialogFooter>
        <Button variant="secondary" onClick={onCancel} data-autofocus={fields ? undefined : ""}>
          {cancelLabel}
        </Button>
        {/* The main button comes first in the form, so Enter never sends the alternative; it is shown last. */}
        <SubmitButton tone={tone} formAction={dispatch} onClick={() => setLatest("main")} disabled={canConfirm ? !canConfirm(values) : false} className="sm:order-last">
          {confirmLabel}
        </SubmitButton>
        {alternative && offered ? (
          <SubmitButton tone="default" formAction={dispatchAlternative} onClick={() => setLatest("alternative")} disabled={alternative.disabled ?? false}>
            {alternative.label}
          </SubmitButton>
        ) : null}
      </DialogFooter>
    </form>
  );
}

function SubmitButton({
  tone,
  disabled,
  formAction,
  onClick,
  className,
  children,
}: {
  tone: "default" | "danger";
  disabled: boolean;
  formAction: (data: FormData) => void;
  onClick: () => void;
  className?: string;
  children: ReactNode;
}) {
  const { pending, action } = useFormStatus();
  return (
    <Button type="submit" variant={tone === "danger" ? "danger" : "primary"} formAction={formAction} onClick={onClick} loading={pending && action === formAction} disabled={disabled} className={className}>
      {children}
    </Button>
  );
}
