import type { Metadata } from "next";
import type { ReactNode } from "react";
import { connection } from "next/server";
import { getDb } from "@/db/client";
import { Alert, ButtonLink, Card, CardBody, Wordmark } from "@/components/ui";
import { SandboxConfirmPayment } from "@/components/payments/SandboxConfirmPayment";
import { StripeConfirmPayment } from "@/components/payments/StripeConfirmPayment";
import { env, appUrl } from "@/lib/env";
import { gateway } from "@/lib/payments";
import { confirmPath, verifyConfirmToken } from "@/lib/services/payments/sca/confirm-token";
import { loadPaymentSummary, type ConfirmationState, type PaymentSummary } from "@/lib/services/payments/sca/payment-summary";
import { confirmPaymentAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your payment · Tally", robots: { index: false, follow: false } };

const BUSINESS = "Tally";

const headings: Record<ConfirmationState, string> = {
  action_required: "Confirm your payment",
  confirmed: "Payment confirmed",
  failed: "Payment not completed",
  closed: "Nothing to confirm",
  processing: "Payment processing",
};

/**
 * The SCA confirm page, reached from the signed link in the "confirm your payment" email (or
 * straight from checkout). Public: the token is the credential, checked before anything is read.
 */
export default async function ConfirmPaymentPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ cancelled?: string }> }) {
  await connection();
  const [{ token }, { cancelled }] = await Promise.all([params, searchParams]);
  const check = verifyConfirmToken(token, new Date());
  if (!check.ok) return <LinkProblem expired={check.reason === "expired"} />;
  const summary = await loadPaymentSummary(await getDb(), check.paymentId);
  if (!summary) return <LinkProblem expired={false} />;
  const { invoice, customer, state, fmt } = summary;
  const timeZone = customer.timezone;

  return (
    <Frame>
      <header className="space-y-1.5">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">{headings[state]}</h1>
        <p className="text-sm text-slate-600">
          {BUSINESS} · Invoice {invoice.number}
        </p>
      </header>

      <Card>
        <CardBody className="space-y-1">
          <p className="text-[13px] font-medium text-slate-600">{state === "confirmed" ? "Amount paid" : "Amount"}</p>
          <p className="text-3xl font-semibold tracking-tight text-slate-900 tabular-nums" data-testid="pay-amount">
            {summary.amount}
          </p>
          {summary.taxNote ? <p className="text-sm text-slate-600">{summary.taxNote}</p> : null}
        </CardBody>
        <CardBody className="border-t border-slate-200">
          <dl className="space-y-2 text-sm">
            <Fact label="Billed to" value={customer.name ?? customer.email} />
            <Fact label="Issued" value={fmt.date(invoice.finalizedAt ?? invoice.createdAt, timeZone)} />
            {summary.cardLabel ? <Fact label="Card" value={summary.cardLabel} /> : null}
          </dl>
        </CardBody>
        <CardBody className="space-y-4 border-t border-slate-200">
          <StatePanel summary={summary} token={token} cancelled={cancelled === "1"} expiresAt={check.expiresAt} />
        </CardBody>
      </Card>
    </Frame>
  );
}

async function StatePanel({ summary, token, cancelled, expiresAt }: { summary: PaymentSummary; token: string; cancelled: boolean; expiresAt: Date }) {
  const { invoice, customer, payment } = summary;
  const invoiceLink = (
    <ButtonLink href={`/i/${invoice.hostedToken}`} variant="secondary" className="w-full sm:w-auto">
      View invoice
    </ButtonLink>
  );
  switch (summary.state) {
    case "confirmed":
      return (
        <>
          <Alert tone="success" title="Thank you: your payment went through">
            We received {summary.amount} for invoice {invoice.number}. A receipt is on its way to {customer.email}.
          </Alert>
          <div className="flex sm:justify-end">{invoiceLink}</div>
        </>
      );
    case "failed":
      return (
        <>
          <Alert tone="danger" title="This payment did not go through">
            {payment.failureMessage ?? "Your bank did not approve the payment."} Nothing was charged. Add a new card in your billing portal and we'll charge it straight away.
          </Alert>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            {invoiceLink}
            <ButtonLink href="/payment-methods" className="w-full sm:w-auto">
              Update your card
            </ButtonLink>
          </div>
        </>
      );
    case "closed":
      return (
        <>
          <Alert tone="info" title={invoice.status === "paid" ? "This invoice is already paid" : "This invoice no longer needs a payment"}>
            Nothing more is needed from you, and nothing was charged through this link.
          </Alert>
          <div className="flex sm:justify-end">{invoiceLink}</div>
        </>
      );
    case "processing":
      return (
        <Alert tone="info" title="Your payment is being processed">
          Your bank has not answered yet. Reload this page in a minute to see the result.
        </Alert>
      );
    case "action_required":
      return <ActionRequired summary={summary} token={token} cancelled={cancelled} expiresAt={expiresAt} />;
  }
}

