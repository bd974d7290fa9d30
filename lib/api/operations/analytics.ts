import { z } from "zod";
import { defineOperation } from "../operation";
import { analyticsSummaryResource, cohortGridResource, mrrSeriesResource, outcomesResource } from "../resources/analytics";

const TAGS = ["Analytics"];
const day = z.iso.date().meta({ example: "2027-01-01" });
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, { message: "must be a three-letter ISO 4217 code" })
  .optional()
  .meta({ description: "The reporting currency (default: the install's default currency). Other currencies are converted at the rate of the day (POST /fx_rates); a missing rate is a 422 fx_rate_missing." });

const DEFINITIONS =
  "Definitions follow ChartMogul: a subscription's MRR is what its invoices bill per recurring period, net of tax and discounts, as a monthly amount (annual ÷ 12, weekly × 52 ÷ 12, daily × 365 ÷ 12), rounded once per invoice line half away from zero; a proration line counts its item's full rate from its start. Trials, paused, canceled, incomplete and unpaid subscriptions count 0; past_due counts until the subscription ends. Metered usage and one-off charges are not recurring. Each customer's MRR per currency is read at the end of each UTC day; a change is new (first above 0), expansion, contraction (down, still above 0), churn (to 0) or reactivation (above 0 again after a churn).";

export const mrrSeriesOp = defineOperation({
  method: "GET",
  path: "/analytics/mrr",
  operationId: "analyticsMrr",
  summary: "MRR and its movements by day or month",
  description: `MRR at the end of each bucket of [from, to] (UTC days) with the bucket's movements summed; mrr of a bucket = mrr of the one before + new + expansion + contraction + churn + reactivation. ${DEFINITIONS}`,
  tags: TAGS,
  query: z.object({ from: day, to: day, interval: z.enum(["day", "month"]).default("month"), currency }),
  response: mrrSeriesResource,
});

export const analyticsSummaryOp = defineOperation({
  method: "GET",
  path: "/analytics/summary",
  operationId: "analyticsSummary",
  summary: "MRR, churn, retention, LTV and payment metrics for a date",
  description: `Figures at the end of \`date\` and rates over the UTC calendar month to \`date\`; every amount in the reporting currency at the rate of \`date\` (so an exchange-rate move never shows as churn). Each field's formula is in its description. ${DEFINITIONS}`,
  tags: TAGS,
  query: z.object({ date: day, currency }),
  response: analyticsSummaryResource,
});

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "must be a month, YYYY-MM" }).meta({ example: "2027-01" });

export const cohortsOp = defineOperation({
  method: "GET",
  path: "/analytics/cohorts",
  operationId: "analyticsCohorts",
  summary: "Revenue retention by start-month cohort",
  description: `One row per cohort starting in the months [from, to] (at most 120), one cell per month k from its start to \`to\`. A customer's cohort is the UTC month its MRR (any currency) first went above zero. cell(k).mrr = Σ the cohort's customers' MRR at the end of month k; starting_mrr = cell(0).mrr; revenue_retention(k) = cell(k).mrr ÷ starting_mrr (so month 0 is 100 %); customers(k) = the cohort's customers with MRR above zero at the end of month k; customer_retention(k) = customers(k) ÷ cohort size. Amounts in the reporting currency at the rate of the last day of \`to\`. \${DEFINITIONS}`,
  tags: TAGS,
  query: z.object({ from: month, to: month, currency }),
  response: cohortGridResource,
});

export const outcomesOp = defineOperation({
  method: "GET",
  path: "/analytics/outcomes",
  operationId: "analyticsOutcomes",
  summary: "Dunning and retention-offer outcomes of a date range",
  description:
    "Over the UTC days [from, to]. Dunning: automatically collected invoices whose first failed payment fell in the range, each judged at the end of `to` — recovered (paid), lost (voided, marked uncollectible, or its subscription canceled or unpaid after the failure) or still in dunning; recovery_rate = recovered ÷ entered. Retention offers: cancel-flow passes started in the range by outcome; acceptance_rate = accepted ÷ offers shown; MRR saved = Σ, over passes that accepted a discount, a pause or a cheaper plan, the customer's MRR in the subscription's currency at the end of the day before the decision. Counts add up across currencies; amounts are per currency in minor units.",
  tags: TAGS,
  query: z.object({ from: day, to: day }),
  response: outcomesResource,
});

export const analyticsOperations = [mrrSeriesOp, analyticsSummaryOp, cohortsOp, outcomesOp];
