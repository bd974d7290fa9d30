import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { customerNow } from "@/db/queries/customers";
import { findAttempt } from "@/db/queries/retention";
import { findSubscription, listLiveSubscriptions, type SubscriptionView } from "@/db/queries/subscriptions";
import { cancellationReasons } from "@/lib/billing/retention/vocabulary";
import { Alert, ButtonLink, Card, CardBody, CardHeader, DescriptionList, EmptyState, PageHeader } from "@/components/ui";
import { CancelSteps } from "@/components/portal/cancel/CancelSteps";
import { ConfirmForm } from "@/components/portal/cancel/ConfirmForm";
import { OfferForm } from "@/components/portal/cancel/OfferForm";
import { ReasonForm } from "@/components/portal/cancel/ReasonForm";
import { env } from "@/lib/env";
import { intervalLabel } from "@/lib/format";
import { portalCustomer } from "@/lib/portal/customer";
import { pauseResumesAt } from "@/lib/billing/subscriptions/pause";
import { cancelBlocker, reasonLabels, type CancelBlocker } from "@/lib/billing/retention/offer-policy";
import { acceptOfferAction, confirmCancellationAction, startCancellationAction } from "./actions";
import type { Formatter } from "@/lib/format";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Cancel subscription · Tally" };

type Search = { attempt?: string; step?: string; subscription?: string };

