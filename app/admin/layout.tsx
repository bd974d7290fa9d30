import type { ReactNode } from "react";
import { AdminShell, type AdminNavSection } from "@/components/admin/AdminShell";
import { can, roleLabels, type Permission } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";

const sections: { label: string; items: { href: string; label: string; permission: Permission }[] }[] = [
  {
    label: "Billing",
    items: [
      { href: "/admin", label: "Overview", permission: "console.access" },
      { href: "/admin/customers", label: "Customers", permission: "customers.read" },
    ],
  },
  {
    label: "Catalog",
    items: [
      { href: "/admin/retention-offers", label: "Retention offers", permission: "catalog.read" },
      { href: "/admin/catalog/products", label: "Products", permission: "catalog.read" },
      { href: "/admin/catalog/plans", label: "Plans", permission: "catalog.read" },
      { href: "/admin/catalog/coupons", label: "Coupons", permission: "catalog.read" },
    ],
  },
  {
    label: "Operations",
    items: [
      { href: "/admin/queues", label: "Work queues", permission: "customers.read" },
      { href: "/admin/emails", label: "Emails", permission: "emails.read" },
    ],
  },
  {
    label: "Developers",
    items: [
      { href: "/admin/developers/api-keys", label: "API keys", permission: "api_keys.manage" },
      { href: "/admin/developers/webhooks", label: "Webhook endpoints", permission: "api_keys.manage" },
      { href: "/admin/developers/stripe-events", label: "Stripe events", permission: "invoices.read" },
      { href: "/admin/developers/test-clocks", label: "Test clocks", permission: "test_clocks.manage" },
    ],
  },
  {
    label: "Administration",
    items: [
      { href: "/admin/audit", label: "Audit log", permission: "audit.read" },
      { href: "/admin/staff", label: "Staff", permission: "staff.manage" },
      { href: "/admin/settings", label: "Settings", permission: "settings.manage" },
    ],
  },
];

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("console.access");
  // The navigation shows only what the permission table allows this role.
  const nav: AdminNavSection[] = sections
    .map((s) => ({ label: s.label, items: s.items.filter((i) => can(user.role, i.permission)).map(({ href, label }) => ({ href, label })) }))
    .filter((s) => s.items.length > 0);
  return (
    <AdminShell nav={nav} email={user.email} role={roleLabels[user.role]} testMode={!process.env.STRIPE_SECRET_KEY}>
      {children}
    </AdminShell>
  );
}
