"use client";

import { useActionState } from "react";
import { Alert, Button, CardBody, CardFooter, Input, Select, Textarea } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

export type FormField =
  | { kind: "text" | "email" | "url" | "number" | "datetime-local"; name: string; label: string; defaultValue: string; hint?: string; placeholder?: string; required?: boolean; wide?: boolean }
  | { kind: "textarea"; name: string; label: string; defaultValue: string; hint?: string; wide?: boolean }
  | { kind: "select"; name: string; label: string; defaultValue: string; hint?: string; options: { value: string; label: string }[]; wide?: boolean }
  | { kind: "color"; name: string; label: string; defaultValue: string; hint?: string };

/** A console form from a list of fields: errors next to each field, and a submit button whose outcome shows above. */
export function FieldsForm({
  action,
  fields,
  readOnly,
  submitLabel = "Save changes",
  hidden,
}: {
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  fields: FormField[];
  readOnly?: boolean;
  submitLabel?: string;
  /** Fixed values sent with the form (e.g. the id of what it edits). */
  hidden?: Record<string, string>;
}) {
  const [state, submit, pending] = useActionState(action, {});
  const error = (name: string) => state.fieldErrors?.[name];
  return (
    <form action={submit} noValidate>
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <CardBody className="space-y-4">
        {/* A message that belongs to one of this form's fields shows next to it, not twice; any other shows here. */}
        {state.error && !fields.some((f) => state.fieldErrors?.[f.name] === state.error) && <Alert tone="danger">{state.error}</Alert>}
        {state.ok && <Alert tone="success">{state.message ?? "Saved."}</Alert>}
        <fieldset disabled={readOnly} className="grid gap-4 sm:grid-cols-2">
          {fields.map((f) => {
            const wide = "wide" in f && f.wide ? "sm:col-span-2" : undefined;
            switch (f.kind) {
              case "textarea":
                return <Textarea key={f.name} label={f.label} name={f.name} defaultValue={f.defaultValue} hint={f.hint} error={error(f.name)} wrapperClassName={wide} />;
              case "select":
                return <Select key={f.name} label={f.label} name={f.name} defaultValue={f.defaultValue} hint={f.hint} options={f.options} error={error(f.name)} wrapperClassName={wide} />;
              case "color":
                return (
                  <Input
                    key={f.name}
                    label={f.label}
                    name={f.name}
                    defaultValue={f.defaultValue}
                    hint={f.hint}
                    error={error(f.name)}
                    leading={
                      // An SVG fill, not a style attribute: the pages' Content-Security-Policy allows no inline styles.
                      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 rounded-sm border border-slate-300">
                        <rect width="16" height="16" fill={f.defaultValue} />
                      </svg>
                    }
                    pattern="#[0-9a-fA-F]{6}"
                  />
                );
              default:
                return (
                  <Input
                    key={f.name}
                    label={f.label}
                    name={f.name}
                    type={f.kind === "number" ? "text" : f.kind}
                    inputMode={f.kind === "number" ? "numeric" : undefined}
                    defaultValue={f.defaultValue}
                    hint={f.hint}
                    placeholder={f.placeholder}
                    required={f.required}
                    error={error(f.name)}
                    wrapperClassName={wide}
                  />
                );
            }
          })}
        </fieldset>
      </CardBody>
      {!readOnly && (
        <CardFooter>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </CardFooter>
      )}
    </form>
  );
}
