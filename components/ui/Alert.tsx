import type { ReactNode } from "react";
import { cn } from "./cn";

export type AlertTone = "info" | "success" | "warning" | "danger";

const tones: Record<AlertTone, { box: string; icon: string; title: string; path: string }> = {
  info: {
    box: "border-brand-200 bg-brand-50 text-brand-900",
    icon: "text-brand-600",
    title: "text-brand-900",
    path: "M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm.75-11.25a.75.75 0 1 1-1.5 0 .75.75 0 0 1 1.5 0ZM9.25 9.5a.75.75 0 0 1 1.5 0v4a.75.75 0 0 1-1.5 0v-4Z",
  },
  success: {
    box: "border-success-200 bg-success-50 text-success-800",
    icon: "text-success-600",
    title: "text-success-800",
    path: "M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.86-9.81a.75.75 0 0 0-1.22-.88l-3.24 4.5-1.6-1.6a.75.75 0 1 0-1.06 1.06l2.22 2.22a.75.75 0 0 0 1.14-.09l3.76-5.21Z",
  },
  warning: {
    box: "border-warning-200 bg-warning-50 text-warning-800",
    icon: "text-warning-600",
    title: "text-warning-800",
    path: "M8.49 2.5c.67-1.17 2.35-1.17 3.02 0l6.28 10.87c.68 1.17-.17 2.63-1.51 2.63H3.72c-1.34 0-2.19-1.46-1.51-2.63L8.49 2.5ZM10 6a.75.75 0 0 0-.75.75v3.5a.75.75 0 0 0 1.5 0v-3.5A.75.75 0 0 0 10 6Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z",
  },
  danger: {
    box: "border-danger-200 bg-danger-50 text-danger-800",
    icon: "text-danger-600",
    title: "text-danger-800",
    path: "M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM8.28 7.22a.75.75 0 0 0-1.06 1.06L8.94 10l-1.72 1.72a.75.75 0 1 0 1.06 1.06L10 11.06l1.72 1.72a.75.75 0 1 0 1.06-1.06L11.06 10l1.72-1.72a.75.75 0 0 0-1.06-1.06L10 8.94 8.28 7.22Z",
  },
};

export type AlertProps = {
  /** For a control to point at (aria-describedby) when the alert says what is wrong with it. */
  id?: string;
  tone?: AlertTone;
  title?: ReactNode;
  /** Right-aligned (stacked on mobile) action, e.g. a "Update card" ButtonLink. */
  action?: ReactNode;
  className?: string;
  children?: ReactNode;
};

/** Inline notice or error. Danger alerts use role="alert" so they are announced when they appear. */
export function Alert({ id, tone = "info", title, action, className, children }: AlertProps) {
  const t = tones[tone];
  return (
    <div
      id={id}
      role={tone === "danger" ? "alert" : "status"}
      className={cn("flex flex-col gap-3 rounded-lg border px-4 py-3 text-sm sm:flex-row sm:items-start", t.box, className)}
    >
      <div className="flex min-w-0 flex-1 gap-2.5">
        <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={cn("mt-px size-5 shrink-0", t.icon)}>
          <path fillRule="evenodd" clipRule="evenodd" d={t.path} />
        </svg>
        <div className="min-w-0 flex-1 leading-relaxed">
          {title && <p className={cn("font-medium", t.title)}>{title}</p>}
          {children && <div className={cn(title && "mt-0.5")}>{children}</div>}
        </div>
      </div>
      {action && <div className="flex shrink-0 items-center gap-2 pl-7.5 sm:pl-0">{action}</div>}
    </div>
  );
}
