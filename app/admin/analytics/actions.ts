"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { kpiLabels, kpiMetrics } from "@/lib/analytics/kpi-targets";
import { percentToRate, rateAsPercent } from "@/lib/analytics/percent";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { setKpiTarget } from "@/lib/services/analytics/kpi-targets";
import { recordFxRate } from "@/lib/services/api-costs/fx";

export const saveKpiTargetAction = validatedAction(
  "analytics.targets_write",
  z.object({ metric: z.enum(kpiMetrics), direction: z.string().default(""), target: z.string().default("") }),
  async (input, _user, ctx) => {
    const rate = percentToRate(input.target);
    if (rate === null) throw new AppError("validation_failed", { param: "target", userMessage: "Enter the target in per cent, e.g. 99 or 99.5." });
    const saved = await setKpiTarget(ctx, { metric: input.metric, direction: input.direction, target: rate });
    const target = saved.find((t) => t.metric === input.metric)!;
    revalidatePath("/admin/analytics");
    return { ok: true, message: `Target saved: ${kpiLabels[input.metric]} ${target.direction === "at_least" ? "at least" : "at most"} ${rateAsPercent(target.target)}.` };
  },
);

export const recordFxRateAction = validatedAction(
  "fx_rates.write",
  z.object({
    base: z.string().trim().toLowerCase().regex(/^[a-z]{3}$/, "Enter a three-letter currency code, e.g. usd."),
    quote: z.string().trim().toLowerCase().regex(/^[a-z]{3}$/, "Enter a three-letter currency code, e.g. aud."),
    rate: z.string().trim().regex(/^\d+(\.\d+)?$/, "Enter the rate as a decimal number, e.g. 1.5234."),
    date: z.iso.date("Enter the date as YYYY-MM-DD."),
  }),
  async (input, _user, ctx) => {
    const row = await recordFxRate(ctx, input);
    revalidatePath("/admin/analytics");
    return { ok: true, message: `Recorded: 1 ${row.base.toUpperCase()} = ${input.rate} ${row.quote.toUpperCase()} on ${row.date}.` };
  },
);
