import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { listActivePlansWithPrices } from "@/db/queries/catalog";
import { listPaymentMethods } from "@/db/queries/customers";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { Button, Card, CardBody, CardHeader, Input, PageHeader } from "@/components/ui";
import { CheckoutForm } from "@/components/portal/CheckoutForm";
import { pickablePlans, pricePerInterval, taxLabel, trialMessage } from "@/components/portal/plan-display";
import { intervalLabel, taxNote } from "@/lib/format";
import { AppError } from "@/lib/errors";
import { previewCheckout, type CheckoutPreview } from "@/lib/services/checkout/preview-checkout";
import { portalCustomer } from "@/lib/portal/customer";
import { startCardSetupAction, subscribeAction } from "./actions";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Checkout · Tally" };

export default async function CheckoutPage({ params, searchParams }: { params: Promise<{ plan: string }>; searchParams: Promise<{ promo?: string }> }) {
  const fmt = await portalFormatter();
  const [{ plan: code }, { promo }] = await Promise.all([params, searchParams]);
  const { customer } = await portalCustomer();
  const db = await getDb();
  const [catalog, methods, live] = await Promise.all([listActivePlansWithPrices(db).then(pickablePlans), listPaymentMethods(db, customer.id), listLiveSubscriptions(db, customer.id)]);
  const entry = catalog.find((e) => e.plan.code === code);
  const price = entry?.prices.find((p) => p.currency === customer.currency);
  if (!entry || !price) notFound();
  const { plan } = entry;
  // A subscriber changes plans with a proration preview instead of checking out a second time.
  if (live.some((s) => s.status !== "incomplete")) redirect(`/subscription/change?price=${encodeURIComponent(price.id)}`);

  const now = new Date();
  const typed = promo?.trim() ?? "";
  let promoError: string | null = null;
  let preview: CheckoutPreview;
  try {
    preview = await previewCheckout(db, customer, plan, price, now, { promotionCode: typed || null });
  } catch (error) {
    if (!(error instanceof AppError) || error.param !== "promotion_code") throw error;
    promoError = error.code === "not_found" ? "We don't recognise that code. Check the spelling and try again." : error.userMessage;
    preview = await previewCheckout(db, customer, plan, price, now);
  }
  const { invoice, dueToday, trialEnd, discount } = preview;
  const money = (n: number) => fmt.money(n, price.currency);
  const tz = customer.timezone;
  const saved = methods.find((m) => m.id === customer.defaultPaymentMethodId);
  const trial = trialMessage(plan, price, fmt);
  // The Payment Element needs both keys: Stripe as the gateway and its publishable key for the browser.
  const stripeKey = process.env.STRIPE_SECRET_KEY ? (process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? null) : null;
  const inclusive = price.taxBehavior === "inclusive";

  return (
    <div className="space-y-6">
      <PageHeader title={`Subscribe to ${plan.name}`} description={trial ?? `${pricePerInterval(plan, price, fmt)}, ${taxNote(price.taxBehavior, price.currency)}.`} back={{ href: "/plans", label: "Plans" }} />
      <div className="grid gap-6 md:grid-cols-[1fr_1.1fr]">
        <Card className="self-start">
          <CardHeader title="Order summary" />
          <CardBody className="space-y-5">
            <dl className="space-y-2 text-sm" aria-label="Order summary">
              <div className="flex justify-between gap-4">
                <dt className="text-slate-700">
                  {plan.name}, billed every {intervalLabel(plan.interval, plan.intervalCount)}
                </dt>
                <dd className="shrink-0 whitespace-nowrap tabular-nums text-slate-900">{money(invoice.subtotal)}</dd>
              </div>
              {discount ? (
                <div className="flex justify-between gap-4 text-success-800">
                  <dt>
                    <span className="font-medium">{discount.code}</span> · {discount.summary}
                  </dt>
                  <dd className="shrink-0 whitespace-nowrap tabular-nums" data-testid="discount">
                    −{money(invoice.discountTotal)}
                  </dd>
                </div>
              ) : null}
              {invoice.tax > 0 ? (
                <div className="flex justify-between gap-4 text-slate-600">
                  <dt>{inclusive ? `Includes ${taxLabel(invoice.lines)}` : taxLabel(invoice.lines)}</dt>
                  <dd className="shrink-0 whitespace-nowrap tabular-nums">{money(invoice.tax)}</dd>
                </div>
              ) : null}
              {trialEnd ? (
                <>
                  <div className="flex justify-between gap-4 text-slate-600">
                    <dt>{plan.trialPeriodDays}-day free trial</dt>
                    <dd className="shrink-0 whitespace-nowrap">Nothing due today</dd>
                  </div>
                  <div className="flex justify-between gap-4 text-slate-600">
                    <dt>First payment on {fmt.date(trialEnd, tz)}</dt>
                    <dd className="shrink-0 whitespace-nowrap tabular-nums" data-testid="after-trial">
                      {money(invoice.amountDue)}
                    </dd>
                  </div>
                </>
              ) : null}
              <div className="flex justify-between gap-4 border-t border-slate-200 pt-3 font-semibold text-slate-900">
                <dt>Due today</dt>
                <dd className="shrink-0 whitespace-nowrap tabular-nums" data-testid="due-today">
                  {money(dueToday)}
                </dd>
              </div>
            </dl>
            {trialEnd ? (
              <p className="text-[13px] text-slate-600">
                We&apos;ll remind you 3 days before your trial ends. Cancel before {fmt.date(trialEnd, tz)} and you won&apos;t be charged.
              </p>
            ) : null}
            {discount ? (
              <p className="flex flex-wrap items-center justify-between gap-2 text-[13px] text-slate-600">
                <span>
                  Promotion code <span className="font-medium text-slate-900">{discount.code}</span> applied.
                </span>
                <Link href={`/checkout/${encodeURIComponent(plan.code)}`} className="font-medium text-brand-700 hover:underline">
                  Remove code
                </Link>
              </p>
            ) : (
              <form method="get" className="flex items-start gap-2">
                <Input
                  label="Promotion code"
                  name="promo"
                  defaultValue={typed}
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  maxLength={40}
                  error={promoError}
                  wrapperClassName="flex-1"
                />
                <Button type="submit" variant="secondary" className="mt-[26px]">
                  Apply
                </Button>
              </form>
            )}
          </CardBody>
        </Card>
        <Card className="self-start">
          <CardHeader title="Payment" description={stripeKey ? "Your card is saved securely with Stripe." : "Sandbox mode: no real card is charged."} />
          <CardBody>
            <CheckoutForm
              action={subscribeAction}
              priceId={price.id}
              promotionCode={discount?.code ?? null}
              submitLabel={trialEnd ? "Start free trial" : dueToday > 0 ? `Subscribe and pay ${money(dueToday)}` : "Start subscription"}
              footnote={trialEnd ? `Your card is saved for when the trial ends. Nothing is charged today.` : null}
              savedCard={saved ? { label: `${saved.brand.charAt(0).toUpperCase()}${saved.brand.slice(1)} ending ${saved.last4}` } : null}
              stripe={stripeKey ? { publishableKey: stripeKey, startSetup: startCardSetupAction } : null}
            />
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
