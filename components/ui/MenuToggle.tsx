"use client";

import { usePathname } from "next/navigation";
import { useState, type Ref } from "react";

/**
 * The open state of a nav that collapses behind a Menu button on small screens. It is open only on
 * the path it was opened on, so going to another page closes it.
 */
export function useMenuOnPath() {
  const pathname = usePathname() ?? "/";
  const [openedOn, setOpenedOn] = useState<string | null>(null);
  const open = openedOn === pathname;
  return { pathname, open, toggle: () => setOpenedOn(open ? null : pathname), close: () => setOpenedOn(null) };
}

/** The Menu button (a disclosure) that shows or hides the nav with id `controls`. */
export function MenuToggle({
  open,
  controls,
  onClick,
  className,
  iconClassName,
  ref,
}: {
  open: boolean;
  controls: string;
  onClick: () => void;
  className: string;
  iconClassName: string;
  ref?: Ref<HTMLButtonElement>;
}) {
  return (
    <button ref={ref} type="button" aria-expanded={open} aria-controls={controls} onClick={onClick} className={className}>
      <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={iconClassName}>
        {open ? (
          <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
        ) : (
          <path
            fillRule="evenodd"
            clipRule="evenodd"
            d="M2 4.75A.75.75 0 0 1 2.75 4h14.5a.75.75 0 0 1 0 1.5H2.75A.75.75 0 0 1 2 4.75ZM2 10a.75.75 0 0 1 .75-.75h14.5a.75.75 0 0 1 0 1.5H2.75A.75.75 0 0 1 2 10Zm0 5.25a.75.75 0 0 1 .75-.75h14.5a.75.75 0 0 1 0 1.5H2.75a.75.75 0 0 1-.75-.75Z"
          />
        )}
      </svg>
      Menu
    </button>
  );
}
