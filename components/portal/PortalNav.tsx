"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import { activeHref } from "@/components/ui/nav";

export type NavLinkItem = { href: string; label: string };

/**
 * The portal's sections. From md up they are tabs; on a phone, where six tabs cannot fit, a Menu
 * button (a disclosure: aria-expanded, Escape closes it) opens them as a list in the page's flow,
 * so no section is hidden past the edge of the screen.
 */
export function PortalNav({ items }: { items: readonly NavLinkItem[] }) {
  const pathname = usePathname() ?? "/";
  const current = activeHref(pathname, items.map((i) => i.href));
  // Open on the page it was opened on: going to another page closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const listId = useId();
  const button = useRef<HTMLButtonElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key !== "Escape" || !open) return;
    setOpenOn(null);
    button.current?.focus();
  }

  return (
    <nav aria-label="Billing portal" onKeyDown={onKeyDown} className="-mb-px">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpenOn(open ? null : pathname)}
        className="-ml-2 inline-flex h-11 items-center gap-2 rounded-md px-2 text-sm font-medium text-slate-700 hover:text-slate-900 md:hidden"
      >
        <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-5">
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
      <ul id={listId} className={cn(open ? "flex" : "hidden", "flex-col gap-0.5 pb-3 md:flex md:flex-row md:gap-1 md:pb-0")}>
        {items.map((item) => {
          const active = item.href === current;
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                onClick={() => setOpenOn(null)}
                className={cn(
                  "relative flex h-11 items-center rounded-md px-3 text-sm font-medium whitespace-nowrap transition-colors focus-visible:-outline-offset-2",
                  "md:inline-flex md:rounded-none md:rounded-t-sm md:border-b-2",
                  active
                    ? "bg-brand-50 text-brand-800 md:border-brand-600 md:bg-transparent md:text-slate-900"
                    : "text-slate-700 hover:bg-slate-100 hover:text-slate-900 md:border-transparent md:text-slate-600 md:hover:border-slate-300 md:hover:bg-transparent",
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
