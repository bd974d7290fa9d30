/** Why a subscriber wants to cancel: the survey's answers, in the order the portal lists them. */
export const cancellationReasons = ["too_expensive", "not_using", "missing_feature", "switching", "technical_issues", "other"] as const;
export type CancellationReason = (typeof cancellationReasons)[number];

/**
 * What the cancel flow offers for a reason. Percent is whole percent (1–100), months 1–12; a pause
 * lasts 1–3 months; a cheaper plan is a plan id, or null for "the next cheaper plan".
 */
export type RetentionOfferTerms =
  | { kind: "discount"; percent: number; months: number }
  | { kind: "pause"; maxMonths: number }
  | { kind: "cheaper_plan"; planId: string | null }
  | { kind: "contact_support"; message: string; url: string | null }
  | { kind: "none" };
export type RetentionOfferKind = RetentionOfferTerms["kind"];

/** What the subscriber decided in the cancel flow. */
export const retentionOutcomes = ["accepted_discount", "paused", "switched_plan", "contacted_support", "canceled", "abandoned"] as const;
export type RetentionOutcome = (typeof retentionOutcomes)[number];

/** The offer as the subscriber saw it: its terms then, and what it concretely meant (e.g. the plan named). */
export interface OfferSnapshot {
  terms: RetentionOfferTerms;
  /** For cheaper_plan: the plan and price resolved when shown. */
  plan?: { id: string; name: string; priceId: string; unitAmount: number; currency: string } | null;
  /** For discount: how many invoices the coupon covers (months ÷ the plan's interval). */
  periods?: number;
}
