import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listActivePlansWithPrices } from "@/db/queries/catalog";
import { listPaymentMethods } from "@/db/queries/customers";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { CheckoutForm } from "@/components/portal/CheckoutForm";
import { formatMoney, intervalLabel } from "@/lib/format";
import { previewCheckout } from "@/lib/services/checkout/preview-checkout";
import { portalCustomer } from "@/lib/portal/customer";
import { startCardSetupAction, subscribeAction } from "./actions";

export const metadata: Metadata = { title: "Checkout · Tally" };

export default async function CheckoutPage({ params }: { params: Promise<{ plan: string }> }) {
  const { plan: code } = await params;
  const { customer } = await portalCustomer();
  const db = await getDb();
  const [catalog, methods] = await Promise.all([listActivePlansWithPrices(db), listPaymentMethods(db, customer.id)]);
  const entry = catalog.find((e) => e.plan.code === code);
  const price = entry?.prices.find((p) => p.currency === customer.currency);
  if (!entry || !price) notFound();
  const { plan } = entry;
  const { invoice, dueToday } = await previewCheckout(db, customer, plan, price, new Date());
  const amount = invoice.subtotal;
  const gst = invoice.tax;
  const money = (n: number) => formatMoney(n, price.currency);
  const saved = methods.find((m) => m.id === customer.defaultPaymentMethodId);
  // The Payment Element needs both keys: Stripe as the gateway and its publishable key for the browser.
  const stripeKey = process.env.STRIPE_SECRET_KEY ? (process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? null) : null;

  return (
    <div className="space-y-6">
      <PageHeader title={`Subscribe to ${plan.name}`} back={{ href: "/plans", label: "Plans" }} />
      <div className="grid gap-6 md:grid-cols-[1fr_1.1fr]">
        <Card>
          <CardHeader title="Order summary" />
          <CardBody>
            <dl className="space-y-2 text-sm">
              <div className="flex justify-between">
                <dt className="text-slate-700">{plan.name}, billed every {intervalLabel(plan.interval, plan.intervalCount)}</dt>
                <dd className="tabular-nums text-slate-900">{money(amount)}</dd>
              </div>
              {gst > 0 ? (
                <div className="flex justify-between text-slate-600">
                  <dt>{price.taxBehavior === "inclusive" ? "Includes GST (10%)" : "GST (10%)"}</dt>
                  <dd className="tabular-nums">{money(gst)}</dd>
                </div>
              ) : null}
              {plan.trialPeriodDays > 0 ? (
                <div className="flex justify-between text-slate-600">
                  <dt>{plan.trialPeriodDays}-day free trial</dt>
                  <dd>then {money(invoice.total)}</dd>
                </div>
              ) : null}
              <div className="flex justify-between border-t border-slate-200 pt-3 font-semibold text-slate-900">
                <dt>Due today</dt>
                <dd className="tabular-nums" data-testid="due-today">{money(dueToday)}</dd>
              </div>
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Payment" description={stripeKey ? "Your card is saved securely with Stripe." : "Sandbox mode: no real card is charged."} />
          <CardBody>
            <CheckoutForm
              action={subscribeAction}
              priceId={price.id}
              submitLabel={dueToday > 0 ? `Subscribe and pay ${money(dueToday)}` : "Start subscription"}
              savedCard={saved ? { label: `${saved.brand.charAt(0).toUpperCase()}${saved.brand.slice(1)} ending ${saved.last4}` } : null}
              stripe={stripeKey ? { publishableKey: stripeKey, startSetup: startCardSetupAction } : null}
            />
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
