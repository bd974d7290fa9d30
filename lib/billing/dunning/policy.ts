import { addDays } from "@/lib/time";

/**
 * Dunning: what happens to a customer whose automatic payment failed, by the days since the first
 * failure of their oldest unpaid invoice — calendar days in the customer's zone, so a stage falls
 * due at the same local wall-clock time as the failure (decision 002). Day 0 is the "payment failed" email (sent per failed
 * payment); then a reminder, a warning (customer status `warning`) and finally the block (status
 * `blocked`, the final action applied to the subscription and the invoice). Pure: no I/O.
 */
export type DunningStage = "none" | "failed" | "reminder" | "warning" | "blocked";
export type CustomerAccess = "active" | "warning" | "blocked";

export interface DunningSchedule {
  reminder: number;
  warning: number;
  blocked: number;
}

export const DEFAULT_DUNNING_SCHEDULE: DunningSchedule = { reminder: 3, warning: 7, blocked: 14 };

/** The stages after day 0 that act (record an event, send an email), in order. */
export const ACTING_STAGES = ["reminder", "warning", "blocked"] as const;
export type ActingStage = (typeof ACTING_STAGES)[number];

const RANK: Record<DunningStage, number> = { none: 0, failed: 1, reminder: 2, warning: 3, blocked: 4 };
const ACCESS_RANK: Record<CustomerAccess, number> = { active: 0, warning: 1, blocked: 2 };

export const stageRank = (stage: DunningStage): number => RANK[stage];

/** The instant a stage falls due for a dunning that started at `firstFailureAt`: that many calendar days later in `timeZone`. */
export function stageAt(firstFailureAt: Date, stage: ActingStage, timeZone: string, schedule: DunningSchedule = DEFAULT_DUNNING_SCHEDULE): Date {
  return addDays(firstFailureAt, schedule[stage], timeZone);
}

/** The stage reached at `now`; `none` without a failure (or before it). */
export function dunningStage(firstFailureAt: Date | null, now: Date, timeZone: string, schedule: DunningSchedule = DEFAULT_DUNNING_SCHEDULE): DunningStage {
  if (!firstFailureAt || now < firstFailureAt) return "none";
  let reached: DunningStage = "failed";
  for (const stage of ACTING_STAGES) if (stageAt(firstFailureAt, stage, timeZone, schedule) <= now) reached = stage;
  return reached;
}

/** The customer status a stage implies: a reminder still serves the customer. */
export function accessFor(stage: DunningStage): CustomerAccess {
  if (stage === "blocked") return "blocked";
  if (stage === "warning") return "warning";
  return "active";
}

/** Dunning only moves a customer forward; recovery (a payment) brings them back to active. */
export function escalate(current: CustomerAccess, target: CustomerAccess): CustomerAccess {
  return ACCESS_RANK[target] > ACCESS_RANK[current] ? target : current;
}

/** The next acting stage after `recorded` (the highest already acted on), and when it falls due; null when blocked. */
export function nextStage(
  firstFailureAt: Date,
  recorded: DunningStage,
  timeZone: string,
  schedule: DunningSchedule = DEFAULT_DUNNING_SCHEDULE,
): { stage: ActingStage; at: Date } | null {
  const stage = ACTING_STAGES.find((s) => RANK[s] > RANK[recorded]);
  return stage ? { stage, at: stageAt(firstFailureAt, stage, timeZone, schedule) } : null;
}

/** An unpaid invoice collected automatically whose charge failed, with its first failure and the customer's time zone. */
export interface FailingInvoice {
  customerId: string;
  invoiceId: string;
  firstFailureAt: Date;
  timeZone: string;
}

/** Dunning counts from each customer's oldest failing invoice: the first of each customer in `rows` (oldest first failure first). */
export function oldestPerCustomer<T extends Pick<FailingInvoice, "customerId">>(rows: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) if (!seen.has(row.customerId)) seen.set(row.customerId, row);
  return [...seen.values()];
}

/** The highest stage acted on, from the types of the `customer.dunning.<stage>` events recorded for an invoice. */
export function highestRecordedStage(eventTypes: readonly string[]): DunningStage {
  let reached: DunningStage = "none";
  for (const type of eventTypes) {
    const stage = ACTING_STAGES.find((s) => type === `customer.dunning.${s}`);
    if (stage && RANK[stage] > RANK[reached]) reached = stage;
  }
  return reached;
}

export type DunningFinalAction = "unpaid" | "cancel" | "past_due";
export type DunningFinalInvoiceState = "open" | "uncollectible";

/** What the block does to a past_due subscription: its next status, or null to leave it. */
export function finalSubscriptionStatus(action: DunningFinalAction, status: string): "unpaid" | "canceled" | null {
  if (action === "unpaid") return status === "past_due" ? "unpaid" : null;
  if (action === "cancel") return status === "past_due" || status === "unpaid" ? "canceled" : null;
  return null;
}
