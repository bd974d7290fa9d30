"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { markupBps } from "@/lib/api-costs/rules";
import { validatedAction } from "@/lib/actions/validated-action";
import { createCostProvider, updateCostProvider } from "@/lib/services/api-costs/providers";
import { withFieldNames } from "../../catalog/form-values";
import { providerForm, rateForm, rebillForm, toQuota, toRate, toRegions } from "./form";

/** Service params → this page's field names, so errors show next to the right field. */
const rateFields = { "rate.unit_cost_decimal": "unit_cost_decimal", "rate.currency": "currency", rates: "effective_from", "rates[0].unit_cost_decimal": "unit_cost_decimal" };

/** The same service as POST /cost_providers (audited there): the provider, without rates yet. */
export const createCostProviderAction = validatedAction(
  "api_costs.write",
  providerForm.extend({ code: z.string().trim().min(1, "Enter a code, e.g. openai.").max(100, "Keep the code under 100 characters.").regex(/^[A-Za-z0-9_.:-]+$/, "Use letters, digits, “_”, “.”, “:” or “-”, e.g. openai.") }),
  async (input, _user, ctx) => {
    const { provider } = await createCostProvider(ctx, { code: input.code, name: input.name, regions: toRegions(input.regions), quota: toQuota(input) });
    revalidatePath("/admin/api-costs/providers");
    redirect(`/admin/api-costs/providers/${provider.id}?notice=${encodeURIComponent(`Created ${provider.name} (${provider.code}). Add its rates below.`)}`);
  },
);

/** PATCH /cost_providers/{id} without a rate: name, regions and quota (audited as cost_provider.updated). */
export const updateCostProviderAction = validatedAction("api_costs.write", providerForm.extend({ id: z.string().min(1) }), async (input, _user, ctx) => {
  await updateCostProvider(ctx, input.id, { name: input.name, regions: toRegions(input.regions), quota: toQuota(input) });
  revalidatePath(`/admin/api-costs/providers/${input.id}`);
  revalidatePath("/admin/api-costs/providers");
  return { ok: true, message: "Saved. Costs already recorded keep their cost; the quota applies from now." };
});

/** PATCH /cost_providers/{id} with a rate: appended to the history, never an edit (audited as cost_provider.rate_added). */
export const addCostRateAction = validatedAction("api_costs.write", rateForm.extend({ id: z.string().min(1) }), async (input, _user, ctx) => {
  const rate = toRate(input, ctx.now);
  await withFieldNames(rateFields, () => updateCostProvider(ctx, input.id, { rate }));
  revalidatePath(`/admin/api-costs/providers/${input.id}`);
  return { ok: true, message: `Rate added: ${rate.operation}${rate.region ? ` (${rate.region})` : ""} costs ${rate.unitCostDecimal} minor units of ${rate.currency.toUpperCase()} per ${rate.unit} from ${rate.effectiveFrom!.toISOString().slice(0, 16).replace("T", " ")} UTC.` };
});

/** Service params → the rebill form's field names. */
const rebillFields = { "rebill.meter": "meter", "rebill.markup_percent": "markup_percent", "rebill.currency": "currency" };

/** PATCH /cost_providers/{id} with rebill: switch pass-through rebilling on or change it (audited as cost_provider.updated). */
export const updateRebillAction = validatedAction("api_costs.write", rebillForm.extend({ id: z.string().min(1) }), async (input, _user, ctx) => {
  const { provider } = await withFieldNames(rebillFields, () => updateCostProvider(ctx, input.id, { rebill: { meter: input.meter, markupBps: markupBps(Number(input.markup_percent)) ?? 0, currency: input.currency.toLowerCase() } }));
  revalidatePath(`/admin/api-costs/providers/${input.id}`);
  return { ok: true, message: `Rebilling on: costs attributed to a customer feed ${provider.rebillMeter} at cost + ${(provider.rebillMarkupBps ?? 0) / 100}% in ${(provider.rebillCurrency ?? "").toUpperCase()}, from now on.` };
});

/** PATCH /cost_providers/{id} with rebill: null: costs recorded from now on are tracked only. */
export const stopRebillAction = validatedAction("api_costs.write", z.object({ id: z.string().min(1) }), async (input, _user, ctx) => {
  await updateCostProvider(ctx, input.id, { rebill: null });
  revalidatePath(`/admin/api-costs/providers/${input.id}`);
  return { ok: true, message: "Rebilling off: costs recorded from now on are tracked only." };
});
