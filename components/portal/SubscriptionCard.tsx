import type { ReactNode } from "react";
import type { SubscriptionView } from "@/db/queries/subscriptions";
import type { InvoiceRow } from "@/db/queries/invoices";
import { Alert, ButtonLink, Card, CardBody, CardFooter, CardHeader, DescriptionList, StatusBadge } from "@/components/ui";
import { taxNote } from "@/lib/format";
import type { UpcomingInvoice } from "@/lib/services/subscriptions/preview";
import { pauseAutoCancelAt } from "@/lib/billing/subscriptions/pause";
import { canPause } from "@/lib/billing/subscriptions/state-machine";
import { daysLeft } from "@/lib/time";
import { InvoicePreview } from "./InvoicePreview";
import { plural, pricePerInterval, unitLabel } from "./plan-display";
import { PauseControl, ResumeControl, SubscriptionActionButton, type PauseOption } from "./SubscriptionControls";
import type { ActionState } from "@/lib/actions/validated-action";
import type { Formatter } from "@/lib/format";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface SubscriptionCardProps {
  /** The reader's formatter (lib/format). */
  fmt: Formatter;
  subscription: SubscriptionView;
  /** The customer's now (their test clock's time when attached to one). */
  now: Date;
  timeZone: string;
  upcoming: UpcomingInvoice | null;
  /** The unpaid invoice to pay when the subscription is past due, unpaid or incomplete. */
  openInvoice: InvoiceRow | null;
  /** The plan a scheduled change moves to, in words ("Starter", "2 × Team"). */
  pendingLabel: string | null;
  paymentMethod: string | null;
  pauseOptions: PauseOption[];
  /** What one full period costs ("$29.00"): charged when a pause ends. */
  periodCharge: string;
  /** What resuming now charges today, for a paused subscription. */
  resumePreview: UpcomingInvoice | null;
  actions: { pause: Action; resume: Action; reactivate: Action; undoChange: Action };
}


export function SubscriptionCard(props: SubscriptionCardProps) {
  const { subscription: sub, timeZone: tz, upcoming, fmt } = props;
  const item = sub.items[0];
  const unit = item ? unitLabel(item.plan) : null;
  const date = (d: Date | null) => fmt.date(d, tz);
  const title = item ? `${item.plan.name}${unit || item.quantity > 1 ? ` · ${item.quantity} ${plural(unit ?? "unit", item.quantity)}` : ""}` : "Subscription";
  const changeable = ["active", "trialing", "past_due"].includes(sub.status) && !sub.cancelAtPeriodEnd;
  const nextLabel = sub.status === "trialing" ? "Trial ends" : sub.cancelAtPeriodEnd ? "Cancels on" : sub.status === "paused" ? "Resumes on" : "Renews on";
  const nextDate = sub.status === "trialing" ? sub.trialEnd : sub.status === "paused" ? (sub.pauseResumesAt ?? null) : sub.currentPeriodEnd;

  const footer: ReactNode[] = [];
  if (changeable) {
    footer.push(
      <ButtonLink key="change" href="/subscription/change">
        Change plan
      </ButtonLink>,
    );
  }
  if (canPause(sub.status) && !sub.cancelAtPeriodEnd) {
    footer.push(<PauseControl key="pause" action={props.actions.pause} subscriptionId={sub.id} options={props.pauseOptions} resumeCharge={props.periodCharge} />);
  }
  if (!sub.cancelAtPeriodEnd && sub.status !== "incomplete") {
    footer.push(
      <ButtonLink key="cancel" href="/subscription/cancel" variant="ghost" className="sm:ml-auto">
        Cancel subscription
      </ButtonLink>,
    );
  }

  return (
    <Card aria-labelledby={`sub-${sub.id}`}>
      <CardHeader
        title={<span id={`sub-${sub.id}`}>{title}</span>}
        description={item ? `${pricePerInterval(item.plan, item.price, fmt)} · ${taxNote(item.price.taxBehavior, item.price.currency)}` : undefined}
        actions={<StatusBadge status={sub.status} />}
      />
      <CardBody className="space-y-5">
        <StatusNotice {...props} />
        <DescriptionList
          items={[
            ...(sub.status === "paused" ? [] : [{ label: "Current period", value: fmt.period(sub.currentPeriodStart, sub.currentPeriodEnd, tz) }]),
            ...(nextDate && sub.status !== "incomplete" ? [{ label: nextLabel, value: date(nextDate) }] : []),
            { label: "Payment method", value: props.paymentMethod ?? "None" },
          ]}
        />
        <section aria-labelledby={`next-${sub.id}`} className="rounded-lg border border-slate-200 bg-slate-50/60 px-4 py-3">
          <h3 id={`next-${sub.id}`} className="mb-2 text-sm font-semibold text-slate-900">
            {upcoming ? `Next invoice · ${date(upcoming.date)}` : "Next invoice"}
          </h3>
          {upcoming ? (
            <InvoicePreview fmt={fmt} invoice={upcoming.invoice} timeZone={tz} label="Next invoice" testId="next-invoice" />
          ) : (
            <p className="text-sm text-slate-600">{sub.cancelAtPeriodEnd ? "None: your subscription ends before then." : "Nothing scheduled."}</p>
          )}
        </section>
      </CardBody>
      {footer.length > 0 ? <CardFooter className="justify-start">{footer}</CardFooter> : null}
    </Card>
  );
}

