import { divRoundHalfAwayFromZero } from "@/lib/money/rounding";
import { formatDecimal } from "@/lib/money/exact-decimal";

/**
 * The summary metrics of a period (decision 032), from figures already in one currency. Rates are
 * decimal strings with RATE_SCALE places, rounded once half away from zero; null where the
 * denominator is zero (a rate of nothing is not 0 %). Amounts are minor units.
 */
export const RATE_SCALE = 4;

export interface SummaryInputs {
  /** MRR at the end of the day before the period (minor units). */
  startMrr: number;
  /** MRR at the end of the period's last day. */
  endMrr: number;
  /** The period's movements, summed: churn and contraction are negative. */
  moved: { new: number; expansion: number; contraction: number; churn: number; reactivation: number };
  /** Customers with MRR above zero at the start, at the end; customers who churned during the period. */
  customersAtStart: number;
  activeCustomers: number;
  churnedCustomers: number;
  /** Trials that ended in the period, and those of them that went on to a paid status. */
  trialsEnded: number;
  trialsConverted: number;
  /** Payments settled in the period: succeeded and failed. */
  paymentsSucceeded: number;
  paymentsFailed: number;
  /** Invoices with a failed payment in the period, and those of them paid by the period's end. */
  invoicesFailed: number;
  invoicesRecovered: number;
}

export interface SummaryMetrics {
  mrr: number;
  arr: number;
  active_customers: number;
  arpu: number;
  customer_churn_rate: string | null;
  gross_mrr_churn_rate: string | null;
  net_mrr_churn_rate: string | null;
  nrr: string | null;
  grr: string | null;
  ltv: number | null;
  trial_conversion_rate: string | null;
  payment_success_rate: string | null;
  recovery_rate: string | null;
}

const SCALE = 10n ** BigInt(RATE_SCALE);

/** num / den as a decimal string (at most RATE_SCALE places, trailing zeros dropped: "0.05"), rounded once; null for den 0. */
export function rate(num: number | bigint, den: number | bigint): string | null {
  if (BigInt(den) === 0n) return null;
  return formatDecimal({ units: divRoundHalfAwayFromZero(BigInt(num) * SCALE, BigInt(den)), scale: RATE_SCALE });
}

export function summaryMetrics(i: SummaryInputs): SummaryMetrics {
  const lost = -(i.moved.churn + i.moved.contraction);
  const won = i.moved.expansion + i.moved.reactivation;
  const arpu = i.activeCustomers === 0 ? 0 : Number(divRoundHalfAwayFromZero(BigInt(i.endMrr), BigInt(i.activeCustomers)));
  // LTV = ARPU ÷ customer churn rate, exactly: ARPU × customers at start ÷ churned customers, rounded once.
  const ltv = i.churnedCustomers === 0 || i.customersAtStart === 0 || i.activeCustomers === 0 ? null : Number(divRoundHalfAwayFromZero(BigInt(i.endMrr) * BigInt(i.customersAtStart), BigInt(i.activeCustomers) * BigInt(i.churnedCustomers)));
  return {
    mrr: i.endMrr,
    arr: i.endMrr * 12,
    active_customers: i.activeCustomers,
    arpu,
    customer_churn_rate: rate(i.churnedCustomers, i.customersAtStart),
    gross_mrr_churn_rate: rate(lost, i.startMrr),
    net_mrr_churn_rate: rate(lost - won, i.startMrr),
    nrr: rate(i.startMrr - lost + won, i.startMrr),
    grr: rate(i.startMrr - lost, i.startMrr),
    ltv,
    trial_conversion_rate: rate(i.trialsConverted, i.trialsEnded),
    payment_success_rate: rate(i.paymentsSucceeded, i.paymentsSucceeded + i.paymentsFailed),
    recovery_rate: rate(i.invoicesRecovered, i.invoicesFailed),
  };
}
