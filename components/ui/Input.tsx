import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";
import { Field, controlClasses, useField, type FieldOptions } from "./Field";

export type InputProps = Omit<ComponentProps<"input">, "name" | "id"> &
  FieldOptions & {
  name: string;
  /** Inline adornments inside the box, e.g. a currency symbol or unit ("USD", "/ month"). */
  leading?: ReactNode;
  trailing?: ReactNode;
};

export function Input({ id, label, hint, error, errorShownAt, required, hideLabel, labelAside, wrapperClassName, name, leading, trailing, className, ...rest }: InputProps) {
  const { field, control } = useField({ id, label, hint, error, errorShownAt, required, hideLabel, labelAside, wrapperClassName });
  const input = (
    <input
      {...control}
      name={name}
      className={cn(controlClasses, "h-9 px-3", leading ? "pl-9" : undefined, trailing ? "pr-14" : undefined, className)}
      {...rest}
    />
  );
  return (
    <Field {...field}>
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
