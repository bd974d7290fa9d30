import type { PriceTier } from "@/lib/billing/types";
import { AppError } from "@/lib/errors";
import { assertMinorUnits, normalizeCurrency } from "@/lib/money";

export interface PriceTierInput {
  /** Null for the last tier: no upper bound. */
  up_to: number | null;
  unit_amount?: number | null;
  /** Instead of unit_amount: minor units with up to 12 decimal places ("0.15"). */
  unit_amount_decimal?: string | null;
  flat_amount?: number | null;
}

export interface PriceTermsInput {
  currency: string;
  taxBehavior: "inclusive" | "exclusive";
  billingScheme?: "per_unit" | "tiered";
  unitAmount?: number | null;
  /** Minor units with up to 12 decimal places, as a string ("0.125" = an eighth of a cent). */
  unitAmountDecimal?: string | null;
  tiersMode?: "graduated" | "volume" | null;
  tiers?: PriceTierInput[] | null;
  packageSize?: number | null;
  usageType?: "licensed" | "metered";
  /** A metered price's meter: its id (a version) or its code (the current version). */
  meter?: string | null;
}

/** What a price row stores besides its identity (id, plan, version, active, created). */
export interface PriceTerms {
  currency: string;
  taxBehavior: "inclusive" | "exclusive";
  billingScheme: "per_unit" | "tiered";
  unitAmount: number | null;
  unitAmountDecimal: string | null;
  tiersMode: "graduated" | "volume" | null;
  tiers: PriceTier[] | null;
  packageSize: number | null;
  usageType: "licensed" | "metered";
  /** As given (an id or a code) until insertPriceVersion resolves it to the meter version's id. */
  meterId: string | null;
}

const DECIMAL_SHAPE = /^(\d{1,19})(?:\.(\d{1,12}))?$/;

/**
 * Validates a price's terms and returns them as stored. Errors name the field as the API spells it,
 * under `prefix` when the price is nested (`prices[0].tiers[1].up_to`). Amounts are checked against
 * the currency's exponent, so ¥80.5 is refused while $80.50 must be sent as 8050.
 */
