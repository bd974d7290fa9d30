import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { findCustomer } from "@/db/queries/customers";
import { auditLog, customers } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { previewInvoice } from "@/lib/services/invoices/plan-invoice";
import { updateCustomer } from "@/lib/services/customers/update-customer";
import { getSetting, setSetting } from "@/lib/services/settings/settings";
import { providedTaxHolds, refreshProvidedTax } from "@/lib/services/tax/provided-tax";
import { loadTaxSettings, setTaxExemption } from "@/lib/services/tax/tax-settings";
import { makeCustomer } from "../factories";
import { withFakeStripe } from "../fake-stripe/with-fake-stripe";
import { drainOutbox } from "../webhooks/support";

/**
 * Stripe Tax behind Tally's tax port (decision 039): the real `stripe` SDK against the fake Stripe's
 * `POST /v1/tax/calculations` (checked against Stripe's description of the operation). The fake's
 * rates differ from Tally's tables where it matters: Tally ships no US rates, so a tax line on a
 * Washington customer can only have come from Stripe.
 */

const fake = withFakeStripe();
const now = new Date("2026-12-06T00:00:00Z");
const ctx = async () => ({ db: await getDb(), actor: systemActor("test"), now });
const line = (amount: number) => ({ description: "Pro plan", amount, quantity: 1, unitAmount: amount, periodStart: null, periodEnd: null, proration: false, priceId: null, planId: null, taxBehavior: "exclusive" as const });

async function invoiceTax(customerId: string) {
  const db = await getDb();
  const customer = (await findCustomer(db, customerId))!;
  const draft = previewInvoice(customer, customer.currency, [line(10_000)], null, now, await loadTaxSettings(db));
  return { tax: draft.tax, amounts: draft.lines[0]!.taxAmounts };
}

const calculations = () => fake().requests.filter((r) => r.path === "/v1/tax/calculations");

