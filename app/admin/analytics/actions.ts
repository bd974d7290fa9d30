"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { kpiLabels, kpiMetrics } from "@/lib/analytics/kpi-targets";
import { percentToRate, rateAsPercent } from "@/lib/analytics/percent";
import { validatedAction } from "@/lib/actions/validated-action";
import { AppError } from "@/lib/errors";
import { setKpiTarget } from "@/lib/services/analytics/kpi-targets";

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
