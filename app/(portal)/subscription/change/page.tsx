import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listActivePlansWithPrices } from "@/db/queries/catalog";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { Alert, ButtonLink, Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui";
import { ChangePlanPicker, type PlanOption } from "@/components/portal/ChangePlanPicker";
import { ConfirmChange } from "@/components/portal/ConfirmChange";
import { InvoicePreview } from "@/components/portal/InvoicePreview";
import { intervalKey, intervalName, pickablePlans, plural, unitLabel } from "@/components/portal/plan-display";
import { actorOf } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { intervalLabel } from "@/lib/format";
import { portalCustomer } from "@/lib/portal/customer";
import { previewPlanChange, type PlanChangePreview } from "@/lib/services/checkout/change-plan";
import { planItemOf, SUPPORT } from "@/lib/services/subscriptions/plan-item";
import { applyChangeAction } from "./actions";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Change plan · Tally" };

const INTERVAL_ORDER = ["day", "week", "month", "year"];

export default async function ChangePlanPage({ searchParams }: { searchParams: Promise<{ price?: string; quantity?: string }> }) {
  const fmt = await portalFormatter();
  const query = await searchParams;
  const { user, customer } = await portalCustomer();
  const db = await getDb();
  const [catalog, live] = await Promise.all([listActivePlansWithPrices(db).then(pickablePlans), listLiveSubscriptions(db, customer.id)]);
  const sub = live.find((s) => s.status !== "incomplete");
  const header = <PageHeader title="Change plan" back={{ href: "/", label: "Overview" }} />;

  if (!sub) {
    return (
      <div>
        {header}
        <EmptyState title="You don't have a subscription to change" description="Choose a plan to get started." action={<ButtonLink href="/plans">See plans</ButtonLink>} />
      </div>
    );
  }
  // The plan is the one licensed item; metered add-ons ("API calls") stay as they are through a change.
  const { plan: current, addOns, refusal } = planItemOf(sub.items);
  const blocked = sub.items.length === 0
    ? "This subscription has no plan."
    : refusal
      ? `${refusal} ${SUPPORT}`
      : sub.cancelAtPeriodEnd
        ? `Your subscription is set to cancel on ${fmt.date(sub.currentPeriodEnd, customer.timezone)}. Keep your subscription from the overview first, then change plans.`
        : sub.status === "paused"
          ? "Your subscription is paused. Resume it from the overview first, then change plans."
          : !["active", "trialing", "past_due"].includes(sub.status)
            ? "This subscription can't be changed."
            : null;
  if (blocked || !current) {
    return (
      <div>
        {header}
        <Alert tone="warning" title="This subscription can't be changed right now" action={<ButtonLink href="/" size="sm" variant="secondary">Back to overview</ButtonLink>}>
          {blocked}
        </Alert>
      </div>
    );
  }

  // The plans on offer in the subscription's currency, plus what they have now (a grandfathered price stays choosable for seat changes).
  // With add-ons, only plans on the add-ons' interval: every item of a subscription bills on one.
  const onAddOnInterval = (plan: { interval: string; intervalCount: number }) => addOns.every((a) => a.plan.interval === plan.interval && a.plan.intervalCount === plan.intervalCount);
  const options: PlanOption[] = catalog.flatMap(({ plan, prices }) => {
    const price = prices.find((p) => p.currency === sub.currency && p.usageType === "licensed");
    if (!price || price.id === current.price.id || !onAddOnInterval(plan)) return [];
    return [{ priceId: price.id, name: plan.name, intervalKey: intervalKey(plan), amount: fmt.money(price.unitAmount ?? 0, price.currency), per: per(plan), unit: unitLabel(plan), isCurrent: false }];
  });
  options.unshift({
    priceId: current.price.id,
    name: current.plan.name,
    intervalKey: intervalKey(current.plan),
    amount: fmt.money(current.price.unitAmount ?? 0, current.price.currency),
    per: per(current.plan),
    unit: unitLabel(current.plan),
    isCurrent: true,
  });
  const intervals = [...new Map([current.plan, ...catalog.map((e) => e.plan)].filter((p) => options.some((o) => o.intervalKey === intervalKey(p))).map((p) => [intervalKey(p), p])).values()]
    .sort((a, b) => INTERVAL_ORDER.indexOf(a.interval) - INTERVAL_ORDER.indexOf(b.interval) || a.intervalCount - b.intervalCount)
    .map((p) => ({ key: intervalKey(p), label: intervalName(p) }));

  const selected = options.find((o) => o.priceId === query.price) ?? options[0]!;
  const requested = Number(query.quantity);
  const quantity = selected.unit ? (Number.isSafeInteger(requested) && requested >= 1 ? requested : current.quantity) : selected.isCurrent ? current.quantity : 1;
  const unchanged = selected.isCurrent && quantity === current.quantity;

  let preview: PlanChangePreview | null = null;
  let error: string | null = null;
  if (!unchanged) {
    try {
      preview = await previewPlanChange({ db, actor: actorOf(user), now: new Date() }, customer.id, { subscriptionId: sub.id, priceId: selected.priceId, quantity });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      error = e.userMessage;
    }
  }

  return (
    <div>
      {header}
      <p className="-mt-3 mb-6 text-sm text-slate-600">
        You&apos;re on <span className="font-medium text-slate-900">{current.plan.name}</span>
        {current.quantity > 1 || unitLabel(current.plan) ? ` with ${current.quantity} ${plural(unitLabel(current.plan) ?? "unit", current.quantity)}` : ""}. Upgrades apply now and you pay the difference for the rest of this period; downgrades apply when
        the period ends on {fmt.date(sub.currentPeriodEnd, customer.timezone)}.
        {addOns.length > 0 ? ` ${addOnSentence(addOns.map((a) => a.plan.name))}` : ""}
      </p>
      <ChangePlanPicker options={options} intervals={intervals} selectedPriceId={selected.priceId} quantity={quantity}>
        <Card>
          <CardHeader title="What you'll pay" />
          <CardBody className="space-y-4">
            {unchanged ? (
              <p className="text-sm text-slate-600">Choose another plan{selected.unit ? ` or number of ${selected.unit}s` : ""} to see what changes.</p>
            ) : error ? (
              <Alert tone="danger" title="We can't preview this change">
                {error}
              </Alert>
            ) : preview ? (
              <PreviewPanel preview={preview} subscriptionId={sub.id} timeZone={customer.timezone} currentName={current.plan.name} />
            ) : null}
          </CardBody>
        </Card>
      </ChangePlanPicker>
    </div>
  );
}

/** "Your API calls add-on stays as it is: …" — a plan change keeps the add-ons measuring at their prices. */
function addOnSentence(names: string[]): string {
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`;
  return `Your ${list} ${names.length === 1 ? "add-on stays" : "add-ons stay"} as ${names.length === 1 ? "it is" : "they are"}: usage keeps counting and is billed at the end of the period.`;
}

function per(plan: { interval: string; intervalCount: number; metadata: Record<string, string> }): string {
  const unit = unitLabel(plan);
  return `${unit ? ` per ${unit}` : ""} / ${intervalLabel(plan.interval, plan.intervalCount)}`;
}

async function PreviewPanel({ preview, subscriptionId, timeZone: tz, currentName }: { preview: PlanChangePreview; subscriptionId: string; timeZone: string; currentName: string }) {
  const fmt = await portalFormatter();
  const money = (n: number) => fmt.money(n, preview.currency);
  const { target, next, kind } = preview;
  const unit = unitLabel(target.plan);
  const targetName = unit ? `${target.quantity} ${plural(unit, target.quantity)} of ${target.plan.name}` : target.plan.name;
  const then = next ? `then ${money(next.invoice.amountDue)} on ${fmt.date(next.date, tz)}` : "";
  const headline = preview.amountDueNow === 0 && !preview.invoiceNow ? `Nothing today${then ? `, ${then}` : ""}` : `${money(preview.amountDueNow)} today${then ? `, ${then}` : ""}`;
  const fields = {
    subscriptionId,
    priceId: target.price.id,
    quantity: target.quantity,
    prorationDate: preview.prorationDate.toISOString(),
    expectedAmountDue: preview.amountDueNow,
  };
  const copy =
    kind === "upgrade"
      ? {
          trigger: preview.amountDueNow > 0 ? `Switch now and pay ${money(preview.amountDueNow)}` : "Switch now",
          title: `Switch to ${targetName} now?`,
          body: `You'll be charged ${money(preview.amountDueNow)} today for the rest of this period${next ? `, then ${money(next.invoice.amountDue)} on ${fmt.date(next.date, tz)}` : ""}.`,
          confirm: preview.amountDueNow > 0 ? `Pay ${money(preview.amountDueNow)} and switch` : "Switch now",
        }
      : kind === "downgrade"
        ? {
            trigger: "Schedule change",
            title: `Change to ${targetName} on ${fmt.date(preview.effectiveAt, tz)}?`,
            body: `Nothing is charged today and you keep ${currentName} until ${fmt.date(preview.effectiveAt, tz)}${next ? `. From then you pay ${money(next.invoice.amountDue)}, first on ${fmt.date(next.date, tz)}` : ""}. You can undo this until then.`,
            confirm: "Schedule change",
          }
        : {
            trigger: "Switch plan",
            title: `Switch to ${targetName}?`,
            body: `Nothing is charged during your trial${next ? `; when it ends on ${fmt.date(next.date, tz)} you'll pay ${money(next.invoice.amountDue)}` : ""}.`,
            confirm: "Switch plan",
          };

  return (
    <>
      <p className="text-lg font-semibold tracking-tight text-slate-900" data-testid="change-headline">
        {headline}
      </p>
      {kind === "downgrade" ? (
        <p className="text-sm text-slate-600">
          Your plan changes to {targetName} on {fmt.date(preview.effectiveAt, tz)}. You keep {currentName} until then.
        </p>
      ) : null}
      {preview.invoiceNow ? (
        <section aria-label="Today">
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Today</h3>
          <InvoicePreview fmt={fmt} invoice={preview.invoiceNow} timeZone={tz} label="Charged today" testId="charged-today" />
        </section>
      ) : null}
      {next ? (
        <section aria-label="Next invoice">
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Next invoice · {fmt.date(next.date, tz)}</h3>
          <InvoicePreview fmt={fmt} invoice={next.invoice} timeZone={tz} label="Next invoice" testId="next-invoice" />
        </section>
      ) : null}
      <ConfirmChange action={applyChangeAction} fields={fields} triggerLabel={copy.trigger} title={copy.title} body={copy.body} confirmLabel={copy.confirm} />
    </>
  );
}
