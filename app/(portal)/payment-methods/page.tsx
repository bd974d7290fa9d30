import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { customerNow, listPaymentMethods } from "@/db/queries/customers";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { Alert, ButtonLink, EmptyState, PageHeader } from "@/components/ui";
import { PaymentMethodList, type CardView } from "@/components/portal/PaymentMethodList";
import { actorOf } from "@/lib/auth/session";
import { portalCustomer } from "@/lib/portal/customer";
import { cardLabel, expiryLabel, expiryStatus } from "@/lib/services/payment-methods/card-display";
import { chargesCard, removalEffect } from "@/lib/services/payment-methods/removal-policy";
import { upcomingInvoice } from "@/lib/services/subscriptions/preview";
import { makeDefaultAction, removeCardAction } from "./actions";
import { portalFormatter } from "@/lib/portal/formatter";

export const metadata: Metadata = { title: "Payment methods · Tally" };

export default async function PaymentMethodsPage() {
  const fmt = await portalFormatter();
  const { user, customer } = await portalCustomer();
  const db = await getDb();
  const [cards, subscriptions] = await Promise.all([listPaymentMethods(db, customer.id), listLiveSubscriptions(db, customer.id)]);
  const now = await customerNow(db, customer, new Date());
  const tz = customer.timezone;

  // The next automatic charge, named in the removal confirmations ("your renewal on … for …").
  const renewing = subscriptions.find(chargesCard);
  const next = renewing ? await upcomingInvoice({ db, actor: actorOf(user), now: new Date() }, renewing.id).catch(() => null) : null;
  const renewal = next && next.invoice.amountDue > 0 ? `your next renewal on ${fmt.date(next.date, tz)} for ${fmt.money(next.invoice.amountDue, next.invoice.currency)}` : null;
  const byId = new Map(cards.map((c) => [c.id, c]));

  const views: CardView[] = cards.map((card) => {
    const label = cardLabel(card);
    const effect = removalEffect({ target: card.id, cards, defaultId: customer.defaultPaymentMethodId, subscriptions });
    let removal: CardView["removal"];
    switch (effect.kind) {
      case "last_card_in_use":
        removal = {
          allowed: false,
          body: `${label} is your only card, and your subscription renews with it${renewal ? ` (${renewal})` : ""}. Without a card that payment would fail, so add another card first, then remove this one. If you're leaving, cancel your subscription instead.`,
        };
        break;
      case "new_default": {
        const nextCard = byId.get(effect.next);
        const nextLabel = nextCard ? cardLabel(nextCard) : "your most recent other card";
        removal = {
          allowed: true,
          body: `${label} is your default card. ${nextLabel} becomes your default${renewal ? ` and ${renewal} will be charged to it` : ""}. Nothing is charged now.`,
        };
        break;
      }
      case "last_card":
        removal = { allowed: true, body: `You'll have no saved card. Nothing renews automatically, so nothing will be charged; you can add a card any time.` };
        break;
      case "not_default":
        removal = { allowed: true, body: `${label} will be removed from your account. Your default card stays as it is and nothing is charged.` };
        break;
    }
    return { id: card.id, label, expiry: expiryLabel(card), expiryStatus: expiryStatus(card, now, tz), isDefault: card.id === customer.defaultPaymentMethodId, removal };
  });

  const expiredDefault = views.find((v) => v.isDefault && v.expiryStatus === "expired");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Payment methods"
        description="Your default card pays your subscription automatically. You can keep other cards as backups."
        actions={cards.length > 0 ? <ButtonLink href="/payment-methods/add">Add a card</ButtonLink> : undefined}
      />
      {cards.length === 0 ? (
        <EmptyState
          title="No saved cards"
          description={renewing ? "Your subscription has no card to renew with. Add one so your next payment goes through." : "Add a card to pay for a plan automatically."}
          action={<ButtonLink href="/payment-methods/add">Add a card</ButtonLink>}
          icon={
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
              <rect x="3" y="5" width="18" height="14" rx="2" />
              <path strokeLinecap="round" d="M3 10h18M7 15h3" />
            </svg>
          }
        />
      ) : (
        <>
          {expiredDefault ? (
            <Alert tone="warning" title="Your default card has expired">
              Automatic payments will fail until you add a new card or make another card your default.
            </Alert>
          ) : null}
          <PaymentMethodList cards={views} makeDefault={makeDefaultAction} remove={removeCardAction} addHref="/payment-methods/add" />
          <p className="text-[13px] text-slate-600">
            While a subscription renews with your cards, one card always stays on file: add a new card before removing the last one. Removing your default card makes your most recently added other card the default.
          </p>
        </>
      )}
    </div>
  );
}
