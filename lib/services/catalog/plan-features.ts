import { inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { meters } from "@/db/schema";
import { featureMeters, featuresProblem, normalizeFeatures, type PlanFeature, type PlanFeatureInput } from "@/lib/billing/features/features";
import { AppError } from "@/lib/errors";

/**
 * A plan's features as given (plain codes or objects) → the stored objects, or a 422 naming the
 * first bad one: a code twice, a limit without a meter, a negative limit, a meter that does not exist.
 */
export async function planFeatures(tx: Executor, input: readonly PlanFeatureInput[]): Promise<PlanFeature[]> {
  const features = normalizeFeatures(input);
  const codes = featureMeters(features);
  const known = codes.length ? new Set((await tx.selectDistinct({ code: meters.code }).from(meters).where(inArray(meters.code, codes))).map((m) => m.code)) : new Set<string>();
  const problem = featuresProblem(features, known);
  if (problem) throw new AppError(problem.param.endsWith(".meter") ? "meter_unknown" : "validation_failed", { param: problem.param, userMessage: problem.detail });
  return features;
}
