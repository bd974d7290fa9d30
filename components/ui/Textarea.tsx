import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";
import { Field, controlClasses, useFieldIds, type FieldError } from "./Field";

export type TextareaProps = Omit<ComponentProps<"textarea">, "name"> & {
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  error?: FieldError;
  hideLabel?: boolean;
  labelAside?: ReactNode;
  wrapperClassName?: string;
};

export function Textarea({
  label,
  name,
  hint,
  error,
  hideLabel,
  labelAside,
  wrapperClassName,
  id: idProp,
  className,
  required,
  rows = 3,
  ...rest
}: TextareaProps) {
  const f = useFieldIds(idProp, hint, error);
  return (
    <Field
      id={f.id}
      label={label}
      hint={hint}
      hintId={f.hintId}
      error={f.message}
      errorId={f.errorId}
      required={required}
      hideLabel={hideLabel}
      labelAside={labelAside}
      className={wrapperClassName}
    >
      <textarea
        id={f.id}
        name={name}
        rows={rows}
        required={required}
        aria-invalid={f.invalid || undefined}
        aria-describedby={f.describedBy}
        className={cn(controlClasses, "min-h-16 px-3 py-2 leading-normal", className)}
        {...rest}
      />
    </Field>
  );
}
