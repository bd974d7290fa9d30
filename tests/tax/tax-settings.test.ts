import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { auditLog, taxRates, taxRegistrations } from "@/db/schema";
import { GET as listRates, POST as postRate } from "@/app/api/v1/tax_rates/route";
import { GET as listRegistrations, POST as postRegistration } from "@/app/api/v1/tax_registrations/route";
import { systemActor } from "@/lib/actor";
import { previewInvoice } from "@/lib/services/invoices/plan-invoice";
import { deleteTaxRegistration, loadTaxSettings, setTaxExemption } from "@/lib/services/tax/tax-settings";
import { REVERSE_CHARGE_WORDING, isReverseCharged } from "@/lib/tax/engine";
import { newKey } from "../api/support";
import { answer, makeApiCustomer, refusedWith, type Json } from "../usage/support";

/**
 * Tax settings through the API and into the invoice engine, on the database. Tax settings are the
 * business's, shared by every test: what this file stores starts in 2099 (or names a region no other
 * test bills), so it cannot change another test's invoices, and it is removed afterwards.
 */

let key: string;
const created = { rates: [] as string[], registrations: [] as string[] };
const line = (amount: number, taxBehavior: "inclusive" | "exclusive" = "exclusive") => ({ description: "Pro plan", amount, quantity: 1, unitAmount: amount, periodStart: null, periodEnd: null, proration: false, priceId: null, planId: null, taxBehavior });

beforeAll(async () => {
  ({ key } = await newKey());
});

afterAll(async () => {
  const db = await getDb();
  if (created.rates.length) await db.delete(taxRates).where(inArray(taxRates.id, created.rates));
  if (created.registrations.length) await db.delete(taxRegistrations).where(inArray(taxRegistrations.id, created.registrations));
});

