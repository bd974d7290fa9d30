import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { PortalShell } from "@/components/portal/PortalShell";
import { requirePageUser } from "@/lib/auth/session";
import { PORTAL_RETURN_COOKIE, returnLinkFrom } from "@/lib/portal/return-link";
import { getSetting } from "@/lib/services/settings/settings";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("portal.self");
  const returnLink = returnLinkFrom((await cookies()).get(PORTAL_RETURN_COOKIE)?.value);
  const profile = await getSetting(await getDb(), "business.profile");
  // The default profile name is Tally's own; a configured business shows its name instead.
  const businessName = profile.name !== "Tally" ? profile.name : undefined;
  return (
    <PortalShell email={user.email} returnLink={returnLink ?? undefined} businessName={businessName}>
      {children}
    </PortalShell>
  );
}