export default async function CancelSubscriptionPage({ searchParams }: { searchParams: Promise<Search> }) {
  const fmt = await portalFormatter();
  const { attempt: attemptId, step, subscription: wanted } = await searchParams;
  const { customer } = await portalCustomer();
  const db = await getDb();
  const tz = customer.timezone;

  if (attemptId) {
    // Scoped to the signed-in customer: another customer's attempt id is simply not found.
    const attempt = await findAttempt(db, attemptId);
    if (!attempt || attempt.customerId !== customer.id) notFound();
    const subscription = await findSubscription(db, attempt.subscriptionId);
    if (!subscription) notFound();
    if (attempt.outcome === "contacted_support" && step === "support" && attempt.offer?.terms.kind === "contact_support") {
      return <SupportStep message={attempt.offer.terms.message} url={attempt.offer.terms.url} />;
    }
    if (attempt.outcome !== null) return <Closed abandoned={attempt.outcome === "abandoned"} subscriptionId={subscription.id} />;
    const restart = `/subscription/cancel?subscription=${subscription.id}`;
    if (step === "confirm" || !attempt.offer) {
      return (
        <Frame step={3} back={attempt.offer ? { href: `/subscription/cancel?attempt=${attempt.id}`, label: "Back to the offer" } : { href: restart, label: "Back" }}>
          <ConfirmStep subscription={subscription} tz={tz} attemptId={attempt.id} />
        </Frame>
      );
    }
    const now = await customerNow(db, customer, new Date());
    const offer = attempt.offer;
    const renewsOn = fmt.date(subscription.trialEnd && subscription.status === "trialing" ? subscription.trialEnd : subscription.currentPeriodEnd, tz);
    const decline = `/subscription/cancel?attempt=${attempt.id}&step=confirm`;
    let card: { title: string; body: React.ReactNode; accept: string; pauseOptions?: { months: number; label: string }[] };
    switch (offer.terms.kind) {
      case "discount":
        card = {
          title: `Stay for ${offer.terms.percent}% less`,
          body: (
            <p>
              Get <strong>{offer.terms.percent}% off your next {offer.periods === 1 ? "invoice" : `${offer.periods} invoices`}</strong>, starting with the one on {renewsOn}. After that your
              plan goes back to its usual price. Nothing else changes.
            </p>
          ),
          accept: `Accept ${offer.terms.percent}% off`,
        };
        break;
      case "pause": {
        const max = offer.terms.maxMonths;
        card = {
          title: "Take a break instead",
          body: (
            <p>
              Pause billing for up to {max} month{max === 1 ? "" : "s"}. You keep your account and everything in it. You won&apos;t be charged while paused, the unused part of this
              period is credited to your balance, and billing starts again by itself on the date you choose.
            </p>
          ),
          accept: "Pause my subscription",
          pauseOptions: Array.from({ length: max }, (_, i) => i + 1).map((months) => ({
            months,
            label: `${months} month${months === 1 ? "" : "s"} · resumes ${fmt.date(pauseResumesAt(now, months, tz), tz)}`,
          })),
        };
        break;
      }
      case "cheaper_plan": {
        const plan = offer.plan;
        const unit = subscription.items[0]?.plan;
        card = {
          title: plan ? `Switch to ${plan.name}` : "Switch to a cheaper plan",
          body: (
            <p>
              Move to <strong>{plan?.name}</strong> for {plan ? fmt.money(plan.unitAmount, plan.currency) : ""}
              {unit ? ` per ${intervalLabel(unit.interval, unit.intervalCount)}` : ""} from {renewsOn}. You keep your account; your current plan stays until then and nothing is charged today.
            </p>
          ),
          accept: plan ? `Switch to ${plan.name}` : "Switch plan",
        };
        break;
      }
      case "contact_support":
        card = { title: "Let us help first", body: <p>{offer.terms.message}</p>, accept: "Contact support" };
        break;
      case "none":
        notFound();
    }
    return (
      <Frame step={2} back={{ href: restart, label: "Back to reasons" }}>
        <Card>
          <CardHeader title={card.title} description={`You told us: ${reasonLabels[attempt.reason]}.`} />
          <CardBody className="space-y-5 text-sm leading-relaxed text-slate-700">
            {card.body}
            <OfferForm action={acceptOfferAction} attemptId={attempt.id} acceptLabel={card.accept} declineHref={decline} pauseOptions={card.pauseOptions} />
          </CardBody>
        </Card>
      </Frame>
    );
  }

  const live = await listLiveSubscriptions(db, customer.id);
  const requested = wanted ? live.find((s) => s.id === wanted) : undefined;
  const cancellable = live.filter((s) => cancelBlocker(s) === null);
  const blocked = requested && cancelBlocker(requested) ? requested : cancellable.length === 0 ? live[0] : undefined;
  if (live.length === 0 || blocked) {
    return (
      <div className="mx-auto max-w-2xl">
        <PageHeader title="Cancel subscription" back={{ href: "/", label: "Overview" }} />
        {blocked ? (
          <NotCancellable blocker={cancelBlocker(blocked)!} subscription={blocked} tz={tz} />
        ) : (
          <EmptyState title="You don't have a subscription" description="There is nothing to cancel." action={<ButtonLink href="/plans">See plans</ButtonLink>} />
        )}
      </div>
    );
  }
  const selected = requested ?? cancellable[0]!;
  return (
    <Frame step={1} back={{ href: "/", label: "Overview" }}>
      <Card>
        <CardHeader title="We're sorry to see you go" description="Tell us why you're canceling. Your answer helps us improve, and we may have something that helps." />
        <CardBody>
          <ReasonForm
            action={startCancellationAction}
            reasons={cancellationReasons.map((r) => ({ value: r, label: reasonLabels[r] }))}
            subscriptions={cancellable.map((s) => ({ id: s.id, label: planLabel(s, fmt) }))}
            selectedSubscription={selected.id}
          />
        </CardBody>
      </Card>
    </Frame>
  );
}

function Frame({ step, back, children }: { step: 1 | 2 | 3; back: { href: string; label: string }; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Cancel subscription" back={back} className="mb-4" />
      <CancelSteps current={step} />
      {children}
    </div>
  );
}

function planLabel(subscription: SubscriptionView, fmt: Formatter): string {
  const item = subscription.items[0];
  if (!item) return "Subscription";
  const price = item.price.unitAmount !== null ? ` · ${fmt.money(item.price.unitAmount * item.quantity, item.price.currency)} per ${intervalLabel(item.plan.interval, item.plan.intervalCount)}` : "";
  return `${item.plan.name}${price}`;
}

