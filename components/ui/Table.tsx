import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export type TableProps = ComponentProps<"table"> & {
  /** Visually hidden caption for screen readers (tables should say what they list). */
  caption?: ReactNode;
  /** Classes for the scroll container (border, radius). */
  wrapperClassName?: string;
  /** Drop the outer border/radius, e.g. when the table sits flush inside a Card. */
  bare?: boolean;
};

/**
 * Scrolls horizontally inside its own box on narrow screens instead of widening the page. The box
 * takes keyboard focus (a labelled region), so it can be scrolled without a mouse (WCAG 2.1.1).
 */
export function Table({ caption, wrapperClassName, bare, className, children, ...rest }: TableProps) {
  return (
    <div
      role="region"
      aria-label={typeof caption === "string" ? caption : (rest["aria-label"] ?? "Table")}
      tabIndex={0}
      className={cn(
        "w-full overflow-x-auto",
        !bare && "rounded-lg border border-slate-200 bg-white shadow-card",
        wrapperClassName,
      )}
    >
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...rest}>
        {caption && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...rest }: ComponentProps<"thead">) {
  return <thead className={cn("border-b border-slate-200 bg-slate-50", className)} {...rest} />;
}

export function TBody({ className, ...rest }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-slate-100", className)} {...rest} />;
}

export type TRProps = ComponentProps<"tr"> & {
  /** Row highlights on hover (use when the row contains a link to a detail page). */
  interactive?: boolean;
};

export function TR({ interactive, className, ...rest }: TRProps) {
  return <tr className={cn(interactive && "transition-colors hover:bg-slate-50", className)} {...rest} />;
}

type CellAlign = { numeric?: boolean; align?: "left" | "center" | "right" };

function alignClass({ numeric, align }: CellAlign) {
  if (numeric || align === "right") return "text-right";
  if (align === "center") return "text-center";
  return "text-left";
}

export type THProps = ComponentProps<"th"> & CellAlign;

export function TH({ numeric, align, scope = "col", className, ...rest }: THProps) {
  return (
    <th
      scope={scope}
      data-numeric={numeric || undefined}
      className={cn(
        "h-9 px-3 text-xs font-medium whitespace-nowrap text-slate-600 first:pl-4 last:pr-4",
        alignClass({ numeric, align }),
        className,
      )}
      {...rest}
    />
  );
}

export type TDProps = ComponentProps<"td"> &
  CellAlign & {
    /** Secondary, muted text (ids, timestamps). */
    muted?: boolean;
    /** Allow wrapping; cells default to one line so columns stay scannable. */
    wrap?: boolean;
  };

export function TD({ numeric, align, muted, wrap, className, ...rest }: TDProps) {
  return (
    <td
      data-numeric={numeric || undefined}
      className={cn(
        "px-3 py-2.5 align-middle first:pl-4 last:pr-4",
        wrap ? "whitespace-normal" : "whitespace-nowrap",
        muted ? "text-slate-600" : "text-slate-900",
        numeric && "tabular-nums",
        alignClass({ numeric, align }),
        className,
      )}
      {...rest}
    />
  );
}

/** A full-width row for "No invoices yet" inside a table body. */
export function TEmpty({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-4 py-10 text-center text-sm text-slate-600">
        {children}
      </td>
    </tr>
  );
}
