import type { SubscriptionStatus } from "./statuses";
import { AppError } from "@/lib/errors";

/** The legal transitions of a subscription; anything else is a bug or a refused request. */
export const transitions: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  incomplete: ["active", "trialing", "incomplete_expired", "canceled"],
  incomplete_expired: [],
  trialing: ["active", "past_due", "incomplete", "paused", "canceled", "unpaid"],
  active: ["past_due", "paused", "canceled", "unpaid"],
  past_due: ["active", "unpaid", "canceled", "paused"],
  unpaid: ["active", "canceled"],
  paused: ["active", "canceled"],
  canceled: [],
};

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(from: SubscriptionStatus, to: SubscriptionStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError("conflict", {
      message: `illegal subscription transition ${from} → ${to}`,
      userMessage: `A ${from.replace("_", " ")} subscription cannot become ${to.replace("_", " ")}.`,
    });
  }
}