async function ActionRequired({ summary, token, cancelled, expiresAt }: { summary: PaymentSummary; token: string; cancelled: boolean; expiresAt: Date }) {
  const { payment, customer, method, fmt } = summary;
  const action = confirmPaymentAction.bind(null, token);
  const cancelHref = `${confirmPath(token)}?cancelled=1`;
  const lastDay = fmt.date(new Date(expiresAt.getTime() - 1), customer.timezone);
  const publishableKey = env().NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;
  const stripe = payment.gateway === "stripe" && publishableKey ? await stripeConfirmation(summary) : null;

  let confirm: ReactNode;
  if (payment.gateway === "stripe") {
    confirm =
      stripe && publishableKey ? (
        <StripeConfirmPayment
          publishableKey={publishableKey}
          clientSecret={stripe.clientSecret}
          paymentMethod={method?.gatewayId ?? null}
          returnUrl={`${appUrl()}${confirmPath(token)}`}
          action={action}
          cancelHref={cancelHref}
        />
      ) : (
        <Alert tone="warning" title="This payment can't be confirmed online right now">
          Please try again later, or add a new card in your billing portal.
        </Alert>
      );
  } else {
    confirm = <SandboxConfirmPayment action={action} cancelHref={cancelHref} />;
  }

  return (
    <>
      {cancelled ? (
        <Alert tone="warning" title="Payment not confirmed">
          Nothing was charged and the invoice is still open. You can confirm it from this link until {lastDay}.
        </Alert>
      ) : null}
      <section aria-labelledby="bank-check" className="rounded-lg border border-brand-200 bg-brand-50 px-4 py-3.5">
        <div className="flex gap-3">
          <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-brand-600">
            <path
              fillRule="evenodd"
              clipRule="evenodd"
              d="M10 1a4.5 4.5 0 0 0-4.5 4.5V9H5a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-6a2 2 0 0 0-2-2h-.5V5.5A4.5 4.5 0 0 0 10 1Zm3 8V5.5a3 3 0 1 0-6 0V9h6Z"
            />
          </svg>
          <div className="min-w-0 space-y-1 text-sm leading-relaxed text-brand-900">
            <h2 id="bank-check" className="font-medium">
              Your bank asks you to confirm this payment
            </h2>
            <p>
              {summary.cardLabel ? `Your ${summary.cardLabel} needs` : "Your card needs"} an extra check before {summary.amount} can be taken. Nothing has been charged yet.
            </p>
            {payment.gateway === "sandbox" ? (
              <p className="text-[13px] text-brand-800">Sandbox mode: this step stands in for your bank&apos;s own screen. No real card is charged.</p>
            ) : null}
          </div>
        </div>
      </section>
      {confirm}
    </>
  );
}

/** The PaymentIntent's client secret, from the gateway (never stored by Tally). */
async function stripeConfirmation(summary: PaymentSummary): Promise<{ clientSecret: string } | null> {
  const { payment } = summary;
  const gw = gateway();
  if (gw.name !== "stripe" || !payment.gatewayId) return null;
  const result = await gw
    .retrieveCharge({ gatewayId: payment.gatewayId, idempotencyKey: payment.idempotencyKey, metadata: { invoice_id: payment.invoiceId, payment_id: payment.id } })
    .catch(() => null);
  return result?.status === "requires_action" && result.clientSecret ? { clientSecret: result.clientSecret } : null;
}

function LinkProblem({ expired }: { expired: boolean }) {
  return (
    <Frame>
      <header className="space-y-1.5">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">
          {expired ? "This payment link has expired" : "This payment link doesn't work"}
        </h1>
      </header>
      <Card>
        <CardBody className="space-y-4">
          <p className="text-sm leading-relaxed text-slate-700">
            {expired
              ? "For your security, links to confirm a payment work for 7 days. Nothing was charged."
              : "The link may be incomplete: check that you opened the whole link from the email. Nothing was charged."}{" "}
            Sign in to your billing portal to see your invoices and pay them, or to update your card.
          </p>
          <div className="flex justify-end">
            <ButtonLink href="/">Go to your billing portal</ButtonLink>
          </div>
        </CardBody>
      </Card>
    </Frame>
  );
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="text-slate-600">{label}</dt>
      <dd className="min-w-0 text-right break-words text-slate-900">{value}</dd>
    </div>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <main className="mx-auto max-w-lg space-y-6 px-4 py-10 sm:py-16">
      <Wordmark name={BUSINESS} suffix="Billing" />
      {children}
    </main>
  );
}
