import type { ReactNode } from "react";
import { cn } from "./cn";

export type DescriptionItem = { label: ReactNode; value: ReactNode; key?: string };

export type DescriptionListProps = {
  /** Rows; alternatively compose <DescriptionRow> children. */
  items?: readonly DescriptionItem[];
  className?: string;
  children?: ReactNode;
};

/** Label/value rows for detail pages; stacks on phones, two columns from `sm`. */
export function DescriptionList({ items, className, children }: DescriptionListProps) {
  return (
    <dl className={cn("divide-y divide-slate-100", className)}>
      {items?.map((item, i) => (
        <DescriptionRow key={item.key ?? i} label={item.label}>
          {item.value}
        </DescriptionRow>
      ))}
      {children}
    </dl>
  );
}

export function DescriptionRow({ label, children, className }: { label: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div className={cn("grid grid-cols-1 gap-1 py-2.5 sm:grid-cols-3 sm:gap-4", className)}>
      <dt className="text-[13px] font-medium text-slate-600 sm:pt-px">{label}</dt>
      <dd className="min-w-0 text-sm break-words text-slate-900 sm:col-span-2">{children ?? "—"}</dd>
    </div>
  );
}