export function normalizePriceTerms(input: PriceTermsInput, prefix = ""): PriceTerms {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const currency = normalizeCurrency(input.currency, at("currency"));
  const money = (value: number, param: string): number => {
    const amount = assertMinorUnits(value, currency, param);
    if (amount < 0) throw new AppError("amount_invalid", { param, userMessage: `${param} must not be negative.` });
    return amount;
  };
  const billingScheme = input.billingScheme ?? "per_unit";
  const usageType = input.usageType ?? "licensed";
  if (usageType === "metered" && !input.meter) refuse(at("meter"), 'A metered price needs a meter: its id or code (usage_type "metered" bills what the meter measures).');
  if (usageType === "licensed" && input.meter) refuse(at("meter"), 'meter applies only to usage_type "metered".');
  const base = { currency, taxBehavior: input.taxBehavior, billingScheme, usageType, meterId: input.meter ?? null } as const;

  if (billingScheme === "per_unit") {
    if (input.tiersMode != null) refuse(at("tiers_mode"), 'tiers_mode applies only to billing_scheme "tiered".');
    if (input.tiers != null) refuse(at("tiers"), 'tiers apply only to billing_scheme "tiered".');
    const hasUnit = input.unitAmount != null;
    const hasDecimal = input.unitAmountDecimal != null;
    if (hasUnit && hasDecimal) refuse(at("unit_amount_decimal"), "Pass unit_amount or unit_amount_decimal, not both.");
    if (!hasUnit && !hasDecimal) refuse(at("unit_amount"), 'unit_amount (or unit_amount_decimal) is required when billing_scheme is "per_unit".');
    let packageSize: number | null = null;
    if (input.packageSize != null) {
      if (!Number.isSafeInteger(input.packageSize) || input.packageSize < 1) {
        throw new AppError("out_of_range", { param: at("package_size"), userMessage: `${at("package_size")} must be an integer of at least 1.` });
      }
      packageSize = input.packageSize;
    }
    if (input.unitAmount != null) {
      return { ...base, unitAmount: money(input.unitAmount, at("unit_amount")), unitAmountDecimal: null, tiersMode: null, tiers: null, packageSize };
    }
    const decimal = parseUnitAmountDecimal(input.unitAmountDecimal ?? "", at("unit_amount_decimal"));
    return { ...base, ...decimal, tiersMode: null, tiers: null, packageSize };
  }

  if (input.unitAmount != null) refuse(at("unit_amount"), 'unit_amount applies only to billing_scheme "per_unit"; put tiered amounts in tiers.');
  if (input.unitAmountDecimal != null) refuse(at("unit_amount_decimal"), 'unit_amount_decimal applies only to billing_scheme "per_unit".');
  if (input.packageSize != null) refuse(at("package_size"), 'package_size applies only to billing_scheme "per_unit".');
  if (input.tiersMode == null) refuse(at("tiers_mode"), 'tiers_mode ("graduated" or "volume") is required when billing_scheme is "tiered".');
  const tiers = input.tiers ?? [];
  if (tiers.length === 0) refuse(at("tiers"), 'tiers needs at least one tier when billing_scheme is "tiered".');
  let previous = 0;
  const stored = tiers.map((tier, i): PriceTier => {
    const p = (name: string) => at(`tiers[${i}].${name}`);
    const last = i === tiers.length - 1;
    if (last && tier.up_to !== null) refuse(p("up_to"), `${p("up_to")} must be null: the last tier has no upper bound.`);
    if (!last) {
      if (tier.up_to === null) refuse(p("up_to"), `${p("up_to")} must be a number: only the last tier may be unbounded (null).`);
      if (!Number.isSafeInteger(tier.up_to) || tier.up_to < 1) {
        throw new AppError("out_of_range", { param: p("up_to"), userMessage: `${p("up_to")} must be an integer of at least 1.` });
      }
      if (tier.up_to <= previous) refuse(p("up_to"), `${p("up_to")} must be greater than the previous tier's up_to (${previous}).`);
      previous = tier.up_to;
    }
    if (tier.unit_amount != null && tier.unit_amount_decimal != null) refuse(p("unit_amount_decimal"), "Pass unit_amount or unit_amount_decimal, not both.");
    const unit =
      tier.unit_amount_decimal != null
        ? parseUnitAmountDecimal(tier.unit_amount_decimal, p("unit_amount_decimal"))
        : { unitAmount: tier.unit_amount == null ? null : money(tier.unit_amount, p("unit_amount")), unitAmountDecimal: null };
    const flatAmount = tier.flat_amount == null ? null : money(tier.flat_amount, p("flat_amount"));
    if (unit.unitAmount === null && unit.unitAmountDecimal === null && flatAmount === null) refuse(p("unit_amount"), `Tier ${i} needs a unit_amount (or unit_amount_decimal), a flat_amount or both.`);
    // A whole decimal ("2") is stored as unit_amount alone; only a fraction keeps its decimal.
    const decimal = unit.unitAmount === null ? unit.unitAmountDecimal : null;
    return { up_to: tier.up_to, unit_amount: unit.unitAmount, ...(decimal ? { unit_amount_decimal: decimal } : {}), flat_amount: flatAmount };
  });
  return { ...base, unitAmount: null, unitAmountDecimal: null, tiersMode: input.tiersMode, tiers: stored, packageSize: null };
}

/**
 * "1000" also sets unit_amount 1000 (like Stripe), so whole-unit prices read the same either way;
 * a fractional one ("0.125") leaves unit_amount null. Trailing fractional zeros are dropped.
 */
function parseUnitAmountDecimal(raw: string, param: string): { unitAmount: number | null; unitAmountDecimal: string } {
  const match = DECIMAL_SHAPE.exec(raw);
  if (!match) refuse(param, `${param} must be a decimal string of minor units with at most 12 decimal places, e.g. "0.125".`);
  const whole = (match[1] ?? "0").replace(/^0+(?=\d)/, "");
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction) return { unitAmount: null, unitAmountDecimal: `${whole}.${fraction}` };
  const unitAmount = Number(whole);
  if (!Number.isSafeInteger(unitAmount)) throw new AppError("amount_invalid", { param, userMessage: `${param} is too large.` });
  return { unitAmount, unitAmountDecimal: whole };
}

function refuse(param: string, userMessage: string): never {
  throw new AppError("validation_failed", { param, userMessage });
}