describe("Stripe Tax as the tax provider", () => {
  it("is refused while the sandbox is the gateway, with what to do", async () => {
    const saved = process.env.STRIPE_SECRET_KEY;
    delete process.env.STRIPE_SECRET_KEY;
    try {
      await expect(setSetting(await ctx(), "tax.provider", "stripe_tax")).rejects.toMatchObject({ code: "validation_failed", userMessage: expect.stringContaining("STRIPE_SECRET_KEY") });
    } finally {
      process.env.STRIPE_SECRET_KEY = saved;
    }
    expect(await getSetting(await getDb(), "tax.provider")).toBe("tally");
  });

  it("charges Stripe's rate for a US state Tally has no rate for, summing its jurisdictions, and asks again when the address changes", async () => {
    const c = await ctx();
    const wa = await makeCustomer(c, { currency: "usd", timezone: "America/Los_Angeles", address: { country: "US", state: "WA", postal_code: "98101", city: "Seattle" }, card: null });
    // Tally's own tables: no US registration and no US rate, so no tax.
    expect((await invoiceTax(wa.id)).tax).toBe(0);

    await setSetting(c, "tax.provider", "stripe_tax");
    const [audit] = await c.db.select().from(auditLog).where(eq(auditLog.entityId, "tax.provider"));
    expect(audit).toMatchObject({ action: "setting.updated", after: "stripe_tax" });
    // Not asked yet: the tables decide until Stripe has answered for this place.
    expect((await invoiceTax(wa.id)).tax).toBe(0);

    // customer.created was in the outbox: dispatching it asks Stripe Tax once.
    const before = calculations().length;
    await drainOutbox(c.db);
    expect(calculations().length - before).toBe(1);
    const asked = calculations().at(-1)!;
    expect(asked.params).toMatchObject({ currency: "usd", customer_details: { address: { country: "US", state: "WA", postal_code: "98101", city: "Seattle" }, address_source: "billing", taxability_override: "none" } });
    expect(asked.violation ?? null).toBeNull();

    const stored = (await findCustomer(c.db, wa.id))!;
    expect(stored.providedTax).toMatchObject({ provider: "stripe_tax", decision: { kind: "charge", country: "US", region: "WA", taxKind: "sales_tax", percentage: "10.1" } });
    expect(providedTaxHolds(stored, now)).toBe(true);
    // 6.5% state + 3.6% local = 10.1% of $100.00, rounded once for the line.
    expect(await invoiceTax(wa.id)).toEqual({ tax: 1010, amounts: [{ amount: 1010, rate: "0.101", jurisdiction: "US sales tax (WA)", inclusive: false, reverseCharge: false }] });

    // Moved to Texas: the stored decision is for another place, so it no longer applies ...
    await updateCustomer(c, wa.id, { address: { country: "US", state: "TX", postal_code: "73301", city: "Austin" } });
    expect(providedTaxHolds((await findCustomer(c.db, wa.id))!, now)).toBe(false);
    expect((await invoiceTax(wa.id)).tax).toBe(0);
    // ... until customer.updated is handled and Stripe answers for Texas.
    await drainOutbox(c.db);
    expect((await invoiceTax(wa.id)).amounts).toEqual([{ amount: 625, rate: "0.0625", jurisdiction: "US sales tax (TX)", inclusive: false, reverseCharge: false }]);
  });

  it("reads a reverse charge, an exemption and an untaxed product from Stripe's answer", async () => {
    const c = await ctx();
    await setSetting(c, "tax.provider", "stripe_tax");
    const de = await makeCustomer(c, { currency: "eur", timezone: "Europe/Berlin", address: { country: "DE", city: "Berlin" }, card: null });
    await updateCustomer(c, de.id, { taxIds: [{ type: "eu_vat", value: "DE136695976" }] });
    const fl = await makeCustomer(c, { currency: "usd", timezone: "America/New_York", address: { country: "US", state: "FL" }, card: null });
    const nz = await makeCustomer(c, { currency: "nzd", timezone: "Pacific/Auckland", address: { country: "NZ" }, card: null });
    await setTaxExemption(c, nz.id, { taxExempt: "exempt", certificate: "CHARITY-42" });
    await drainOutbox(c.db);

    expect((await invoiceTax(de.id)).amounts).toEqual([{ amount: 0, rate: "0", jurisdiction: "DE VAT", inclusive: false, reverseCharge: true }]);
    const exempt = (await findCustomer(c.db, nz.id))!;
    expect(exempt.providedTax?.decision).toEqual({ kind: "none", reason: "Stripe Tax: the customer is exempt." });
    expect((await invoiceTax(nz.id)).tax).toBe(0);
    expect((await findCustomer(c.db, fl.id))!.providedTax?.decision).toEqual({ kind: "none", reason: "Stripe Tax: software as a service is exempt here." });
    const asked = calculations().filter((r) => (r.params as { customer_details?: { tax_ids?: unknown[] } }).customer_details?.tax_ids?.length);
    expect(asked.at(-1)?.params).toMatchObject({ customer_details: { tax_ids: [{ type: "eu_vat", value: "DE136695976" }] } });
  });

  it("the daily refresh asks again only where a decision is missing or older than 30 days", async () => {
    const c = await ctx();
    await setSetting(c, "tax.provider", "stripe_tax");
    const au = await makeCustomer(c, { address: { country: "AU", state: "NSW" }, card: null });
    await drainOutbox(c.db);
    // Only customers with a subscription are refreshed: give this one a status as the trigger would.
    await c.db.update(customers).set({ currentSubscriptionStatus: "active" }).where(eq(customers.id, au.id));
    expect(await refreshProvidedTax(c.db, now)).toEqual({ asked: 0, failed: 0 });
    const later = new Date(now.getTime() + 31 * 86_400_000);
    const before = calculations().length;
    const result = await refreshProvidedTax(c.db, later);
    expect(result.failed).toBe(0);
    expect(result.asked).toBeGreaterThanOrEqual(1);
    expect(calculations().length - before).toBe(result.asked);
    expect((await findCustomer(c.db, au.id))!.providedTax).toMatchObject({ decidedAt: later.toISOString(), decision: { kind: "charge", country: "AU", taxKind: "gst", percentage: "10" } });
  });
});
