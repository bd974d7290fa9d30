import type { Role } from "@/db/schema";

/**
 * The one permission table. Every server action, route handler and page asks it; the navigation
 * hides what it denies. Support's refunds are further capped by a configurable limit. Why each
 * role holds what it holds: docs/roles.md.
 */
export const permissionTable = {
  "portal.self": ["subscriber"],
  "console.access": ["support", "billing_admin", "finance_viewer", "super_admin"],
  "customers.read": ["support", "billing_admin", "finance_viewer", "super_admin"],
  "customers.write": ["support", "billing_admin", "super_admin"],
  "customers.export_pii": ["billing_admin", "super_admin"],
  "subscriptions.write": ["support", "billing_admin", "super_admin"],
  "invoices.read": ["support", "billing_admin", "finance_viewer", "super_admin"],
  "invoices.void": ["billing_admin", "super_admin"],
  "credit.grant": ["billing_admin", "super_admin"],
  "refunds.create": ["support", "billing_admin", "super_admin"],
  "payments.record_manual": ["billing_admin", "super_admin"],
  "catalog.read": ["support", "billing_admin", "finance_viewer", "super_admin"],
  "catalog.write": ["billing_admin", "super_admin"],
  "reports.export": ["billing_admin", "finance_viewer", "super_admin"],
  "emails.read": ["support", "billing_admin", "finance_viewer", "super_admin"],
  "audit.read": ["billing_admin", "finance_viewer", "super_admin"],
  "stripe_events.read": ["billing_admin", "super_admin"],
  "api_keys.manage": ["super_admin"],
  "staff.manage": ["super_admin"],
  "settings.manage": ["super_admin"],
  "test_clocks.manage": ["billing_admin", "super_admin"],
  "credit_notes.create": ["billing_admin", "super_admin"],
  "invoices.send": ["support", "billing_admin", "super_admin"],
  "payments.retry": ["support", "billing_admin", "super_admin"],
  "notes.write": ["support", "billing_admin", "super_admin"],
  "customers.escalate": ["support", "billing_admin", "super_admin"],
  "escalations.resolve": ["billing_admin", "super_admin"],
  "usage.reaggregate": ["billing_admin", "super_admin"],
  "api_costs.read": ["billing_admin", "finance_viewer", "super_admin"],
  "api_costs.write": ["billing_admin", "super_admin"],
  "leakage.read": ["billing_admin", "finance_viewer", "super_admin"],
  "leakage.run": ["billing_admin", "super_admin"],
  "analytics.read": ["billing_admin", "finance_viewer", "super_admin"],
  "analytics.targets_write": ["billing_admin", "super_admin"],
  "fx_rates.write": ["billing_admin", "super_admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionTable;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (permissionTable[permission] as readonly Role[]).includes(role);
}

export const staffRoles: readonly Role[] = ["support", "billing_admin", "finance_viewer", "super_admin"];

export function isStaff(role: Role | null | undefined): boolean {
  return !!role && staffRoles.includes(role);
}

export const roleLabels: Record<Role, string> = {
  subscriber: "Subscriber",
  support: "Support",
  billing_admin: "Billing admin",
  finance_viewer: "Finance viewer",
  super_admin: "Super admin",
};
