"use client";

import Link from "next/link";
import { useId, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { MenuToggle, useMenuOnPath } from "@/components/ui/MenuToggle";
import { activeHref } from "@/components/ui/nav";

function itemClass(active: boolean): string {
  return cn(
    "flex h-8 items-center rounded-md px-2 text-[13px] font-medium transition-colors focus-visible:outline-offset-0",
    active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
  );
}

export type AdminNavSection = { label: string; items: { href: string; label: string }[] };

/**
 * Sidebar body: on lg+ always visible; below lg a "Menu" button reveals it under the top bar.
 */
export function AdminSidebar({
  nav,
  brand,
  footer,
}: {
  nav: readonly AdminNavSection[];
  brand: ReactNode;
  footer: ReactNode;
}) {
  const menu = useMenuOnPath();
  const panelId = useId();
  const current = activeHref(menu.pathname, nav.flatMap((s) => s.items.map((i) => i.href)));

  return (
    <div className="flex flex-col lg:h-full">
      <div className="flex h-14 shrink-0 items-center justify-between gap-3 px-4 lg:h-16">
        {brand}
        <MenuToggle
          open={menu.open}
          controls={panelId}
          onClick={menu.toggle}
          className="inline-flex h-8 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 text-[13px] font-medium text-slate-700 shadow-xs hover:bg-slate-50 lg:hidden"
          iconClassName="size-4"
        />
      </div>
      <div
        id={panelId}
        className={cn(
          "flex-col border-t border-slate-200 lg:flex lg:min-h-0 lg:flex-1 lg:border-t-0",
          menu.open ? "flex" : "hidden",
        )}
      >
        <nav aria-label="Admin" className="flex-1 overflow-y-auto px-3 py-3 lg:py-2">
          {nav.map((section) => (
            <div key={section.label} className="mb-4 last:mb-0">
              <h2 className="px-2 pb-1 text-[11px] font-semibold tracking-wider text-slate-500 uppercase">
                {section.label}
              </h2>
              <ul className="space-y-px">
                {section.items.map((item) => {
                  const active = item.href === current;
                  return (
                    <li key={item.href}>
                      {item.href.startsWith("/admin") ? (
                        <Link href={item.href} aria-current={active ? "page" : undefined} className={itemClass(active)}>
                          {item.label}
                        </Link>
                      ) : (
                        // Outside the console (the API reference is a route handler's page): a full page load.
                        <a href={item.href} className={itemClass(false)}>
                          {item.label}
                        </a>
                      )}
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </nav>
        <div className="border-t border-slate-200 px-4 py-3">{footer}</div>
      </div>
    </div>
  );
}
