import type { SubscriptionStatus } from "@/lib/billing/subscriptions/statuses";

/**
 * What removing a card does, decided in one place for the portal's confirmation text and the
 * service that removes it, so what the customer reads is what happens.
 *
 * The rule: the last card cannot be removed while a subscription will charge it (active, trialing,
 * past due, unpaid or paused, collected automatically and not ending at the period's end). Removing
 * it would only make the next renewal fail and start dunning; the customer adds another card first
 * (or cancels). Removing the default when other cards remain makes the most recently added other
 * card the default, which the confirmation names.
 */
export interface CardRef {
  id: string;
  createdAt: Date;
}

export interface SubscriptionRef {
  status: SubscriptionStatus;
  collectionMethod: "charge_automatically" | "send_invoice";
  cancelAtPeriodEnd: boolean;
}

export type RemovalEffect =
  /** The only card, and a subscription will charge it: refused. */
  | { kind: "last_card_in_use" }
  /** The default goes; `next` becomes the default. */
  | { kind: "new_default"; next: string }
  /** The only card, and nothing will charge it: no card remains. */
  | { kind: "last_card" }
  /** Another card stays the default. */
  | { kind: "not_default" };

const CHARGING: readonly SubscriptionStatus[] = ["active", "trialing", "past_due", "unpaid", "paused"];

/** Subscriptions that will charge the default card by themselves. */
export function chargesCard(subscription: SubscriptionRef): boolean {
  return CHARGING.includes(subscription.status) && subscription.collectionMethod === "charge_automatically" && !subscription.cancelAtPeriodEnd;
}

export function removalEffect(input: { target: string; cards: readonly CardRef[]; defaultId: string | null; subscriptions: readonly SubscriptionRef[] }): RemovalEffect {
  const others = input.cards.filter((c) => c.id !== input.target);
  if (others.length === 0) return input.subscriptions.some(chargesCard) ? { kind: "last_card_in_use" } : { kind: "last_card" };
  if (input.defaultId !== input.target) return { kind: "not_default" };
  // Same choice as detachPaymentMethod: the most recently added other card.
  const next = [...others].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))[0]!;
  return { kind: "new_default", next: next.id };
}
