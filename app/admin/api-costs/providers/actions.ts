"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { createCostProvider, updateCostProvider } from "@/lib/services/api-costs/providers";
import { withFieldNames } from "../../catalog/form-values";
import { providerForm, rateForm, toQuota, toRate, toRegions } from "./form";

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
