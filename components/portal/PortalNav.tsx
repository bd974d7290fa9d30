"use client";

import Link from "next/link";
import { useId, useRef, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import { MenuToggle, useMenuOnPath } from "@/components/ui/MenuToggle";
import { activeHref } from "@/components/ui/nav";

export type NavLinkItem = { href: string; label: string };

/**
 * The portal's sections. From md up they are tabs; on a phone, where six tabs cannot fit, a Menu
 * button (a disclosure: aria-expanded, Escape closes it) opens them as a list in the page's flow,
 * so no section is hidden past the edge of the screen.
 */
export function PortalNav({ items }: { items: readonly NavLinkItem[] }) {
  const menu = useMenuOnPath();
  const current = activeHref(menu.pathname, items.map((i) => i.href));
  const listId = useId();
  const button = useRef<HTMLButtonElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key !== "Escape" || !menu.open) return;
    menu.close();
    button.current?.focus();
  }

  return (
    <nav aria-label="Billing portal" onKeyDown={onKeyDown} className="-mb-px">
      <MenuToggle
        ref={button}
        open={menu.open}
        controls={listId}
        onClick={menu.toggle}
        className="-ml-2 inline-flex h-11 items-center gap-2 rounded-md px-2 text-sm font-medium text-slate-700 hover:text-slate-900 md:hidden"
        iconClassName="size-5"
      />
      <ul id={listId} className={cn(menu.open ? "flex" : "hidden", "flex-col gap-0.5 pb-3 md:flex md:flex-row md:gap-1 md:pb-0")}>
        {items.map((item) => {
          const active = item.href === current;
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                onClick={menu.close}
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
