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
