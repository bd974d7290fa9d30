import { describe, expect, it } from "vitest";
import { dunningOutcomes, retentionOutcomes } from "./outcomes";

describe("dunningOutcomes", () => {
  it("counts across currencies, amounts per currency, recovery rate once", () => {
    const r = dunningOutcomes([
      { currency: "usd", outcome: "recovered", invoices: 2, amount_due: "3000", recovered: "3000" },
      { currency: "aud", outcome: "recovered", invoices: 1, amount_due: "1100", recovered: "1100" },
      { currency: "aud", outcome: "lost", invoices: 1, amount_due: "500", recovered: "0" },
      { currency: "aud", outcome: "in_dunning", invoices: 2, amount_due: "2000", recovered: "0" },
    ]);
    expect(r).toEqual({
      entered: 6,
      recovered: 3,
      lost: 1,
      in_dunning: 2,
      recovery_rate: "0.5",
      amounts: [
        { currency: "aud", amount_due: 3600, recovered: 1100, lost: 500, in_dunning: 2000 },
        { currency: "usd", amount_due: 3000, recovered: 3000, lost: 0, in_dunning: 0 },
      ],
    });
  });

  it("nothing entered: no rate", () => {
    expect(dunningOutcomes([]).recovery_rate).toBeNull();
  });
});

describe("retentionOutcomes", () => {
  it("accepted = discount + pause + cheaper plan; canceled anyway = canceled after an offer", () => {
    const r = retentionOutcomes(
      [
        { outcome: "accepted_discount", offer_shown: true, attempts: 2 },
        { outcome: "paused", offer_shown: true, attempts: 1 },
        { outcome: "canceled", offer_shown: true, attempts: 1 },
        { outcome: "canceled", offer_shown: false, attempts: 3 },
        { outcome: "contacted_support", offer_shown: true, attempts: 1 },
        { outcome: "abandoned", offer_shown: false, attempts: 1 },
        { outcome: null, offer_shown: true, attempts: 1 },
      ],
      [{ currency: "usd", saved: "900" }, { currency: "aud", saved: "2500" }],
    );
    expect(r).toEqual({
      attempts: 10,
      offers_shown: 6,
      accepted: 3,
      accepted_discount: 2,
      paused: 1,
      switched_plan: 0,
      contacted_support: 1,
      canceled: 4,
      canceled_after_offer: 1,
      abandoned: 1,
      in_progress: 1,
      acceptance_rate: "0.5",
      mrr_saved: [
        { currency: "aud", amount: 2500 },
        { currency: "usd", amount: 900 },
      ],
    });
  });
});