/** What the customer needs to know (and can do) about the subscription's state right now. */
function StatusNotice({ subscription: sub, now, timeZone: tz, openInvoice, pendingLabel, resumePreview, upcoming, paymentMethod, actions, fmt }: SubscriptionCardProps) {
  const date = (d: Date | null) => fmt.date(d, tz);
  const notices: ReactNode[] = [];
  const money = (n: number) => fmt.money(n, sub.currency);

  if (sub.status === "past_due" || sub.status === "unpaid" || sub.status === "incomplete") {
    const title = sub.status === "incomplete" ? "Your first payment isn't complete" : "Your last payment didn't go through";
    notices.push(
      <Alert
        key="payment"
        tone="danger"
        title={title}
        action={
          <>
            {openInvoice ? (
              <ButtonLink href={`/invoices/${openInvoice.id}`} size="sm" variant="danger">
                Fix payment
              </ButtonLink>
            ) : null}
            <ButtonLink href="/payment-methods/add" size="sm" variant="secondary">
              Update card
            </ButtonLink>
          </>
        }
      >
        {openInvoice ? `${money(openInvoice.amountRemaining)} is due. ` : ""}
        {sub.status === "unpaid" ? "Your access is limited until it's paid." : "Pay it now or update your card and we'll try again."}
      </Alert>,
    );
  }
  if (sub.status === "trialing" && sub.trialEnd) {
    const left = daysLeft(now, sub.trialEnd, tz);
    notices.push(
      <Alert
        key="trial"
        tone="info"
        title={`Free trial: ${left} ${left === 1 ? "day" : "days"} left`}
        action={
          paymentMethod || sub.cancelAtPeriodEnd ? undefined : (
            <ButtonLink href="/payment-methods/add" size="sm">
              Add a card
            </ButtonLink>
          )
        }
      >
        Your trial ends on {date(sub.trialEnd)}
        {upcoming && !sub.cancelAtPeriodEnd ? `, then ${money(upcoming.invoice.amountDue)} ${paymentMethod ? "is charged to your card" : "is due"}` : ""}.
        {!paymentMethod && !sub.cancelAtPeriodEnd ? " Add a card before then to keep your subscription." : ""}
      </Alert>,
    );
  }
  if (sub.status === "paused") {
    const autoCancel = pauseAutoCancelAt(sub.pausedAt ?? sub.currentPeriodStart, tz);
    const charge = resumePreview ? (
      <>
        You&apos;ll be charged <strong className="font-semibold text-slate-900">{money(resumePreview.invoice.amountDue)}</strong> today for a new period, {fmt.period(resumePreview.period.start, resumePreview.period.end, tz)}.
      </>
    ) : (
      "A new billing period starts today."
    );
    notices.push(
      <Alert key="paused" tone="info" title={sub.pauseResumesAt ? `Paused until ${date(sub.pauseResumesAt)}` : "Paused"} action={<ResumeControl action={actions.resume} subscriptionId={sub.id} chargeToday={charge} />}>
        {sub.pauseResumesAt ? "Billing resumes automatically on that day." : `Resume before ${date(autoCancel)}, or the subscription is canceled.`}
      </Alert>,
    );
  }
  if (sub.cancelAtPeriodEnd && sub.status !== "canceled") {
    const endsOn = sub.status === "trialing" ? sub.trialEnd : sub.currentPeriodEnd;
    notices.push(
      <Alert key="cancel" tone="warning" title={`Cancels on ${date(endsOn)}`} action={<SubscriptionActionButton action={actions.reactivate} subscriptionId={sub.id} label="Keep my subscription" variant="primary" />}>
        You keep access until then, and won&apos;t be charged again.
      </Alert>,
    );
  }
  if (sub.pendingChange && pendingLabel) {
    notices.push(
      <Alert key="change" tone="info" title={`Changes to ${pendingLabel} on ${date(new Date(sub.pendingChange.effective_at))}`} action={<SubscriptionActionButton action={actions.undoChange} subscriptionId={sub.id} label="Undo" />}>
        Until then you keep {sub.items[0]?.plan.name ?? "your current plan"}. Nothing is charged for the change.
      </Alert>,
    );
  }
  return notices.length > 0 ? <div className="space-y-3">{notices}</div> : null;
}