/** Step 3: exactly what happens, in the customer's time zone. */
async function ConfirmStep({ subscription, tz, attemptId }: { subscription: SubscriptionView; tz: string; attemptId: string }) {
  const fmt = await portalFormatter();
  const trial = subscription.status === "trialing" && subscription.trialEnd !== null;
  const until = fmt.date(trial ? subscription.trialEnd : subscription.currentPeriodEnd, tz);
  return (
    <Card>
      <CardHeader title="Confirm cancellation" />
      <CardBody className="space-y-5">
        <p className="text-[15px] leading-relaxed text-slate-900" data-testid="cancel-effect">
          {trial ? `Your free trial stays active until ${until}; you won't be charged.` : `Your subscription stays active until ${until}; you won't be charged again.`}
        </p>
        <DescriptionList
          items={[
            { label: "Plan", value: planLabel(subscription, fmt) },
            { label: trial ? "Trial ends" : "Active until", value: until },
            { label: "Further charges", value: "None" },
          ]}
        />
        {subscription.status === "past_due" ? (
          <Alert tone="warning">Invoices already issued are still due. Canceling stops future invoices only.</Alert>
        ) : null}
        <p className="text-sm text-slate-600">Changed your mind before {until}? You can keep your subscription from the billing overview.</p>
        <ConfirmForm action={confirmCancellationAction} attemptId={attemptId} />
      </CardBody>
    </Card>
  );
}

const blockerText: Record<CancelBlocker, (s: SubscriptionView, tz: string, fmt: Formatter) => { title: string; body: string }> = {
  scheduled: (s, tz, fmt) => ({ title: "Already canceled", body: `Your subscription is already set to end on ${fmt.date(s.currentPeriodEnd, tz)}. You won't be charged again. To keep it, reactivate it from the billing overview.` }),
  paused: () => ({ title: "Your subscription is paused", body: "You aren't being charged while it's paused. Resume it from the billing overview first, or contact support and we'll close it for you." }),
  incomplete: () => ({ title: "Your subscription hasn't started", body: "Its first payment was never completed, so there is nothing to cancel: it ends by itself if the payment isn't made." }),
  unpaid: () => ({ title: "Your subscription is unpaid", body: "Please pay the open invoice or contact support, and we'll help you close your account." }),
  ended: () => ({ title: "This subscription has ended", body: "There is nothing more to cancel." }),
};

async function NotCancellable({ blocker, subscription, tz }: { blocker: CancelBlocker; subscription: SubscriptionView; tz: string }) {
  const fmt = await portalFormatter();
  const text = blockerText[blocker](subscription, tz, fmt);
  return (
    <Card>
      <CardHeader title={text.title} description={planLabel(subscription, fmt)} />
      <CardBody className="space-y-4">
        <p className="text-sm leading-relaxed text-slate-700">{text.body}</p>
        <ButtonLink href="/" variant="secondary">
          Back to overview
        </ButtonLink>
      </CardBody>
    </Card>
  );
}

function SupportStep({ message, url }: { message: string; url: string | null }) {
  const address = /<([^>]+)>/.exec(env().EMAIL_FROM)?.[1] ?? env().EMAIL_FROM;
  const href = url ?? `mailto:${address}?subject=${encodeURIComponent("Help before I cancel")}`;
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="We're here to help" back={{ href: "/", label: "Overview" }} />
      <Card>
        <CardBody className="space-y-4 text-sm leading-relaxed text-slate-700">
          <p>{message}</p>
          <p>Your subscription stays exactly as it is while we talk.</p>
          <div className="flex flex-col gap-2 sm:flex-row">
            <ButtonLink href={href}>{url?.startsWith("https://") ? "Open support" : `Email ${url ? url.replace(/^mailto:/, "") : address}`}</ButtonLink>
            <ButtonLink href="/" variant="secondary">
              Back to overview
            </ButtonLink>
          </div>
        </CardBody>
      </Card>
    </div>
  );
}

function Closed({ abandoned, subscriptionId }: { abandoned: boolean; subscriptionId: string }) {
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Cancel subscription" back={{ href: "/", label: "Overview" }} />
      <Alert
        tone="info"
        title={abandoned ? "This cancellation was started again elsewhere" : "You've already made your choice"}
        action={<ButtonLink href={`/subscription/cancel?subscription=${subscriptionId}`} variant="secondary" size="sm">Start over</ButtonLink>}
      >
        {abandoned ? "Please start over so we show you the right details." : "Your billing overview shows what happens next."}
      </Alert>
    </div>
  );
}
