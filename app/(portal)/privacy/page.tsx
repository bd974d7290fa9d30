import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Alert, PageHeader } from "@/components/ui";
import { actorOf } from "@/lib/auth/session";
import { portalCustomer } from "@/lib/portal/customer";
import { previewDeletion, type SubscriptionOnDeletion } from "@/lib/services/privacy/deletion-preview";
import { deleteAccountAction } from "./actions";
import { PrivacySections } from "./PrivacySections";
import type { Formatter } from "@/lib/format";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Privacy · Tally" };

function subscriptionEffect(sub: SubscriptionOnDeletion, fmt: Formatter): string {
  const money = (n: number) => fmt.money(n, sub.currency);
  const parts: string[] = [sub.status === "trialing" ? "your free trial ends today and nothing is charged" : "ends today"];
  if (sub.refundTo === "card") parts.push(`${money(sub.refund)} for the unused time is refunded to the card that paid for it`);
  if (sub.refundTo === "balance") parts.push(`${money(sub.refund)} for the unused time goes to your account credit, which is not paid out`);
  if (sub.finalCharge > 0) parts.push(`changes not billed yet are charged on a final invoice of ${money(sub.finalCharge)}`);
  if (sub.refund === 0 && sub.finalCharge === 0 && sub.status !== "trialing") parts.push("nothing is refunded, as the current period isn't paid or has no unused time");
  return parts.join("; ");
}

export default async function PrivacyPage() {
  const fmt = await portalFormatter();
  const { user, customer } = await portalCustomer();
  const now = new Date();
  const preview = await previewDeletion({ db: await getDb(), actor: actorOf(user), now }, customer.id);
  const money = (n: number) => fmt.money(n, preview.currency);
  const refunded = preview.subscriptions.filter((s) => s.refundTo === "card").reduce((sum, s) => sum + s.refund, 0);
  const charged = preview.subscriptions.reduce((sum, s) => sum + s.finalCharge, 0);
  const moneyEffect =
    refunded === 0 && charged === 0
      ? "Deleting your account charges nothing and refunds nothing."
      : `Deleting your account ${[refunded > 0 ? `refunds ${money(refunded)} to your card` : null, charged > 0 ? `charges a final ${money(charged)}` : null].filter(Boolean).join(" and ")}.`;
  const retainUntil = fmt.date(preview.retainUntil, customer.timezone);

  const consequences = (
    <>
      {preview.openInvoices.length > 0 ? (
        <Alert tone="warning" title={preview.openInvoices.length === 1 ? "You have an unpaid invoice" : `You have ${preview.openInvoices.length} unpaid invoices`}>
          {preview.openInvoices.map((inv, i) => (
            <span key={inv.id}>
              {i > 0 ? ", " : ""}
              <Link href={`/invoices/${inv.id}`} className="font-medium underline">
                {inv.number ?? "Invoice"}
              </Link>{" "}
              ({fmt.money(inv.amountRemaining, inv.currency)})
            </span>
          ))}
          . Deleting your account doesn&apos;t cancel what you owe; please pay first.
        </Alert>
      ) : null}
      <h3 className="font-medium text-slate-900">What happens</h3>
      <ul className="list-disc space-y-2 pl-5">
        {preview.subscriptions.length === 0 ? (
          <li>You have no active subscription, so nothing is canceled or refunded.</li>
        ) : (
          preview.subscriptions.map((sub) => (
            <li key={sub.id}>
              <span className="font-medium text-slate-900">{sub.name}</span>: {subscriptionEffect(sub, fmt)}.
            </li>
          ))
        )}
        <li>
          Your name becomes &ldquo;Deleted customer&rdquo;, your email address is replaced by one that receives nothing, and your address and tax IDs are removed.
          {preview.cards > 0 ? ` Your ${preview.cards === 1 ? "saved card is" : `${preview.cards} saved cards are`} removed here and at our payment provider.` : ""}
        </li>
        <li>
          Invoices, payments, refunds and credit notes are kept for {preview.retentionYears} years (until {retainUntil}), as tax law requires, with the billing details they were issued with. After that they&apos;re deleted.
        </li>
        {preview.creditBalance > 0 ? <li>Your account credit of {money(preview.creditBalance)} is not paid out.</li> : null}
        <li>You&apos;ll be signed out and can&apos;t sign in to this account again. You can sign up again later as a new customer.</li>
      </ul>
    </>
  );

  return (
    <div className="space-y-6">
      <PageHeader title="Privacy" description="Get a copy of your data, or delete your account." />
      <PrivacySections action={deleteAccountAction} email={user.email} consequences={consequences} moneyEffect={moneyEffect} />
    </div>
  );
}
