"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { setSetting } from "@/lib/services/settings/settings";
import { createTaxRate, createTaxRegistration, deleteTaxRate, deleteTaxRegistration, setTaxExemption } from "@/lib/services/tax/tax-settings";

const text = z.string().default("");

function day(value: string, param: string): string | null {
  const v = value.trim();
  if (!v) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new AppError("validation_failed", { param, userMessage: "Enter a date as YYYY-MM-DD, or leave it empty." });
  return v;
}

function done(message: string) {
  revalidatePath("/admin/settings/tax");
  return { ok: true, message };
}

export const addTaxRegistrationAction = validatedAction("settings.manage", z.object({ country: text, region: text, scheme: text, activeFrom: text }), async (input, _user, ctx) => {
  const scheme = input.scheme === "oss" ? "oss" : "standard";
  const row = await createTaxRegistration(ctx, { country: input.country, region: input.region, scheme, activeFrom: day(input.activeFrom, "activeFrom") });
  return done(`Registered in ${row.country}${row.region ? `-${row.region}` : ""}. Invoices dated from ${row.activeFrom ?? "now"} charge its tax.`);
});

export const removeTaxRegistrationAction = validatedAction("settings.manage", z.object({ id: z.string().min(1) }), async (input, _user, ctx) => {
  await deleteTaxRegistration(ctx, input.id);
  return done("Registration removed. New invoices no longer charge its tax; issued invoices keep theirs.");
});

export const addTaxRateAction = validatedAction(
  "settings.manage",
  z.object({ country: text, region: text, kind: text, percentage: text, effectiveFrom: text, effectiveTo: text, saasTaxable: text }),
  async (input, _user, ctx) => {
    const kind = input.kind === "vat" || input.kind === "sales_tax" ? input.kind : "gst";
    const row = await createTaxRate(ctx, {
      country: input.country,
      region: input.region,
      kind,
      percentage: input.percentage,
      effectiveFrom: day(input.effectiveFrom, "effectiveFrom"),
      effectiveTo: day(input.effectiveTo, "effectiveTo"),
      saasTaxable: input.saasTaxable !== "no",
    });
    return done(`Rate of ${row.percentage}% added for ${row.country}${row.region ? `-${row.region}` : ""}. It applies to invoices dated from ${row.effectiveFrom ?? "now"}; issued invoices keep their tax.`);
  },
);

export const removeTaxRateAction = validatedAction("settings.manage", z.object({ id: z.string().min(1) }), async (input, _user, ctx) => {
  await deleteTaxRate(ctx, input.id);
  return done("Rate removed. Issued invoices keep their tax.");
});

export const saveTaxExemptionAction = validatedAction("customers.write", z.object({ customerId: z.string().min(1), taxExempt: text, certificate: text }), async (input, _user, ctx) => {
  const taxExempt = input.taxExempt === "exempt" || input.taxExempt === "reverse" ? input.taxExempt : "none";
  await setTaxExemption(ctx, input.customerId, { taxExempt, certificate: input.certificate });
  revalidatePath(`/admin/customers/${input.customerId}`);
  return { ok: true, message: taxExempt === "exempt" ? "Exemption saved. New invoices charge this customer no tax." : "Tax status saved. It applies to new invoices." };
});

export const setTaxProviderAction = validatedAction("settings.manage", z.object({ provider: text }), async (input, _user, ctx) => {
  const provider = input.provider === "stripe_tax" ? "stripe_tax" : "tally";
  await setSetting(ctx, "tax.provider", provider);
  return done(
    provider === "stripe_tax"
      ? "Stripe Tax now decides rates. Customers with a subscription are being asked about now; until Stripe answers for a customer, Tally's tables below apply."
      : "Tally's rate tables and registrations now decide rates for new invoices. Issued invoices keep their tax.",
  );
});
