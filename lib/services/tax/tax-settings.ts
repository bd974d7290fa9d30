import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { listTaxRateRows, listTaxRegistrationRows, type TaxRateRow, type TaxRegistrationRow } from "@/db/queries/tax";
import { customers, taxRates, taxRegistrations } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { realIds } from "@/lib/ids";
import { parseDecimal } from "@/lib/money";
import { taxSettings, type TaxScheme, type TaxSettings } from "@/lib/tax/engine";
import { BUILT_IN_RATES, EU_MEMBER_STATES, type TaxKind, type TaxRateRule } from "@/lib/tax/rates";
import type { ServiceContext } from "../context";
import { getSetting } from "../settings/settings";

/**
 * Tax settings staff keep (decision 039): the rates they set over the shipped table, the business's
 * registrations, and customers' exemptions. Every write is audited. The engine reads them through
 * loadTaxSettings, so an invoice, a preview and the console's tax preview agree.
 */

/** The business's country (TALLY_DEFAULT_COUNTRY, default AU): a new install is registered there. */
export function defaultTaxCountry(): string {
  return env().TALLY_DEFAULT_COUNTRY;
}

export function rateRule(row: TaxRateRow): TaxRateRule {
  return { country: row.country, region: row.region, kind: row.kind, percentage: row.percentage, effectiveFrom: row.effectiveFrom, effectiveTo: row.effectiveTo, saasTaxable: row.saasTaxable, source: row.id };
}

/** The settings the engine charges with now: stored rates and registrations, plus the defaults. */
export async function loadTaxSettings(db: Executor): Promise<TaxSettings> {
  // One after another: inside a transaction the executor is a single connection.
  const rates = await listTaxRateRows(db);
  const registrations = await listTaxRegistrationRows(db);
  const provider = await getSetting(db, "tax.provider");
  const settings = taxSettings({ rates: rates.map(rateRule), registrations: registrations.map((r) => ({ country: r.country, region: r.region, scheme: r.scheme, activeFrom: r.activeFrom })) }, defaultTaxCountry());
  return { ...settings, provider };
}

export interface TaxRateInput {
  country: string;
  region?: string | null;
  kind: TaxKind;
  percentage: string;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
  saasTaxable?: boolean;
}

const place = (country: string, region: string | null | undefined) => ({ country: country.trim().toUpperCase(), region: region?.trim() ? region.trim().toUpperCase() : null });

function checkCountry(country: string) {
  if (!/^[A-Z]{2}$/.test(country)) throw new AppError("validation_failed", { param: "country", userMessage: "Enter a two-letter country code, like AU or DE." });
}

/** Add a rate; it applies to invoices dated from its first day (an issued invoice keeps its amounts). Audited. */
export async function createTaxRate(ctx: ServiceContext, input: TaxRateInput): Promise<TaxRateRow> {
  const { country, region } = place(input.country, input.region);
  checkCountry(country);
  if (!/^\d{1,3}(\.\d{1,6})?$/.test(input.percentage.trim())) throw new AppError("validation_failed", { param: "percentage", userMessage: 'Enter the rate as a percentage, like "10" or "9.975".' });
  const pct = parseDecimal(input.percentage.trim(), "percentage");
  if (pct.units > 100n * 10n ** BigInt(pct.scale)) throw new AppError("out_of_range", { param: "percentage", userMessage: "A tax rate is at most 100%." });
  const from = input.effectiveFrom || null;
  const to = input.effectiveTo || null;
  if (from && to && to < from) throw new AppError("validation_failed", { param: "effective_to", userMessage: "The last day must be on or after the first day." });
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(taxRates)
      .values({ id: realIds.newId("taxRate"), country, region, kind: input.kind, percentage: input.percentage.trim(), effectiveFrom: from, effectiveTo: to, saasTaxable: input.saasTaxable ?? true, createdAt: ctx.now })
      .returning();
    if (!row) throw new Error("tax rate insert returned nothing");
    await recordAudit(tx, ctx.actor, { action: "tax_rate.created", entityType: "tax_rate", entityId: row.id, after: row }, ctx.now, ctx.requestId);
    return { ...row, percentage: input.percentage.trim() };
  });
}

/** Remove a stored rate (issued invoices keep the amounts they were issued with). Audited. */
export async function deleteTaxRate(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(taxRates).where(eq(taxRates.id, id)).returning();
    if (!row) throw new AppError("not_found", { userMessage: "No such tax rate." });
    await recordAudit(tx, ctx.actor, { action: "tax_rate.deleted", entityType: "tax_rate", entityId: id, before: row }, ctx.now, ctx.requestId);
  });
}

