import { exclusiveTax, inclusiveTaxPortion } from "@/lib/money";
import type { TaxCalculator } from "./port";

/** Australian GST: 10% since 1 July 2000, on supplies to customers in Australia. */
const GST_RATE = "0.1";

export const australianGst: TaxCalculator = {
  calculate({ customer, lines }) {
    const country = (customer.address.country ?? "").toUpperCase();
    const inAustralia = country === "AU" || (country === "" && customer.currency === "aud");
    if (!inAustralia || customer.taxExempt !== "none") return lines.map(() => []);
    return lines.map((line) => {
      const inclusive = line.taxBehavior === "inclusive";
      const amount = inclusive ? inclusiveTaxPortion(line.amount, GST_RATE) : exclusiveTax(line.amount, GST_RATE);
      return [{ amount, rate: GST_RATE, jurisdiction: "AU GST", inclusive }];
    });
  },
};
