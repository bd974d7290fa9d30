import type { ReactNode } from "react";
import { cn } from "./cn";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

const tones: Record<BadgeTone, { box: string; dot: string }> = {
  neutral: { box: "bg-slate-100 text-slate-700 ring-slate-200", dot: "bg-slate-500" },
  info: { box: "bg-brand-50 text-brand-700 ring-brand-200", dot: "bg-brand-500" },
  success: { box: "bg-success-50 text-success-800 ring-success-200", dot: "bg-success-600" },
  warning: { box: "bg-warning-50 text-warning-800 ring-warning-200", dot: "bg-warning-500" },
  danger: { box: "bg-danger-50 text-danger-700 ring-danger-200", dot: "bg-danger-600" },
};

const STATUS_TONES: Record<string, BadgeTone> = {
  active: "success",
  paid: "success",
  succeeded: "success",
  trialing: "info",
  open: "info",
  draft: "info",
  past_due: "warning",
  incomplete: "warning",
  warning: "warning",
  requires_action: "warning",
  canceled: "danger",
  cancelled: "danger",
  void: "danger",
  unpaid: "danger",
  uncollectible: "danger",
  failed: "danger",
  blocked: "danger",
  paused: "neutral",
};

/** Maps a billing status (subscription, invoice, payment, dunning) to a badge tone. Unknown → neutral. */
export function statusTone(status: string): BadgeTone {
  return STATUS_TONES[status.trim().toLowerCase().replace(/[\s-]+/g, "_")] ?? "neutral";
}

/** "past_due" → "Past due". */
export function statusLabel(status: string): string {
  const words = status.trim().replace(/[_-]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type BadgeProps = {
  tone?: BadgeTone;
  /** Leading colour dot; helps scanning status columns. */
  dot?: boolean;
  className?: string;
  children: ReactNode;
};

export function Badge({ tone = "neutral", dot, className, children }: BadgeProps) {
  const t = tones[tone];
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        t.box,
        className,
      )}
    >
      {dot && <span aria-hidden="true" className={cn("size-1.5 rounded-full", t.dot)} />}
      {children}
    </span>
  );
}

/** Badge for a raw status string: tone from statusTone, label from statusLabel (override with children). */
export function StatusBadge({ status, className, children }: { status: string; className?: string; children?: ReactNode }) {
  return (
    <Badge tone={statusTone(status)} dot className={className}>
      {children ?? statusLabel(status)}
    </Badge>
  );
}
