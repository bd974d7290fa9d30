/** The colour of a share used: danger from 100%, warning from 80%. */
export function usageTone(percent: number): "danger" | "warning" | "normal" {
  return percent >= 100 ? "danger" : percent >= 80 ? "warning" : "normal";
}

const fills = { danger: "fill-danger-600", warning: "fill-warning-500", normal: "fill-brand-600" } as const;

/** A bar of the share of a budget or quota used; an SVG, because the pages' Content-Security-Policy allows no inline styles. */
export function SpendBar({ percent, label, className = "h-2 w-full" }: { percent: number; label: string; className?: string }) {
  const width = Math.min(Math.max(percent, 0), 100);
  return (
    <svg role="img" aria-label={label} viewBox="0 0 100 6" preserveAspectRatio="none" className={`${className} overflow-hidden rounded-full`} data-tone={usageTone(percent)}>
      <rect width="100" height="6" className="fill-slate-100" />
      <rect width={width} height="6" className={fills[usageTone(percent)]} />
    </svg>
  );
}
