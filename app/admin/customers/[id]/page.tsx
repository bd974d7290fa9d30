import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { countOpenEscalations } from "@/db/queries/notes";
import { listCustomerDisputes } from "@/db/queries/payments";
import { listCustomerSubscriptions } from "@/db/queries/subscriptions";
import { ApiCostCard } from "@/components/admin/customer/ApiCostCard";
import { CustomerTabs } from "@/components/admin/customer/CustomerTabs";
import { GrantCreditDialog } from "@/components/admin/customer/MoneyActions";
import { Badge, PageHeader, Stat, StatusBadge } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { allowedFor, customerHref, parseTab, tabs, type TabProps } from "./_tabs/context";
import { CreditNotesTab } from "./_tabs/credit-notes";
import { DisputesTab } from "./_tabs/disputes";
import { EmailsTab } from "./_tabs/emails";
import { InvoicesTab } from "./_tabs/invoices";
import { NotesTab } from "./_tabs/notes";
import { OverviewTab } from "./_tabs/overview";
import { PaymentsTab } from "./_tabs/payments";
import { ReceiptsTab } from "./_tabs/receipts";
import { SubscriptionsTab } from "./_tabs/subscriptions";
import { TimelineTab } from "./_tabs/timeline";
import { UsageTab } from "./_tabs/usage";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Customer · Tally Admin" };

const LIVE = new Set(["active", "trialing", "past_due", "paused", "incomplete", "unpaid"]);

export default async function CustomerPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("customers.read");
  const fmt = await consoleFormatter();
  const { id } = await params;
  const raw = await searchParams;
  const query = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const tab = parseTab(query.tab);
  const db = await getDb();
  const customer = await findCustomer(db, id);
  if (!customer) notFound();
  const [invoices, subscriptions, escalations, disputes] = await Promise.all([
    listCustomerInvoices(db, id),
    listCustomerSubscriptions(db, id),
    countOpenEscalations(db, id),
    listCustomerDisputes(db, id),
  ]);
  const allowed = allowedFor(user.role);
  const money = (n: number) => fmt.money(n, customer.currency);
  const owed = invoices.filter((i) => i.status === "open" || i.status === "uncollectible");
  const owedTotal = owed.reduce((sum, i) => sum + i.amountRemaining, 0);
  const live = subscriptions.filter((s) => LIVE.has(s.status));
  const openDisputes = disputes.filter((d) => !["won", "lost", "warning_closed"].includes(d.status));
  const props: TabProps = { customer, role: user.role, allowed, params: query, now: new Date() };

  const counts: Partial<Record<string, number>> = { subscriptions: live.length, invoices: owed.length, disputes: openDisputes.length, notes: escalations };
  return (
    <div className="space-y-6">
      <PageHeader
        className="mb-0"
        title={customer.name ?? customer.email}
        description={customer.name ? customer.email : undefined}
        back={{ href: "/admin/customers", label: "Customers" }}
        meta={
          <>
            <StatusBadge status={customer.status} />
            {escalations > 0 ? (
              <Badge tone="warning" dot>
                Escalated{escalations > 1 ? ` (${escalations})` : ""}
              </Badge>
            ) : null}
            {openDisputes.length > 0 ? (
              <Badge tone="danger" dot>
                Disputed
              </Badge>
            ) : null}
          </>
        }
        actions={allowed.grant ? <GrantCreditDialog reader={fmt.reader} customerId={customer.id} currency={customer.currency} balance={customer.creditBalance} /> : null}
      />
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4 [&>*]:min-w-0">
        <Stat label="Credit balance" value={money(customer.creditBalance)} hint={customer.creditBalance < 0 ? "Owed: added to the next invoice" : "Used by the next invoices"} />
        <Stat label="Owed" value={money(owedTotal)} hint={owed.length === 0 ? "Nothing outstanding" : `${owed.length} unpaid invoice${owed.length > 1 ? "s" : ""}`} hintTone={owed.length > 0 ? "danger" : "neutral"} />
        <Stat label="Subscriptions" value={live.length} hint={live.length === 0 ? "None live" : live.map((s) => s.items.map((i) => i.plan.name).join(", ")).join(" · ")} />
        <Stat label="Customer since" value={<span className="text-lg">{fmt.date(customer.createdAt, customer.timezone)}</span>} hint={`${customer.currency.toUpperCase()} · ${customer.timezone}`} />
      </div>
      {tab === "overview" && can(user.role, "api_costs.read") ? <ApiCostCard fmt={fmt} ctx={{ db, actor: actorOf(user), now: props.now }} customer={customer} /> : null}
      <CustomerTabs tabs={tabs.map((t) => ({ ...t, count: counts[t.id] }))} current={tab} href={(t) => customerHref(customer.id, { tab: t === "overview" ? undefined : t })} />
      <div className="min-w-0">
        {tab === "overview" && <OverviewTab {...props} />}
        {tab === "subscriptions" && <SubscriptionsTab {...props} />}
        {tab === "invoices" && <InvoicesTab {...props} />}
        {tab === "usage" && <UsageTab {...props} />}
        {tab === "payments" && <PaymentsTab {...props} />}
        {tab === "receipts" && <ReceiptsTab {...props} />}
        {tab === "credit-notes" && <CreditNotesTab {...props} />}
        {tab === "disputes" && <DisputesTab {...props} />}
        {tab === "emails" && <EmailsTab {...props} />}
        {tab === "notes" && <NotesTab {...props} />}
        {tab === "timeline" && <TimelineTab {...props} />}
      </div>
    </div>
  );
}
