"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { createMeter } from "@/lib/services/usage/create-meter";
import { propertyReadBy } from "@/lib/usage/meter-terms";
import { meterAggregations } from "@/lib/usage/vocabulary";
import { meterFilters, withFieldNames } from "../form-values";

/** Service params → this page's field names, so errors show next to the right field. */
const meterFields = { value_property: "property", unique_property: "property", code: "code", filters: "filters" };

const meterForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, "Enter a code, e.g. api_calls.")
    .max(100, "Keep the code under 100 characters.")
    .regex(/^[A-Za-z0-9_.:-]+$/, "Use letters, digits, “_”, “.”, “:” or “-”, e.g. api_calls."),
  name: z.string().trim().min(1, "Enter a name.").max(200, "Keep the name under 200 characters."),
  aggregation: z.enum(meterAggregations, { error: "Choose an aggregation." }),
  property: z.string().trim().max(200, "Keep the property under 200 characters.").optional(),
  filters: z.string().max(5000, "Keep the filters under 5,000 characters.").optional(),
  /** Set by the "New version" form: the code must already exist. */
  version_of: z.string().optional(),
});

/** The same service as POST /meters: a code that exists gets its next version. */
export const createMeterAction = validatedAction("catalog.write", meterForm, async (input, _user, ctx) => {
  const reads = propertyReadBy(input.aggregation);
  const property = input.property || null;
  const meter = await withFieldNames(meterFields, () =>
    createMeter(ctx, {
      code: input.code,
      name: input.name,
      aggregation: input.aggregation,
      valueProperty: reads === "value_property" ? property : null,
      uniqueProperty: reads === "unique_property" ? property : null,
      filters: meterFilters(input.filters, "filters"),
    }),
  );
  revalidatePath("/admin/catalog/meters");
  if (input.version_of) {
    revalidatePath(`/admin/catalog/meters/${input.version_of}`);
    return { ok: true, message: `Version ${meter.version} is now the current definition of ${meter.code}. Periods already open keep the version they started under.` };
  }
  redirect(`/admin/catalog/meters/${meter.id}?notice=${encodeURIComponent(`Created ${meter.name} (${meter.code}).`)}`);
});
