import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { listPaymentMethods } from "@/db/queries/customers";
import { ButtonLink, Card, CardBody, CardHeader, DescriptionList, EmptyState, FlashToast, PageHeader, StatusBadge } from "@/components/ui";
import { InvoiceTable } from "@/components/invoices/InvoiceTable";
import { formatDate, formatMoney, intervalLabel, taxNote } from "@/lib/format";
import { actorOf } from "@/lib/auth/session";
import { portalCustomer } from "@/lib/portal/customer";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";

export const metadata: Metadata = { title: "Billing overview · Tally" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ notice?: string }> }) {
  const { notice } = await searchParams;
  const { user, customer } = await portalCustomer();
  const db = await getDb();
  const [subscriptions, invoices, methods] = await Promise.all([
    listLiveSubscriptions(db, customer.id),
    listCustomerInvoices(db, customer.id, 5),
    listPaymentMethods(db, customer.id),
  ]);
  const tz = customer.timezone;
  const upcoming = await Promise.all(
    subscriptions.map((sub) => upcomingInvoice({ db, actor: actorOf(user), now: new Date() }, sub.id).catch(() => null)),
  );
  const defaultMethod = methods.find((m) => m.id === customer.defaultPaymentMethodId);

  return (
    <div className="space-y-6">
      {notice ? <FlashToast message={notice} /> : null}
      <PageHeader title="Billing overview" description={customer.name ? `Signed in as ${customer.name}` : customer.email} />

      {subscriptions.length === 0 ? (
        <EmptyState
          title="You don't have a plan yet"
          description="Choose a plan to get started. You can change or cancel at any time."
          action={<ButtonLink href="/plans">See plans</ButtonLink>}
        />
      ) : (
        subscriptions.map((sub, index) => {
          const item = sub.items[0];
          const next = upcoming[index];
          return (
            <Card key={sub.id}>
              <CardHeader
                title={item ? item.plan.name : "Subscription"}
                description={item ? `${formatMoney(item.price.unitAmount ?? 0, item.price.currency)} per ${intervalLabel(item.plan.interval, item.plan.intervalCount)} · ${taxNote(item.price.taxBehavior, item.price.currency)}` : undefined}
                actions={<StatusBadge status={sub.status} />}
              />
              <CardBody>
                <DescriptionList
                  items={[
                    { label: "Current period", value: `${formatDate(sub.currentPeriodStart, tz)} – ${formatDate(sub.currentPeriodEnd, tz)}` },
                    {
                      label: sub.status === "trialing" ? "Trial ends" : sub.cancelAtPeriodEnd ? "Cancels on" : "Renews on",
                      value: formatDate(sub.trialEnd ?? sub.currentPeriodEnd, tz),
                    },
                    {
                      label: "Next invoice",
                      value: next ? `${formatMoney(next.invoice.amountDue, next.invoice.currency)} on ${formatDate(next.date, tz)}` : "None scheduled",
                    },
                    { label: "Payment method", value: defaultMethod ? `${capitalize(defaultMethod.brand)} ending ${defaultMethod.last4}` : "None" },
                  ]}
                />
              </CardBody>
            </Card>
          );
        })
      )}

      <Card>
        <CardHeader title="Recent invoices" actions={invoices.length > 0 ? <Link className="text-sm font-medium text-brand-700 hover:underline" href="/invoices">View all</Link> : undefined} />
        <CardBody className="p-0">
          {invoices.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-600">No invoices yet. Your first one appears when you subscribe.</p>
          ) : (
            <InvoiceTable bare invoices={invoices} timeZone={tz} href={(inv) => `/invoices/${inv.id}`} />
          )}
        </CardBody>
      </Card>
    </div>
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
