"use client";

import { formatterFor, type Reader } from "@/lib/format";
import { startTransition, useActionState, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Alert, Button, CardBody, CardFooter, ConfirmDialog, Input, Select, Textarea } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";
import { summarize, type SummaryContext, type SummaryKind } from "./summaries";

export type CatalogField =
  | { kind: "text" | "date" | "money" | "number"; name: string; label: string; defaultValue?: string; hint?: string; placeholder?: string; trailing?: string; wide?: boolean; showWhen?: { name: string; in: string[] } }
  | { kind: "textarea"; name: string; label: string; defaultValue?: string; hint?: string; wide?: boolean; showWhen?: { name: string; in: string[] } }
  | {
      kind: "select";
      name: string;
      label: string;
      defaultValue?: string;
      hint?: string;
      options: { value: string; label: string }[];
      /** An empty first choice ("Choose a product"): nothing is chosen until the person chooses. */
      placeholder?: string;
      wide?: boolean;
      showWhen?: { name: string; in: string[] };
    };

/**
 * A console form whose submit first shows what it will do, in money ("New subscribers pay
 * $35.00/month…"), and runs only once confirmed. Errors come back next to their fields and the
 * typed values stay; after a success the form clears. A form the summary cannot describe yet
 * (say, an amount that is not a number) goes straight to the server, which says what to fix.
 */
export function ConfirmedForm({
  reader,
  action,
  fields,
  hidden,
  submitLabel,
  confirmTitle,
  confirmLabel,
  summary,
  context,
}: {
  reader: Reader;
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  fields: CatalogField[];
  hidden?: Record<string, string>;
  submitLabel: string;
  confirmTitle: string;
  confirmLabel: string;
  summary: SummaryKind;
  context?: SummaryContext;
}) {
  const fmt = formatterFor(reader);
  const [state, formAction, pending] = useActionState(action, {});
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState("");
  const initial = () => Object.fromEntries(fields.map((f) => [f.name, f.defaultValue ?? (f.kind === "select" && f.placeholder === undefined ? (f.options[0]?.value ?? "") : "")]));
  const [values, setValues] = useState<Record<string, string>>(initial);

  useEffect(() => {
    if (state.ok) formRef.current?.reset();
  }, [state]);

  // Submitted by hand so React does not reset the fields when the server sends back an error.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  const review = () => {
    const form = formRef.current;
    if (!form) return;
    const text = summarize(summary, Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)])), context ?? {}, fmt);
    if (text === null) return form.requestSubmit();
    setBody(text);
    setOpen(true);
  };
  const error = (name: string) => state.fieldErrors?.[name];
  const visible = (f: CatalogField) => !f.showWhen || f.showWhen.in.includes(values[f.showWhen.name] ?? "");

  return (
    <>
    <form
      id={formId}
      ref={formRef}
      action={formAction}
      onSubmit={submit}
      onKeyDown={(e) => {
        // Enter in a field reviews too: nothing is created without the confirmation.
        if (e.key === "Enter" && e.target instanceof HTMLInputElement) {
          e.preventDefault();
          review();
        }
      }}
      onChange={(e) => {
        const target = e.target as unknown as HTMLInputElement | HTMLSelectElement;
        if (target.name) setValues((v) => ({ ...v, [target.name]: target.value }));
      }}
      onReset={() => setValues(initial())}
      noValidate
    >
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <CardBody className="space-y-4">
        {state.error && !Object.values(state.fieldErrors ?? {}).includes(state.error) ? <Alert tone="danger">{state.error}</Alert> : null}
        {state.ok ? <Alert tone="success">{state.message ?? "Saved."}</Alert> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          {fields.filter(visible).map((f) => {
            const wide = f.wide ? "sm:col-span-2" : undefined;
            switch (f.kind) {
              case "select":
                return (
                  <Select key={f.name} label={f.label} name={f.name} defaultValue={f.defaultValue ?? (f.placeholder !== undefined ? "" : undefined)} hint={f.hint} options={f.options} placeholder={f.placeholder} error={error(f.name)} wrapperClassName={wide} />
                );
              case "textarea":
                return <Textarea key={f.name} label={f.label} name={f.name} defaultValue={f.defaultValue} hint={f.hint} error={error(f.name)} wrapperClassName={wide} rows={2} />;
              default:
                return (
                  <Input
                    key={f.name}
                    label={f.label}
                    name={f.name}
                    type={f.kind === "date" ? "date" : "text"}
                    inputMode={f.kind === "money" ? "decimal" : f.kind === "number" ? "numeric" : undefined}
                    defaultValue={f.defaultValue}
                    hint={f.hint}
                    placeholder={f.placeholder}
                    trailing={f.trailing}
                    error={error(f.name)}
                    wrapperClassName={wide}
                    autoComplete="off"
                  />
                );
            }
          })}
        </div>
      </CardBody>
      <CardFooter>
        <Button type="button" loading={pending} onClick={review}>
          {submitLabel}
        </Button>
      </CardFooter>
    </form>
    <ConfirmDialog open={open} onOpenChange={setOpen} title={confirmTitle} body={body} confirmLabel={confirmLabel} formId={formId} />
    </>
  );
}
