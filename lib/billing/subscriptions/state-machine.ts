import type { SubscriptionStatus } from "./statuses";
import { AppError } from "@/lib/errors";

/**
 * The legal transitions of a subscription; anything else is a bug or a refused request. Who may do
 * what follows from here: a pause, for one, is allowed from exactly the statuses that may become
 * `paused` (pausableStatuses), in the service and in every screen that offers it.
 */
export const transitions: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  incomplete: ["active", "trialing", "incomplete_expired", "canceled"],
  incomplete_expired: [],
  trialing: ["active", "past_due", "incomplete", "canceled", "unpaid"],
  active: ["past_due", "paused", "canceled", "unpaid"],
  past_due: ["active", "unpaid", "canceled", "paused"],
  unpaid: ["active", "canceled"],
  paused: ["active", "canceled"],
  canceled: [],
};

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return transitions[from].includes(to);
}

/** The statuses a subscription may be paused from. */
export const pausableStatuses: readonly SubscriptionStatus[] = (Object.keys(transitions) as SubscriptionStatus[]).filter((from) => canTransition(from, "paused"));

/** Whether a subscription in `status` may be paused (a plain string for screens that carry the status as one). */
export function canPause(status: string): boolean {
  return (pausableStatuses as readonly string[]).includes(status);
}

export function assertTransition(from: SubscriptionStatus, to: SubscriptionStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError("conflict", {
      message: `illegal subscription transition ${from} → ${to}`,
      userMessage: `A ${from.replace("_", " ")} subscription cannot become ${to.replace("_", " ")}.`,
    });
  }
}
