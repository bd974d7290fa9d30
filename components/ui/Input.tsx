import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";
import { Field, controlClasses, useFieldIds, type FieldError } from "./Field";

export type InputProps = Omit<ComponentProps<"input">, "name"> & {
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  error?: FieldError;
  hideLabel?: boolean;
  labelAside?: ReactNode;
  /** Inline adornments inside the box, e.g. a currency symbol or unit ("USD", "/ month"). */
  leading?: ReactNode;
  trailing?: ReactNode;
  /** Classes for the outer Field wrapper; `className` goes to the <input>. */
  wrapperClassName?: string;
};

export function Input({
  label,
  name,
  hint,
  error,
  hideLabel,
  labelAside,
  leading,
  trailing,
  wrapperClassName,
  id: idProp,
  className,
  required,
  ...rest
}: InputProps) {
  const f = useFieldIds(idProp, hint, error);
  const input = (
    <input
      id={f.id}
      name={name}
      required={required}
      aria-invalid={f.invalid || undefined}
      aria-describedby={f.describedBy}
      className={cn(controlClasses, "h-9 px-3", leading ? "pl-9" : undefined, trailing ? "pr-14" : undefined, className)}
      {...rest}
    />
  );
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
      {leading || trailing ? (
        <div className="relative">
          {leading && (
            <span className="pointer-events-none absolute inset-y-0 left-0 flex w-9 items-center justify-center text-slate-500">
              {leading}
            </span>
          )}
          {input}
          {trailing && (
            <span className="pointer-events-none absolute inset-y-0 right-0 flex items-center pr-3 text-[13px] text-slate-500">
              {trailing}
            </span>
          )}
        </div>
      ) : (
        input
      )}
    </Field>
  );
}
