import type { CustomerRow } from "@/db/queries/customers";
import type { Role } from "@/db/schema";
import { can } from "@/lib/auth/permissions";

export const tabs = [
  { id: "overview", label: "Overview" },
  { id: "subscriptions", label: "Subscriptions" },
  { id: "invoices", label: "Invoices" },
  { id: "usage", label: "Usage" },
  { id: "payments", label: "Payments" },
  { id: "receipts", label: "Receipts" },
  { id: "credit-notes", label: "Credit notes" },
  { id: "disputes", label: "Disputes" },
  { id: "emails", label: "Emails" },
  { id: "notes", label: "Notes" },
  { id: "timeline", label: "Timeline" },
] as const;
export type TabId = (typeof tabs)[number]["id"];

export function parseTab(value: string | undefined): TabId {
  return tabs.find((t) => t.id === value)?.id ?? "overview";
}

/** What this role may do on the page: the buttons it does not get are not shown (actions re-check). */
export function allowedFor(role: Role) {
  return {
    subscriptions: can(role, "subscriptions.write"),
    void: can(role, "invoices.void"),
    send: can(role, "invoices.send"),
    retry: can(role, "payments.retry"),
    creditNote: can(role, "credit_notes.create"),
    manualPayment: can(role, "payments.record_manual"),
    refund: can(role, "refunds.create"),
    grant: can(role, "credit.grant"),
    note: can(role, "notes.write"),
    escalate: can(role, "customers.escalate"),
    resolve: can(role, "escalations.resolve"),
    emails: can(role, "emails.read"),
    taxExemption: can(role, "customers.write"),
  };
}
export type Allowed = ReturnType<typeof allowedFor>;

export interface TabProps {
  customer: CustomerRow;
  role: Role;
  allowed: Allowed;
  params: Record<string, string | undefined>;
  now: Date;
}

export const customerHref = (customerId: string, query: Record<string, string | undefined>) => {
  const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  const qs = search.toString();
  return `/admin/customers/${customerId}${qs ? `?${qs}` : ""}`;
};
