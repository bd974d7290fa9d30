import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { findPriceWithPlan } from "@/db/queries/catalog";
import { customerNow, listPaymentMethods } from "@/db/queries/customers";
import { listCustomerInvoices } from "@/db/queries/invoices";
import { listCustomerSubscriptions, type SubscriptionView } from "@/db/queries/subscriptions";
import { Alert, ButtonLink, Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui";
import { InvoiceTable } from "@/components/invoices/InvoiceTable";
import { PageNotice } from "@/components/portal/PageNotice";
import { SubscriptionCard } from "@/components/portal/SubscriptionCard";
import { plural, unitLabel } from "@/components/portal/plan-display";
import { priceAmount } from "@/lib/billing/pricing";
import { debitOnBalanceNote } from "@/lib/invoices/below-minimum-words";
import { actorOf } from "@/lib/auth/session";
import { portalCustomer } from "@/lib/portal/customer";
import { pageNotice } from "@/lib/portal/notice";
import type { ServiceContext } from "@/lib/services/context";
import { PAUSE_MONTHS, pauseResumesAt } from "@/lib/billing/subscriptions/pause";
import { toItemTerms } from "@/lib/services/subscriptions/item-terms";
import { previewResume, upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { customerMeteredUsage } from "@/lib/services/usage/portal-usage";
import { UsageSummaryCard } from "@/components/portal/usage/UsageSummaryCard";
import { pauseAction, reactivateAction, resumeAction, undoScheduledChangeAction } from "./overview-actions";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Billing overview · Tally" };

const ENDED = new Set(["canceled", "incomplete_expired"]);
const actions = { pause: pauseAction, resume: resumeAction, reactivate: reactivateAction, undoChange: undoScheduledChangeAction };

export default async function OverviewPage() {
  const fmt = await portalFormatter();
  const notice = await pageNotice("/");
  const { user, customer } = await portalCustomer();
  const db = await getDb();
  const [all, invoices, methods, now] = await Promise.all([
    listCustomerSubscriptions(db, customer.id),
    listCustomerInvoices(db, customer.id, 100),
    listPaymentMethods(db, customer.id),
    customerNow(db, customer, new Date()),
  ]);
  const ctx: ServiceContext = { db, actor: actorOf(user), now: new Date() };
  const tz = customer.timezone;
  const live = all.filter((s) => !ENDED.has(s.status));
  const ended = all.find((s) => s.status === "canceled");
  const defaultMethod = methods.find((m) => m.id === customer.defaultPaymentMethodId);
  const paymentMethod = defaultMethod ? `${capitalize(defaultMethod.brand)} ending ${defaultMethod.last4}` : null;
  // A debit on the balance: amounts below the minimum card charge, collected by the next invoice.
  const carriedNote = debitOnBalanceNote(customer.creditBalance, customer.currency, fmt);
  const pauseOptions = PAUSE_MONTHS.map((months) => ({ months, resumesOn: fmt.date(pauseResumesAt(now, months, tz), tz) }));

  const usage = live.length > 0 ? await customerMeteredUsage(ctx, customer.id, fmt) : [];
  const cards = await Promise.all(
    live.map(async (sub) => {
      const fmt = await portalFormatter();
      const [upcoming, resumePreview, pendingLabel] = await Promise.all([
        upcomingInvoice(ctx, sub.id).catch(() => null),
        sub.status === "paused" ? previewResume(ctx, sub.id).catch(() => null) : null,
        pendingChangeLabel(db, sub),
      ]);
      const openInvoice = invoices.find((i) => i.id === sub.latestInvoiceId && i.status === "open") ?? invoices.find((i) => i.subscriptionId === sub.id && i.status === "open") ?? null;
      const item = sub.items[0];
      const periodCharge = item ? fmt.money(sub.items.reduce((sum, i) => sum + priceAmount(toItemTerms(i.price, i.plan, i.quantity).price, i.quantity), 0), sub.currency) : "the plan's price";
      return { sub, upcoming, resumePreview, pendingLabel, openInvoice, periodCharge };
    }),
  );

  return (
    <div className="space-y-6">
      <PageHeader title="Billing overview" description={customer.name ? `Signed in as ${customer.name}` : customer.email} />
      {notice ? <PageNotice key={notice.text} text={notice.text} tone={notice.tone} /> : null}
      {carriedNote ? (
        <Alert tone="info" title="Added to your next invoice">
          <span data-testid="balance-carried">{carriedNote}</span>
        </Alert>
      ) : null}

      {cards.length === 0 ? (
        ended ? (
          <EmptyState
            title={`Your ${ended.items[0]?.plan.name ?? ""} subscription ended on ${fmt.date(ended.endedAt ?? ended.canceledAt, tz)}`.replace("  ", " ")}
            description="Your invoices stay available below. Choose a plan to subscribe again."
            action={<ButtonLink href="/plans">Choose a plan</ButtonLink>}
          />
        ) : (
          <EmptyState
            title="You don't have a plan yet"
            description="Choose a plan to get started. You can change or cancel at any time."
            action={<ButtonLink href="/plans">See plans</ButtonLink>}
          />
        )
      ) : (
        cards.map((card) => (
          <SubscriptionCard fmt={fmt}
            key={card.sub.id}
            subscription={card.sub}
            now={now}
            timeZone={tz}
            upcoming={card.upcoming}
            openInvoice={card.openInvoice}
            pendingLabel={card.pendingLabel}
            paymentMethod={paymentMethod}
            pauseOptions={pauseOptions}
            periodCharge={card.periodCharge}
            resumePreview={card.resumePreview}
            actions={actions}
          />
        ))
      )}

      {usage.length > 0 ? <UsageSummaryCard fmt={fmt} items={usage} timeZone={tz} /> : null}

      <Card>
        <CardHeader title="Recent invoices" actions={invoices.length > 0 ? <Link className="text-sm font-medium text-brand-700 hover:underline" href="/invoices">View all</Link> : undefined} />
        <CardBody className="p-0">
          {invoices.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-600">{cards.length > 0 ? "No invoices yet. Your first one appears when your first payment is due." : "No invoices yet. Your first one appears when you subscribe."}</p>
          ) : (
            <InvoiceTable fmt={fmt} bare invoices={invoices.slice(0, 5)} timeZone={tz} href={(inv) => `/invoices/${inv.id}`} />
          )}
        </CardBody>
      </Card>
    </div>
  );
}

/** "Starter", "2 seats of Team": what a scheduled change moves to. */
async function pendingChangeLabel(db: Awaited<ReturnType<typeof getDb>>, sub: SubscriptionView): Promise<string | null> {
  const next = sub.pendingChange?.items[0];
  if (!next) return null;
  const found = await findPriceWithPlan(db, next.price);
  if (!found) return null;
  const unit = unitLabel(found.plan);
  const samePlan = found.plan.id === sub.items[0]?.plan.id;
  if (unit || next.quantity > 1 || samePlan) return `${next.quantity} ${plural(unit ?? "unit", next.quantity)}${samePlan ? "" : ` of ${found.plan.name}`}`;
  return found.plan.name;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
