import { describe, expect, it } from "vitest";
import { rate, summaryMetrics, type SummaryInputs } from "./metrics";

const base: SummaryInputs = {
  startMrr: 100_000,
  endMrr: 103_000,
  moved: { new: 5_000, expansion: 4_000, contraction: -1_000, churn: -6_000, reactivation: 1_000 },
  customersAtStart: 50,
  activeCustomers: 51,
  churnedCustomers: 2,
  trialsEnded: 8,
  trialsConverted: 6,
  paymentsSucceeded: 197,
  paymentsFailed: 3,
  invoicesFailed: 3,
  invoicesRecovered: 2,
};

describe("summaryMetrics", () => {
  it("computes every metric from the period's figures", () => {
    expect(summaryMetrics(base)).toEqual({
      mrr: 103_000,
      arr: 1_236_000,
      active_customers: 51,
      arpu: 2020, // 103000 / 51 = 2019.6
      customer_churn_rate: "0.04", // 2 / 50
      gross_mrr_churn_rate: "0.07", // (6000 + 1000) / 100000
      net_mrr_churn_rate: "0.02", // (7000 − 4000 − 1000) / 100000
      nrr: "0.98", // (100000 − 7000 + 5000) / 100000
      grr: "0.93",
      ltv: 50490, // 103000 × 50 / (51 × 2) = 50490.2
      trial_conversion_rate: "0.75",
      payment_success_rate: "0.985",
      recovery_rate: "0.6667",
    });
  });

  it("gives null for a rate of nothing, and no LTV without churn", () => {
    const m = summaryMetrics({ ...base, startMrr: 0, customersAtStart: 0, churnedCustomers: 0, trialsEnded: 0, paymentsSucceeded: 0, paymentsFailed: 0, invoicesFailed: 0 });
    expect([m.customer_churn_rate, m.gross_mrr_churn_rate, m.net_mrr_churn_rate, m.nrr, m.grr, m.ltv, m.trial_conversion_rate, m.payment_success_rate, m.recovery_rate]).toEqual([null, null, null, null, null, null, null, null, null]);
  });

  it("rounds a rate once, half away from zero, negative rates too", () => {
    expect(rate(1, 3)).toBe("0.3333");
    expect(rate(2, 3)).toBe("0.6667");
    expect(rate(1, 20000)).toBe("0.0001"); // 0.00005 → 0.0001
    expect(rate(-1, 20000)).toBe("-0.0001");
    expect(rate(0, 7)).toBe("0");
    expect(rate(3, 3)).toBe("1");
  });
});
