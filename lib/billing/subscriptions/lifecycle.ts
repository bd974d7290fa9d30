import type { SubscriptionStatus } from "./statuses";
import { periodAt, periodBoundary } from "@/lib/time";
import type { BillingReason } from "../invoices/statuses";
import type { LineInput } from "../types";
import { periodLines } from "./period-lines";
import { usageLines } from "./usage-lines";
import { pauseAutoCancelAt } from "./pause";
import { INCOMPLETE_EXPIRY_HOURS, PAUSE_AUTO_CANCEL_DAYS, discountApplies, type SubscriptionState } from "./state";
import { canTransition } from "./state-machine";

const HOUR_MS = 3_600_000;

export type DueKind = "renewal" | "trial_end" | "cancel_at_period_end" | "pause_resume" | "pause_auto_cancel" | "incomplete_expiry";

/** The facts that decide when a subscription is next due; a stored row carries all of them. */
export type DueFacts = Pick<SubscriptionState, "status" | "period" | "trialEnd" | "cancelAtPeriodEnd" | "pausedAt" | "pauseResumesAt" | "timeZone">;

/** The next instant something happens to this subscription by itself, and what. */
export function nextDue(state: DueFacts): { at: Date; kind: DueKind } | null {
  switch (state.status) {
    case "canceled":
    case "incomplete_expired":
      return null;
    case "incomplete":
      return { at: new Date(state.period.start.getTime() + INCOMPLETE_EXPIRY_HOURS * HOUR_MS), kind: "incomplete_expiry" };
    case "paused": {
      const autoCancel = pauseAutoCancelAt(state.pausedAt ?? state.period.start, state.timeZone);
      if (state.pauseResumesAt && state.pauseResumesAt < autoCancel) return { at: state.pauseResumesAt, kind: "pause_resume" };
      return { at: autoCancel, kind: "pause_auto_cancel" };
    }
    case "trialing":
      return { at: state.trialEnd ?? state.period.end, kind: state.cancelAtPeriodEnd ? "cancel_at_period_end" : "trial_end" };
    default:
      return { at: state.period.end, kind: state.cancelAtPeriodEnd ? "cancel_at_period_end" : "renewal" };
  }
}

/** An invoice the step asks the service to create (lines before discount and tax). */
export interface StepInvoice {
  billingReason: BillingReason;
  period: { start: Date; end: Date };
  lines: LineInput[];
  /** Whether the subscription's coupon discounts this invoice. */
  discounted: boolean;
  /** Pending lines (prorations, one-offs) folded into this invoice. */
  consumesPendingLines: boolean;
}

export interface StepResult {
  kind: DueKind;
  at: Date;
  state: SubscriptionState;
  status: { to: SubscriptionStatus; reason: string } | null;
  invoice: StepInvoice | null;
  /** The scheduled change was applied by this step. */
  appliedPendingChange: boolean;
  endedAt: Date | null;
}

/**
 * What happens at the subscription's next due instant: a pure function of the state. The renewal,
 * the upcoming-invoice preview and the test clock all call it, so the preview is the invoice.
 */
export function step(state: SubscriptionState): StepResult | null {
  const due = nextDue(state);
  if (!due) return null;
  const { at, kind } = due;
  const base = { kind, at, appliedPendingChange: false, endedAt: null as Date | null };
  switch (kind) {
    case "incomplete_expiry":
      return { ...base, state: { ...state, status: "incomplete_expired" }, status: { to: "incomplete_expired", reason: "first invoice unpaid for 23 hours" }, invoice: null, endedAt: at };
    case "pause_auto_cancel":
      return { ...base, state: { ...state, status: "canceled", pendingLines: [] }, status: { to: "canceled", reason: `paused for ${PAUSE_AUTO_CANCEL_DAYS} days` }, invoice: finalInvoice(state), endedAt: at };
    case "cancel_at_period_end":
      return { ...base, state: { ...state, status: "canceled", pendingLines: [] }, status: { to: "canceled", reason: "canceled at period end" }, invoice: finalInvoice(state), endedAt: at };
    case "pause_resume":
      return restart(state, at, "active", "resumed as scheduled", kind);
    case "trial_end": {
      const to: SubscriptionStatus = state.collectionMethod === "charge_automatically" && !state.hasPaymentMethod ? "incomplete" : "active";
      return restart({ ...state, trialEnd: state.trialEnd }, at, to, to === "incomplete" ? "trial ended without a payment method" : "trial ended", kind, state.anchor);
    }
    case "renewal":
      return renew(state, at);
  }
}

