import type { ComponentProps } from "react";
import { cn } from "./cn";
import { Field, controlClasses, useField, type FieldOptions } from "./Field";

export type TextareaProps = Omit<ComponentProps<"textarea">, "name" | "id"> & FieldOptions & { name: string };

export function Textarea({ id, label, hint, error, errorShownAt, required, hideLabel, labelAside, wrapperClassName, name, className, rows = 3, ...rest }: TextareaProps) {
  const { field, control } = useField({ id, label, hint, error, errorShownAt, required, hideLabel, labelAside, wrapperClassName });
  return (
    <Field {...field}>
      <textarea
        {...control}
        name={name}
        rows={rows}
        className={cn(controlClasses, "min-h-16 px-3 py-2 leading-normal", className)}
        {...rest}
      />
    </Field>
  );
}
