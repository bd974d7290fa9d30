import Link from "next/link";
import type { ReactNode } from "react";
import { Wordmark } from "@/components/ui/Wordmark";
import { PortalNav, type NavLinkItem } from "./PortalNav";

export const PORTAL_NAV: readonly NavLinkItem[] = [
  { href: "/", label: "Overview" },
  { href: "/usage", label: "Usage" },
  { href: "/plans", label: "Plans" },
  { href: "/invoices", label: "Invoices" },
  { href: "/receipts", label: "Receipts" },
  { href: "/payment-methods", label: "Payment methods" },
  { href: "/billing", label: "Billing details" },
  { href: "/privacy", label: "Privacy" },
];

export type PortalShellProps = {
  /** Signed-in subscriber's email, shown top right. */
  email?: string | null;
  /** Merchant name shown instead of "Tally". */
  businessName?: string;
  nav?: readonly NavLinkItem[];
  /** next-auth v4 sign-out page (GET shows its confirm form with CSRF token). */
  signOutHref?: string;
  /** "Back to <product>": where a portal session said to send the customer back. */
  returnLink?: { href: string; label: string };
  /** Full-width notice under the top bar, e.g. a past-due <Alert>. */
  banner?: ReactNode;
  children: ReactNode;
};

export function PortalShell({
  email,
  businessName,
  nav = PORTAL_NAV,
  signOutHref = "/api/auth/signout",
  returnLink,
  banner,
  children,
}: PortalShellProps) {
  return (
    <div className="flex min-h-dvh flex-col bg-slate-50">
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-brand-700 shadow-overlay focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto max-w-[960px] px-4 sm:px-6">
          <div className="flex h-14 items-center justify-between gap-4">
            <div className="flex min-w-0 items-center gap-3">
              {returnLink && (
                <a
                  href={returnLink.href}
                  className="inline-flex h-8 shrink-0 items-center gap-1 rounded-md pr-2 text-[13px] font-medium text-slate-700 hover:text-slate-900"
                >
                  <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
                    <path fillRule="evenodd" clipRule="evenodd" d="M12.79 5.23a.75.75 0 0 1-.02 1.06L8.83 10l3.94 3.71a.75.75 0 1 1-1.04 1.08l-4.5-4.25a.75.75 0 0 1 0-1.08l4.5-4.25a.75.75 0 0 1 1.06.02Z" />
                  </svg>
                  <span className="max-w-[13rem] truncate sm:max-w-[16rem]">{returnLink.label}</span>
                </a>
              )}
              <Link href="/" className={returnLink ? "hidden min-w-0 rounded-md sm:block" : "min-w-0 rounded-md"}>
                <Wordmark name={businessName ?? "Tally"} suffix={businessName ? undefined : "Billing"} />
              </Link>
            </div>
            <div className="flex min-w-0 items-center gap-1 sm:gap-3">
              {email && (
                <span className="hidden max-w-[16rem] truncate text-[13px] text-slate-600 sm:block" title={email}>
                  {email}
                </span>
              )}
              <a
                href={signOutHref}
                className="inline-flex h-8 shrink-0 items-center rounded-md px-2.5 text-[13px] font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900"
              >
                Sign out
              </a>
            </div>
          </div>
          <PortalNav items={nav} />
        </div>
      </header>
      {banner && <div className="mx-auto w-full max-w-[960px] px-4 pt-6 sm:px-6">{banner}</div>}
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-[960px] flex-1 px-4 py-8 outline-none sm:px-6">
        {children}
      </main>
      <footer className="mx-auto w-full max-w-[960px] px-4 pb-8 text-xs text-slate-500 sm:px-6">
        {email && <p className="mb-1 truncate sm:hidden">Signed in as {email}</p>}
        <p>Billing powered by Tally</p>
      </footer>
    </div>
  );
}
