import { useId, type ReactNode } from "react";
import { cn } from "./cn";

export type FieldError = string | readonly string[] | null | undefined;

/** zod's flattened field errors are arrays; forms may pass either. */
export function errorText(error: FieldError): string | undefined {
  if (!error) return undefined;
  if (typeof error === "string") return error || undefined;
  const joined = error.filter(Boolean).join(" ");
  return joined || undefined;
}

/** What every labelled control accepts besides its own element's props. */
export type FieldOptions = {
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: FieldError;
  /**
   * The id of a message shown elsewhere (e.g. a form's alert) that says what is wrong with this
   * field: the control is marked invalid and described by it, instead of repeating the words.
   */
  errorShownAt?: string;
  required?: boolean;
  hideLabel?: boolean;
  labelAside?: ReactNode;
  wrapperClassName?: string;
};

/**
 * Wire a control to its label, hint and error: `field` goes to <Field>, `control` onto the
 * <input>/<select>/<textarea>. Ids come from useId (server- and client-safe), so two forms with the
 * same field names never collide.
 */
export function useField({ id: idProp, label, hint, error, errorShownAt, required, hideLabel, labelAside, wrapperClassName }: FieldOptions) {
  const autoId = useId();
  const id = idProp ?? `f${autoId.replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const message = errorText(error);
  const errorId = message ? `${id}-error` : undefined;
  const elsewhere = message ? undefined : errorShownAt;
  const describedBy = [errorId ?? elsewhere, hintId].filter(Boolean).join(" ") || undefined;
  return {
    field: { id, label, hint, hintId, error: message, errorId, required, hideLabel, labelAside, className: wrapperClassName },
    control: { id, required, "aria-invalid": message || elsewhere ? true : undefined, "aria-describedby": describedBy },
  };
}

export const controlClasses =
  "block w-full rounded-md border border-slate-300 bg-white text-sm text-slate-900 shadow-xs " +
  "placeholder:text-slate-400 transition-colors hover:border-slate-400 " +
  "focus-visible:border-brand-600 focus-visible:outline-offset-0 " +
  "disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 " +
  "read-only:bg-slate-50 " +
  "aria-invalid:border-danger-600 aria-invalid:focus-visible:outline-danger-600";

export type FieldProps = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  hintId?: string;
  /** Already-normalised error message. */
  error?: string;
  errorId?: string;
  required?: boolean;
  /** Keep the label for screen readers only (e.g. a search box with a visible placeholder). */
  hideLabel?: boolean;
  /** Small element on the label row's right, e.g. a "Forgot password?" link. */
  labelAside?: ReactNode;
  className?: string;
  children: ReactNode;
};

/** Label + control + hint + error, laid out consistently. Used by Input, Textarea and Select. */
export function Field({
  id,
  label,
  hint,
  hintId,
  error,
  errorId,
  required,
  hideLabel,
  labelAside,
  className,
  children,
}: FieldProps) {
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <div className={cn("flex items-baseline justify-between gap-2", hideLabel && !labelAside && "sr-only")}>
        <label htmlFor={id} className={cn("text-[13px] font-medium text-slate-800", hideLabel && "sr-only")}>
          {label}
          {required && (
            <span className="ml-0.5 text-danger-700" aria-hidden="true">
              *
            </span>
          )}
        </label>
        {labelAside && <div className="text-[13px]">{labelAside}</div>}
      </div>
      {children}
      {error && (
        <p id={errorId} className="flex items-start gap-1.5 text-[13px] text-danger-700">
          <svg viewBox="0 0 16 16" fill="currentColor" aria-hidden="true" className="mt-0.5 size-3.5 shrink-0">
            <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm0 3a.9.9 0 0 1 .9.9v3.2a.9.9 0 0 1-1.8 0V4.9A.9.9 0 0 1 8 4Zm0 8.2a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z" />
          </svg>
          <span>{error}</span>
        </p>
      )}
      {hint && (
        <p id={hintId} className="text-[13px] text-slate-600">
          {hint}
        </p>
      )}
    </div>
  );
}
