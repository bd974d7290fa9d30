import type { RetentionOutcome } from "@/lib/billing/retention/vocabulary";
import { rate } from "./metrics";

/**
 * Dunning and retention-offer outcomes of a date range (decision 035), from the statements' rows.
 * Counts add up across currencies; amounts stay per currency (minor units). Pure.
 */

export interface DunningRowInput {
  currency: string;
  outcome: "recovered" | "lost" | "in_dunning";
  invoices: number;
  amount_due: string;
  recovered: string;
}

export interface DunningOutcomes {
  /** Invoices whose first failed payment fell in the range. */
  entered: number;
  /** Of them, paid by the range's end. */
  recovered: number;
  /** Voided, marked uncollectible, or their subscription canceled or unpaid, by the range's end. */
  lost: number;
  /** Still open and collecting at the range's end. */
  in_dunning: number;
  /** recovered ÷ entered. */
  recovery_rate: string | null;
  amounts: { currency: string; amount_due: number; recovered: number; lost: number; in_dunning: number }[];
}

export function dunningOutcomes(rows: readonly DunningRowInput[]): DunningOutcomes {
  const count = (o?: DunningRowInput["outcome"]) => rows.filter((r) => !o || r.outcome === o).reduce((n, r) => n + r.invoices, 0);
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  const due = (c: string, o?: DunningRowInput["outcome"]) => rows.filter((r) => r.currency === c && (!o || r.outcome === o)).reduce((n, r) => n + Number(r.amount_due), 0);
  const entered = count();
  const recovered = count("recovered");
  return {
    entered,
    recovered,
    lost: count("lost"),
    in_dunning: count("in_dunning"),
    recovery_rate: rate(recovered, entered),
    amounts: currencies.map((c) => ({
      currency: c,
      amount_due: due(c),
      recovered: rows.filter((r) => r.currency === c).reduce((n, r) => n + Number(r.recovered), 0),
      lost: due(c, "lost"),
      in_dunning: due(c, "in_dunning"),
    })),
  };
}

/** Outcomes that kept the subscriber: a discount, a pause or a cheaper plan. */
export const SAVED_OUTCOMES: readonly RetentionOutcome[] = ["accepted_discount", "paused", "switched_plan"];

export interface RetentionOutcomes {
  /** Passes through the cancel flow started in the range. */
  attempts: number;
  /** Of them, an offer was shown. */
  offers_shown: number;
  /** Accepted an offer (discount, pause, cheaper plan). */
  accepted: number;
  accepted_discount: number;
  paused: number;
  switched_plan: number;
  contacted_support: number;
  /** Canceled, with or without an offer. */
  canceled: number;
  /** Canceled after being shown an offer. */
  canceled_after_offer: number;
  abandoned: number;
  in_progress: number;
  /** accepted ÷ offers shown. */
  acceptance_rate: string | null;
  /** Per currency: the MRR of the accepting customers the day before they decided. */
  mrr_saved: { currency: string; amount: number }[];
}

export function retentionOutcomes(rows: readonly { outcome: RetentionOutcome | null; offer_shown: boolean; attempts: number }[], saved: readonly { currency: string; saved: string }[]): RetentionOutcomes {
  const count = (test: (r: (typeof rows)[number]) => boolean) => rows.filter(test).reduce((n, r) => n + r.attempts, 0);
  const of = (o: RetentionOutcome | null) => count((r) => r.outcome === o);
  const accepted = count((r) => r.outcome !== null && SAVED_OUTCOMES.includes(r.outcome));
  const offersShown = count((r) => r.offer_shown);
  return {
    attempts: count(() => true),
    offers_shown: offersShown,
    accepted,
    accepted_discount: of("accepted_discount"),
    paused: of("paused"),
    switched_plan: of("switched_plan"),
    contacted_support: of("contacted_support"),
    canceled: of("canceled"),
    canceled_after_offer: count((r) => r.outcome === "canceled" && r.offer_shown),
    abandoned: of("abandoned"),
    in_progress: of(null),
    acceptance_rate: rate(accepted, offersShown),
    mrr_saved: [...saved].sort((a, b) => a.currency.localeCompare(b.currency)).map((s) => ({ currency: s.currency, amount: Number(s.saved) })),
  };
}