describe("tax rates and registrations: API, audit, and the engine reading them", () => {
  it("a new install lists its default AU registration and the shipped rates; no US rate is invented", async () => {
    const regs = await answer<{ data: Json[] }>(listRegistrations, key, 200, { method: "GET", path: "/tax_registrations" });
    expect(regs.data).toContainEqual({ object: "tax_registration", id: null, country: "AU", region: null, scheme: "standard", active_from: null, created: null });
    const de = await answer<{ data: Json[] }>(listRates, key, 200, { method: "GET", path: "/tax_rates?country=DE" });
    expect(de.data).toContainEqual(expect.objectContaining({ source: "built_in", country: "DE", kind: "vat", percentage: "19" }));
    const us = await answer<{ data: Json[] }>(listRates, key, 200, { method: "GET", path: "/tax_rates?country=US" });
    expect(us.data.filter((r) => r.source === "built_in")).toEqual([]);
  });

  it("an Irish OSS registration from 2099: DE consumers pay 19%, a rate change splits invoices by date, a German business is reverse-charged", async () => {
    const reg = await answer<Json>(postRegistration, key, 200, { path: "/tax_registrations", body: { country: "ie", scheme: "oss", active_from: "2099-01-01" } });
    created.registrations.push(reg.id as string);
    expect(reg).toMatchObject({ object: "tax_registration", country: "IE", region: null, scheme: "oss", active_from: "2099-01-01" });
    expect(await refusedWith(postRegistration, key, 409, { path: "/tax_registrations", body: { country: "IE" } })).toMatchObject({ code: "conflict" });
    expect(await refusedWith(postRegistration, key, 422, { path: "/tax_registrations", body: { country: "GB", scheme: "oss" } })).toMatchObject({ param: "scheme" });

    const rate = await answer<Json>(postRate, key, 200, { path: "/tax_rates", body: { country: "DE", kind: "vat", percentage: "21.0", effective_from: "2099-07-01" } });
    created.rates.push(rate.id as string);
    expect(rate).toMatchObject({ object: "tax_rate", source: "stored", country: "DE", percentage: "21", effective_from: "2099-07-01", effective_to: null, saas_taxable: true });
    expect(await refusedWith(postRate, key, 422, { path: "/tax_rates", body: { country: "DE", kind: "vat", percentage: "10%" } })).toMatchObject({ param: "percentage" });
    expect(await refusedWith(postRate, key, 422, { path: "/tax_rates", body: { country: "DE", kind: "vat", percentage: "101" } })).toMatchObject({ param: "percentage" });

    const db = await getDb();
    const audit = await db.select().from(auditLog).where(inArray(auditLog.entityId, [reg.id as string, rate.id as string]));
    expect(audit.map((a) => a.action).sort()).toEqual(["tax_rate.created", "tax_registration.created"]);

    const settings = await loadTaxSettings(db);
    const consumer = await findCustomer(db, (await makeApiCustomer(key, { currency: "eur", address: { country: "DE" } })).id as string);
    const business = { ...consumer!, taxIds: [{ type: "eu_vat", value: "DE136695976", verified: false }] };
    const june = previewInvoice(consumer!, "eur", [line(10_000)], null, new Date("2099-06-30T12:00:00Z"), settings);
    const july = previewInvoice(consumer!, "eur", [line(10_000)], null, new Date("2099-07-01T00:00:00Z"), settings);
    expect(june.lines[0]?.taxAmounts).toEqual([{ amount: 1900, rate: "0.19", jurisdiction: "DE VAT", inclusive: false, reverseCharge: false }]);
    expect(july.lines[0]?.taxAmounts).toEqual([{ amount: 2100, rate: "0.21", jurisdiction: "DE VAT", inclusive: false, reverseCharge: false }]);
    expect(july.total).toBe(12_100);
    const b2b = previewInvoice(business, "eur", [line(10_000)], null, new Date("2099-07-01T00:00:00Z"), settings);
    expect(b2b.lines[0]?.taxAmounts).toEqual([{ amount: 0, rate: "0", jurisdiction: "DE VAT", inclusive: false, reverseCharge: true }]);
    expect(b2b.total).toBe(10_000);
    expect(isReverseCharged(b2b.lines) && REVERSE_CHARGE_WORDING).toMatch(/Article 196/);
    // Before the registration starts, nothing is charged.
    expect(previewInvoice(consumer!, "eur", [line(10_000)], null, new Date("2098-12-31T12:00:00Z"), settings).tax).toBe(0);
  });

  it("US sales tax in a state set by staff, with SaaS taxable or not", async () => {
    // Regions no other test bills, so the shared settings change nothing elsewhere.
    for (const [region, pct, saas] of [["T1", "6.25", true], ["T2", "7.25", false]] as const) {
      const reg = await answer<Json>(postRegistration, key, 200, { path: "/tax_registrations", body: { country: "US", region } });
      created.registrations.push(reg.id as string);
      const rate = await answer<Json>(postRate, key, 200, { path: "/tax_rates", body: { country: "US", region, kind: "sales_tax", percentage: pct, saas_taxable: saas } });
      created.rates.push(rate.id as string);
    }
    const db = await getDb();
    const settings = await loadTaxSettings(db);
    const at = new Date("2099-01-01T00:00:00Z");
    const taxable = await findCustomer(db, (await makeApiCustomer(key, { currency: "usd", address: { country: "US", state: "T1" } })).id as string);
    const untaxed = await findCustomer(db, (await makeApiCustomer(key, { currency: "usd", address: { country: "US", state: "T2" } })).id as string);
    expect(previewInvoice(taxable!, "usd", [line(10_000)], null, at, settings).lines[0]?.taxAmounts).toEqual([{ amount: 625, rate: "0.0625", jurisdiction: "US sales tax (T1)", inclusive: false, reverseCharge: false }]);
    expect(previewInvoice(untaxed!, "usd", [line(10_000)], null, at, settings).tax).toBe(0);

    // Removing a registration is audited and stops the tax.
    const t2 = created.registrations.at(-1)!;
    await deleteTaxRegistration({ db, actor: systemActor("test"), now: new Date() }, t2);
    const t1 = created.registrations.at(-2)!;
    await deleteTaxRegistration({ db, actor: systemActor("test"), now: new Date() }, t1);
    expect(previewInvoice(taxable!, "usd", [line(10_000)], null, at, await loadTaxSettings(db)).tax).toBe(0);
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, t1));
    expect(audit.map((a) => a.action).sort()).toEqual(["tax_registration.created", "tax_registration.deleted"]);
  });

  it("an exempt customer with a certificate is charged no GST; the certificate is required and the change audited", async () => {
    const db = await getDb();
    const customer = await makeApiCustomer(key, { currency: "aud", address: { country: "AU" } });
    const ctx = { db, actor: systemActor("test"), now: new Date() };
    await expect(setTaxExemption(ctx, customer.id as string, { taxExempt: "exempt" })).rejects.toMatchObject({ code: "validation_failed" });
    const before = await findCustomer(db, customer.id as string);
    expect(previewInvoice(before!, "aud", [line(1000, "inclusive")], null, new Date(), await loadTaxSettings(db)).tax).toBe(91);
    await setTaxExemption(ctx, customer.id as string, { taxExempt: "exempt", certificate: "DGR-2026-0042" });
    const after = await findCustomer(db, customer.id as string);
    expect(after).toMatchObject({ taxExempt: "exempt", taxExemptionCertificate: "DGR-2026-0042" });
    expect(previewInvoice(after!, "aud", [line(1000, "inclusive")], null, new Date(), await loadTaxSettings(db)).tax).toBe(0);
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, customer.id as string));
    expect(audit.find((a) => a.action === "customer.tax_exemption_changed")).toMatchObject({ after: { taxExempt: "exempt", certificate: "DGR-2026-0042" } });
  });
});
