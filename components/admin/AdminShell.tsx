import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/Badge";
import { ToastProvider } from "@/components/ui/Toast";
import { Wordmark } from "@/components/ui/Wordmark";
import { AdminSidebar, type AdminNavSection } from "./AdminNav";

export type { AdminNavSection };

export type AdminShellProps = {
  nav: readonly AdminNavSection[];
  /** Staff user's email and role (e.g. "admin", "support", "finance"). */
  email?: string | null;
  role?: string | null;
  /** Shows the "Test mode" pill (sandbox gateway / test data). */
  testMode?: boolean;
  homeHref?: string;
  signOutHref?: string;
  children: ReactNode;
};

export function AdminShell({
  nav,
  email,
  role,
  testMode = false,
  homeHref = "/admin",
  signOutHref = "/api/auth/signout",
  children,
}: AdminShellProps) {
  const brand = (
    <div className="flex min-w-0 items-center gap-2">
      <Link href={homeHref} className="min-w-0 rounded-md">
        <Wordmark suffix="Admin" />
      </Link>
      {testMode && (
        <span className="inline-flex shrink-0 items-center gap-1 rounded-full bg-warning-100 px-2 py-0.5 text-[11px] font-semibold text-warning-800 ring-1 ring-warning-200 ring-inset">
          <span aria-hidden="true" className="size-1.5 rounded-full bg-warning-500" />
          Test mode
        </span>
      )}
    </div>
  );

  const footer = (
    <div className="flex items-center justify-between gap-3">
      <div className="min-w-0">
        {email && (
          <p className="truncate text-[13px] font-medium text-slate-800" title={email}>
            {email}
          </p>
        )}
        {role && (
          <Badge tone="info" className="mt-1 capitalize">
            {role}
          </Badge>
        )}
      </div>
      <a
        href={signOutHref}
        className="inline-flex h-8 shrink-0 items-center rounded-md px-2 text-[13px] font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900"
      >
        Sign out
      </a>
    </div>
  );

  return (
    <ToastProvider>
      <div className="min-h-dvh bg-slate-50">
        <a
          href="#main"
          className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-brand-700 shadow-overlay focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
        >
          Skip to content
        </a>
        {testMode && <div aria-hidden="true" className="fixed inset-x-0 top-0 z-40 h-0.5 bg-warning-500" />}
        <aside className="sticky top-0 z-30 max-lg:max-h-dvh max-lg:overflow-y-auto border-b border-slate-200 bg-white lg:fixed lg:inset-y-0 lg:left-0 lg:w-64 lg:border-r lg:border-b-0">
          <AdminSidebar nav={nav} brand={brand} footer={footer} />
        </aside>
        <div className="lg:pl-64">
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-[1400px] px-4 py-6 outline-none sm:px-6 lg:px-8 lg:py-8">
            {children}
          </main>
        </div>
      </div>
    </ToastProvider>
  );
}
