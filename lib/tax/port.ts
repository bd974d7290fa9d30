import type { Address } from "@/db/schema";
import type { TaxAmount } from "@/lib/billing/types";
import type { ProvidedTax } from "./provided";

export type TaxBehavior = "inclusive" | "exclusive";

export interface TaxableCustomer {
  address: Address;
  taxExempt: "none" | "exempt" | "reverse";
  currency: string;
  /** The customer's tax ids: a well-formed EU VAT number makes it a business for the reverse charge. */
  taxIds?: readonly { type: string; value: string }[];
  /** What the tax provider decided for the customer (customers.provided_tax), when one is in use. */
  providedTax?: ProvidedTax | null;
}

export interface TaxableLine {
  /** The line amount after discounts, in minor units, as priced (gross when inclusive). */
  amount: number;
  taxBehavior: TaxBehavior;
}

/** The tax calculator port: one TaxAmount list per line, in the same order. Pure; asOf picks the rate. */
export interface TaxCalculator {
  calculate(input: { customer: TaxableCustomer; lines: readonly TaxableLine[]; asOf: Date }): TaxAmount[][];
}
