import type { Permission } from "@/lib/auth/permissions";

/** The console's navigation: each page with the permission that opens it (the layout hides the rest). */
export const consoleSections: { label: string; items: { href: string; label: string; permission: Permission }[] }[] = [
  {
    label: "Billing",
    items: [
      { href: "/admin", label: "Overview", permission: "console.access" },
      { href: "/admin/customers", label: "Customers", permission: "customers.read" },
      { href: "/admin/analytics", label: "Analytics", permission: "analytics.read" },
      { href: "/admin/api-costs", label: "API costs", permission: "api_costs.read" },
      { href: "/admin/leakage", label: "Revenue leakage", permission: "leakage.read" },
      { href: "/admin/exports", label: "Exports", permission: "reports.export" },
    ],
  },
  {
    label: "Catalog",
    items: [
      { href: "/admin/catalog/products", label: "Products", permission: "catalog.read" },
      { href: "/admin/catalog/plans", label: "Plans", permission: "catalog.read" },
      { href: "/admin/catalog/meters", label: "Meters", permission: "catalog.read" },
      { href: "/admin/catalog/coupons", label: "Coupons", permission: "catalog.read" },
      { href: "/admin/retention-offers", label: "Retention offers", permission: "catalog.read" },
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
      { href: "/admin/developers/stripe-events", label: "Stripe events", permission: "stripe_events.read" },
      { href: "/admin/developers/test-clocks", label: "Test clocks", permission: "test_clocks.manage" },
      // The interactive reference for /api/v1 (app/api/docs): public like the OpenAPI document.
      { href: "/api/docs", label: "API reference", permission: "console.access" },
    ],
  },
  {
    label: "Administration",
    items: [
      { href: "/admin/audit", label: "Audit log", permission: "audit.read" },
      { href: "/admin/staff", label: "Staff", permission: "staff.manage" },
      { href: "/admin/settings", label: "Settings", permission: "settings.manage" },
      { href: "/admin/profile", label: "Your locale", permission: "console.access" },
    ],
  },
];
