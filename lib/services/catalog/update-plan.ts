import { eq } from "drizzle-orm";
import { plans } from "@/db/schema";
import { lockPlan, type PlanRow } from "@/db/queries/catalog";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { assertTrialPeriodDays } from "./plan-terms";
import { planFeatures } from "./plan-features";
import type { PlanFeatureInput } from "@/lib/billing/features/features";
import { entitlementsChanged } from "../customers/entitlements-cache";

/** The interval is not here on purpose: subscriptions bill on it, so a new interval is a new plan. */
export interface UpdatePlanInput {
  name?: string;
  description?: string | null;
  active?: boolean;
  trialPeriodDays?: number;
  /** Replaces the plan's features: plain codes (boolean) or objects. */
  features?: PlanFeatureInput[];
  /** Merged into the existing metadata, key by key. */
  metadata?: Record<string, string>;
}

export async function updatePlan(ctx: ServiceContext, planId: string, input: UpdatePlanInput): Promise<PlanRow> {
  if (input.trialPeriodDays !== undefined) assertTrialPeriodDays(input.trialPeriodDays);
  const after = await ctx.db.transaction(async (tx) => {
    const before = await lockPlan(tx, planId);
    if (!before) throw notFound("plan", "id");
    const changes = {
      name: input.name,
      description: input.description,
      active: input.active,
      trialPeriodDays: input.trialPeriodDays,
      features: input.features === undefined ? undefined : await planFeatures(tx, input.features),
      metadata: input.metadata ? { ...before.metadata, ...input.metadata } : undefined,
    };
    if (Object.values(changes).every((v) => v === undefined)) return before;
    const [after] = await tx.update(plans).set(changes).where(eq(plans.id, planId)).returning();
    if (!after) throw new Error("plan vanished");
    await recordAudit(tx, ctx.actor, { action: "plan.updated", entityType: "plan", entityId: planId, before, after }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "plan.updated", entityId: planId, payload: { plan: planId } }, ctx.now);
    return after;
  });
  // Every customer on the plan may now be granted other features or limits.
  if (input.features !== undefined) entitlementsChanged("all");
  return after;
}