export interface TaxRegistrationInput {
  country: string;
  region?: string | null;
  scheme?: TaxScheme;
  activeFrom?: string | null;
}

/** Register the business in a country (or region) from a day; one registration per place. Audited. */
export async function createTaxRegistration(ctx: ServiceContext, input: TaxRegistrationInput): Promise<TaxRegistrationRow> {
  const { country, region } = place(input.country, input.region);
  checkCountry(country);
  const scheme = input.scheme ?? "standard";
  if (scheme === "oss" && !EU_MEMBER_STATES.includes(country)) throw new AppError("validation_failed", { param: "scheme", userMessage: "The One-Stop Shop is registered in an EU member state." });
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(taxRegistrations)
      .values({ id: realIds.newId("taxRegistration"), country, region, scheme, activeFrom: input.activeFrom || null, createdAt: ctx.now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError("conflict", { param: "country", userMessage: `The business is already registered in ${country}${region ? `-${region}` : ""}.` });
    await recordAudit(tx, ctx.actor, { action: "tax_registration.created", entityType: "tax_registration", entityId: row.id, after: row }, ctx.now, ctx.requestId);
    return row;
  });
}

/** Stop collecting tax in a place (invoices issued keep their tax). Audited. */
export async function deleteTaxRegistration(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(taxRegistrations).where(eq(taxRegistrations.id, id)).returning();
    if (!row) throw new AppError("not_found", { userMessage: "No such tax registration." });
    await recordAudit(tx, ctx.actor, { action: "tax_registration.deleted", entityType: "tax_registration", entityId: id, before: row }, ctx.now, ctx.requestId);
  });
}

export interface TaxExemptionInput {
  taxExempt: "none" | "exempt" | "reverse";
  /** Required when exempt: the certificate's reference. */
  certificate?: string | null;
}

/** A customer's exemption, with its certificate reference. Audited; applies to invoices issued from now on. */
export async function setTaxExemption(ctx: ServiceContext, customerId: string, input: TaxExemptionInput): Promise<void> {
  const certificate = input.certificate?.trim() || null;
  if (input.taxExempt === "exempt" && !certificate) throw new AppError("validation_failed", { param: "certificate", userMessage: "Enter the exemption certificate's reference." });
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select({ taxExempt: customers.taxExempt, certificate: customers.taxExemptionCertificate }).from(customers).where(eq(customers.id, customerId)).for("update");
    if (!before) throw new AppError("not_found", { userMessage: "No such customer." });
    const after = { taxExempt: input.taxExempt, certificate: input.taxExempt === "exempt" ? certificate : null };
    await tx.update(customers).set({ taxExempt: after.taxExempt, taxExemptionCertificate: after.certificate }).where(eq(customers.id, customerId));
    await recordAudit(tx, ctx.actor, { action: "customer.tax_exemption_changed", entityType: "customer", entityId: customerId, before, after }, ctx.now, ctx.requestId);
    // The customer's tax facts changed: webhook receivers hear of it, and Stripe Tax (when in use) is asked again.
    await enqueueEvent(tx, { type: "customer.updated", customerId, entityId: customerId, payload: { customer: customerId } }, ctx.now);
  });
}

/** Every rate, stored first then shipped, optionally for one country: the history of each place. */
export async function listTaxRates(db: Executor, filter: { country?: string } = {}): Promise<TaxRateRule[]> {
  const stored = (await listTaxRateRows(db)).map(rateRule);
  const all = [...stored, ...BUILT_IN_RATES];
  const country = filter.country?.toUpperCase();
  return country ? all.filter((r) => r.country === country) : all;
}

export type TaxRegistrationView = Pick<TaxRegistrationRow, "country" | "region" | "scheme" | "activeFrom"> & { id: string | null; createdAt: Date | null };

/** The registrations in force: the stored ones, and the install's default (id null) while none is stored for its country. */
export async function listTaxRegistrations(db: Executor): Promise<TaxRegistrationView[]> {
  const rows = await listTaxRegistrationRows(db);
  const home = defaultTaxCountry();
  const stored: TaxRegistrationView[] = rows.map((r) => ({ id: r.id, country: r.country, region: r.region, scheme: r.scheme, activeFrom: r.activeFrom, createdAt: r.createdAt }));
  return rows.some((r) => r.country === home && r.region === null) ? stored : [{ id: null, country: home, region: null, scheme: "standard", activeFrom: null, createdAt: null }, ...stored];
}
