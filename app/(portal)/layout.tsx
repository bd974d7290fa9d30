import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { PortalShell } from "@/components/portal/PortalShell";
import { requirePageUser } from "@/lib/auth/session";
import { PORTAL_RETURN_COOKIE, returnLinkFrom } from "@/lib/portal/return-link";

const nav = [
  { href: "/", label: "Overview" },
  { href: "/plans", label: "Plans" },
  { href: "/invoices", label: "Invoices" },
  { href: "/payment-methods", label: "Payment methods" },
  { href: "/billing", label: "Billing details" },
  { href: "/privacy", label: "Privacy" },
];

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("portal.self");
  const returnLink = returnLinkFrom((await cookies()).get(PORTAL_RETURN_COOKIE)?.value);
  return (
    <PortalShell email={user.email} nav={nav} returnLink={returnLink ?? undefined}>
      {children}
    </PortalShell>
  );
}
