import { z } from "zod";

const minor = (description: string) => z.number().int().meta({ description });
const rateText = (description: string) => z.string().nullable().meta({ description: `${description} A decimal string rounded once to at most 4 places ("0.0312" = 3.12 %); null when its denominator is zero.`, example: "0.0312" });

export const mrrPointResource = z
  .object({
    date: z.string().meta({ description: "The bucket's first UTC day (YYYY-MM-DD).", example: "2027-01-01" }),
    mrr: minor("MRR at the end of the bucket's last day (or `to`, if earlier)."),
    new: minor("MRR of customers whose MRR went above zero for the first time."),
    expansion: minor("Increases of customers already above zero."),
    contraction: minor("Decreases that left the customer above zero (negative)."),
    churn: minor("MRR of customers who went to zero (negative)."),
    reactivation: minor("MRR of customers above zero again after a churn."),
  })
  .meta({ id: "MrrPoint" });

export const mrrSeriesResource = z
  .object({
    object: z.literal("mrr_series"),
    currency: z.string(),
    interval: z.enum(["day", "month"]),
    data: z.array(mrrPointResource),
  })
  .meta({ id: "MrrSeries" });

export const analyticsSummaryResource = z
  .object({
    object: z.literal("analytics_summary"),
    date: z.string().meta({ example: "2027-03-31" }),
    period_start: z.string().meta({ description: "The first day of the period the rates cover: the UTC calendar month of `date`, to `date` inclusive." }),
    currency: z.string(),
    mrr: minor("Σ customers' MRR at the end of `date` (net of tax and discounts; annual ÷ 12; trials, paused and ended subscriptions 0; past_due counts)."),
    arr: minor("MRR × 12."),
    active_customers: z.number().int().meta({ description: "Customers whose MRR is above zero at the end of `date`." }),
    arpu: minor("MRR ÷ active customers, rounded once (0 with no customers)."),
    customer_churn_rate: rateText("Customers who churned in the period ÷ customers above zero at its start."),
    gross_mrr_churn_rate: rateText("(churned + contraction MRR) ÷ MRR at the start."),
    net_mrr_churn_rate: rateText("(churned + contraction − expansion − reactivation MRR) ÷ MRR at the start; negative when expansion outweighs churn."),
    nrr: rateText("Net revenue retention: (MRR at the start − churn − contraction + expansion + reactivation) ÷ MRR at the start = 1 − net MRR churn rate (new customers excluded)."),
    grr: rateText("Gross revenue retention: (MRR at the start − churn − contraction) ÷ MRR at the start = 1 − gross MRR churn rate."),
    ltv: z.number().int().nullable().meta({ description: "Customer lifetime value: ARPU ÷ customer churn rate (monthly), computed exactly and rounded once; null without churn." }),
    trial_conversion_rate: rateText("Trials that ended in the period and went on to active or past_due ÷ trials that ended in it."),
    payment_success_rate: rateText("Payments made in the period that succeeded ÷ those that succeeded or failed."),
    recovery_rate: rateText("Invoices with a failed payment in the period that were paid by its end ÷ invoices with a failed payment in it."),
  })
  .meta({ id: "AnalyticsSummary" });

export const cohortCellResource = z
  .object({
    months_since_start: z.number().int().meta({ description: "k: 0 is the cohort's start month." }),
    mrr: minor("Σ the cohort's customers' MRR at the end of month k (its last UTC day; the current month: the latest figure)."),
    revenue_retention: rateText("mrr ÷ starting_mrr. Month 0 is 1 whenever starting_mrr is above zero; above 1 when expansion outweighs churn."),
    customers: z.number().int().meta({ description: "The cohort's customers with MRR above zero at the end of month k (never more than the cohort's size)." }),
    customer_retention: rateText("customers ÷ the cohort's size."),
  })
  .meta({ id: "CohortCell" });

export const cohortResource = z
  .object({
    cohort: z.string().meta({ description: "The start month (YYYY-MM): the UTC month of the first day the customer's MRR, in any currency, was above zero.", example: "2027-01" }),
    customers: z.number().int().meta({ description: "The cohort's size: customers whose MRR first went above zero in the month (including those who churned within it)." }),
    starting_mrr: minor("The cohort's MRR at the end of its start month (month 0's mrr)."),
    cells: z.array(cohortCellResource).meta({ description: "One per month from the start month to `to`." }),
  })
  .meta({ id: "Cohort" });

export const cohortGridResource = z
  .object({
    object: z.literal("cohort_grid"),
    from: z.string().meta({ example: "2027-01" }),
    to: z.string().meta({ example: "2027-12" }),
    currency: z.string(),
    rate_date: z.string().meta({ description: "Every currency is converted at this day's rate (the last day of `to`), so an exchange-rate move never shows as retention." }),
    data: z.array(cohortResource),
  })
  .meta({ id: "CohortGrid" });

const count = (description: string) => z.number().int().meta({ description });

export const outcomesResource = z
  .object({
    object: z.literal("analytics_outcomes"),
    from: z.string().meta({ example: "2027-01-01" }),
    to: z.string().meta({ example: "2027-03-31" }),
    dunning: z.object({
      entered: count("Automatically collected invoices whose first failed payment (its settlement time, else its creation) fell in [from, to]."),
      recovered: count("Of them, paid by the end of `to`."),
      lost: count("Not paid and, by the end of `to`, voided, marked uncollectible, or their subscription canceled or unpaid after the failure."),
      in_dunning: count("Neither: still open and being collected at the end of `to`."),
      recovery_rate: rateText("recovered ÷ entered."),
      amounts: z
        .array(
          z.object({
            currency: z.string(),
            amount_due: minor("Σ the entered invoices' amount due."),
            recovered: minor("Σ the payments that succeeded on the recovered invoices after their first failure, by the end of `to`."),
            lost: minor("Σ the lost invoices' amount due."),
            in_dunning: minor("Σ the amount due of those still in dunning."),
          }),
        )
        .meta({ description: "Per currency, not converted." }),
    }),
    retention: z.object({
      attempts: count("Passes through the cancel flow started in [from, to]."),
      offers_shown: count("Of them, those shown a retention offer."),
      accepted: count("Accepted an offer: accepted_discount + paused + switched_plan."),
      accepted_discount: count("Took the discount."),
      paused: count("Paused instead of canceling."),
      switched_plan: count("Moved to a cheaper plan."),
      contacted_support: count("Chose to talk to support (nothing changed on the subscription)."),
      canceled: count("Canceled, with or without an offer."),
      canceled_after_offer: count("Canceled after being shown an offer (canceled anyway)."),
      abandoned: count("Left the flow without deciding (undecided for a day counts as abandoned)."),
      in_progress: count("Started less than a day ago, still undecided."),
      acceptance_rate: rateText("accepted ÷ offers_shown."),
      mrr_saved: z
        .array(z.object({ currency: z.string(), amount: minor("Σ, over the attempts that accepted, the customer's MRR in its subscription's currency at the end of the UTC day before the decision: what the cancellation would have taken.") }))
        .meta({ description: "Per currency, not converted." }),
    }),
  })
  .meta({ id: "AnalyticsOutcomes" });
