import type { ReactNode } from "react";
import { AdminShell, type AdminNavSection } from "@/components/admin/AdminShell";
import { ViewerTimeZone } from "@/components/admin/ViewerTimeZone";
import { consoleSections } from "@/lib/admin/nav";
import { can, roleLabels } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { viewerZone } from "@/lib/auth/viewer-zone";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("console.access");
  // The navigation shows only what the permission table allows this role.
  const nav: AdminNavSection[] = consoleSections
    .map((s) => ({ label: s.label, items: s.items.filter((i) => can(user.role, i.permission)).map(({ href, label }) => ({ href, label })) }))
    .filter((s) => s.items.length > 0);
  const { reported } = await viewerZone();
  return (
    <AdminShell nav={nav} email={user.email} role={roleLabels[user.role]} testMode={!process.env.STRIPE_SECRET_KEY}>
      <ViewerTimeZone reported={reported} />
      {children}
    </AdminShell>
  );
}
