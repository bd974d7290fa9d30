import type { ReactNode } from "react";
import { PortalShell } from "@/components/portal/PortalShell";
import { requirePageUser } from "@/lib/auth/session";

const nav = [
  { href: "/", label: "Overview" },
  { href: "/plans", label: "Plans" },
  { href: "/invoices", label: "Invoices" },
  { href: "/payment-methods", label: "Payment methods" },
];

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("portal.self");
  return (
    <PortalShell email={user.email} nav={nav}>
      {children}
    </PortalShell>
  );
}