/** Resume a paused subscription now: a new period starts today, billed in full. */
export function resumeNow(state: SubscriptionState, at: Date): StepResult {
  return restart(state, at, "active", "resumed", "pause_resume");
}

/** Start a fresh period at `at` (end of trial, resume after a pause): bill it in full, in advance. */
function restart(state: SubscriptionState, at: Date, to: SubscriptionStatus, reason: string, kind: DueKind, anchor: Date = at): StepResult {
  const applied = applyPending(state, at);
  const interval = applied.items[0]?.plan.interval ?? { unit: "month" as const, count: 1 };
  const period = { start: at, end: periodBoundary(anchor, interval, 1, state.timeZone) };
  const next: SubscriptionState = { ...applied, status: to, anchor, period, pausedAt: null, pauseResumesAt: null };
  return {
    kind,
    at,
    state: advanceDiscount(next),
    status: canTransition(state.status, to) ? { to, reason } : null,
    // A trial's usage is not billed; a paused subscription's usage up to its pause is, on resuming.
    invoice: invoiceFor(applied, period, "subscription_cycle", kind === "pause_resume" ? usageLines(state.items) : []),
    appliedPendingChange: applied !== state && state.pendingChange !== null,
    endedAt: null,
  };
}

/** The period boundary: apply a scheduled change, then bill the next period in advance. */
function renew(state: SubscriptionState, at: Date): StepResult {
  const applied = applyPending(state, at);
  const intervalChanged = applied.items[0]?.plan.interval.unit !== state.items[0]?.plan.interval.unit || applied.items[0]?.plan.interval.count !== state.items[0]?.plan.interval.count;
  const anchor = intervalChanged ? at : state.anchor;
  const interval = applied.items[0]?.plan.interval ?? { unit: "month" as const, count: 1 };
  const current = periodAt(anchor, interval, at, state.timeZone);
  const period = { start: at, end: current.end };
  const next: SubscriptionState = { ...applied, anchor, period };
  return {
    kind: "renewal",
    at,
    state: advanceDiscount(next),
    status: null,
    // The period that ends is billed for its usage (the items it had, before a scheduled change), the next in advance.
    invoice: invoiceFor(applied, period, "subscription_cycle", usageLines(state.items)),
    appliedPendingChange: state.pendingChange !== null && applied !== state,
    endedAt: null,
  };
}

function applyPending(state: SubscriptionState, at: Date): SubscriptionState {
  if (!state.pendingChange || state.pendingChange.effectiveAt > at) return state;
  return { ...state, items: state.pendingChange.items, pendingChange: null };
}

function invoiceFor(state: SubscriptionState, period: { start: Date; end: Date }, billingReason: BillingReason, usage: LineInput[]): StepInvoice {
  return {
    billingReason,
    period,
    lines: [...periodLines(state.items, period), ...usage, ...state.pendingLines],
    discounted: discountApplies(state.discount),
    consumesPendingLines: state.pendingLines.length > 0,
  };
}

/**
 * A subscription that ends with usage to bill (metered items) or prorations still waiting for its
 * next invoice (create_prorations) settles them on a final invoice, discounted as the renewal would
 * have been; otherwise they would never be billed or credited.
 */
function finalInvoice(state: SubscriptionState): StepInvoice | null {
  // A trial's usage is not billed (a paused subscription's usage is measured up to its pause).
  const usage = state.status === "trialing" ? [] : usageLines(state.items);
  if (state.pendingLines.length === 0 && usage.length === 0) return null;
  return { billingReason: "subscription_update", period: state.period, lines: [...usage, ...state.pendingLines], discounted: discountApplies(state.discount), consumesPendingLines: state.pendingLines.length > 0 };
}

/** After an invoice: the coupon has been used once more, and pending lines are spent. */
function advanceDiscount(state: SubscriptionState): SubscriptionState {
  const discount = state.discount && discountApplies(state.discount) ? { ...state.discount, periodsApplied: state.discount.periodsApplied + 1 } : state.discount;
  return { ...state, discount, pendingLines: [] };
}
