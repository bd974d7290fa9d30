import type { ComponentProps } from "react";
import { cn } from "./cn";
import { Field, controlClasses, useField, type FieldOptions } from "./Field";

export type SelectOption = { value: string; label: string; disabled?: boolean };

export type SelectProps = Omit<ComponentProps<"select">, "name" | "id"> &
  FieldOptions & {
    name: string;
    /** Either pass options or <option> children. */
    options?: readonly SelectOption[];
    /** Adds a first empty option (value ""), e.g. "Choose a country…". */
    placeholder?: string;
  };

export function Select({ id, label, hint, error, errorShownAt, required, hideLabel, labelAside, wrapperClassName, name, options, placeholder, className, children, ...rest }: SelectProps) {
  const { field, control } = useField({ id, label, hint, error, errorShownAt, required, hideLabel, labelAside, wrapperClassName });
  return (
    <Field {...field}>
      <div className="relative">
        <select
          {...control}
          name={name}
          className={cn(controlClasses, "h-9 appearance-none pr-9 pl-3", className)}
          {...rest}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options?.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
          {children}
        </select>
        <svg
          viewBox="0 0 20 20"
          fill="currentColor"
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-slate-500"
        >
          <path
            fillRule="evenodd"
            d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z"
            clipRule="evenodd"
          />
        </svg>
      </div>
    </Field>
  );
}
