import { plans, type IntervalUnit } from "@/db/schema";
import { findPlanByCode, findProduct, type PlanRow, type PriceRow } from "@/db/queries/catalog";
import { isUniqueViolation } from "@/db/queries/errors";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { insertPriceVersion } from "./create-price";
import { assertIntervalCount, assertTrialPeriodDays } from "./plan-terms";
import { normalizePriceTerms, type PriceTermsInput } from "./price-terms";
import { planFeatures } from "./plan-features";
import type { PlanFeatureInput } from "@/lib/billing/features/features";

export interface CreatePlanInput {
  productId: string;
  /** Unique, human-readable ("pro-monthly"). */
  code: string;
  name: string;
  description?: string | null;
  interval: IntervalUnit;
  intervalCount?: number;
  trialPeriodDays?: number;
  /** Boolean (a plain code, or no meter) or metered features. */
  features?: PlanFeatureInput[];
  active?: boolean;
  metadata?: Record<string, string>;
  /** Version 1 of the plan's price in each currency; one per currency. */
  prices?: PriceTermsInput[];
}

export async function createPlan(ctx: ServiceContext, input: CreatePlanInput): Promise<{ plan: PlanRow; prices: PriceRow[] }> {
  const intervalCount = input.intervalCount ?? 1;
  assertIntervalCount(input.interval, intervalCount);
  const trialPeriodDays = input.trialPeriodDays ?? 0;
  assertTrialPeriodDays(trialPeriodDays);
  const priceTerms = (input.prices ?? []).map((p, i) => normalizePriceTerms(p, `prices[${i}]`));
  priceTerms.forEach((terms, i) => {
    if (priceTerms.findIndex((t) => t.currency === terms.currency) < i) {
      throw new AppError("validation_failed", {
        param: `prices[${i}].currency`,
        userMessage: `prices has two ${terms.currency.toUpperCase()} prices; a plan has one current price per currency (later versions go through POST /prices).`,
      });
    }
  });
  const conflict = () => new AppError("conflict", { param: "code", userMessage: `A plan with code "${input.code}" already exists.` });
  try {
    return await ctx.db.transaction(async (tx) => {
      if (!(await findProduct(tx, input.productId))) throw notFound("product", "product");
      if (await findPlanByCode(tx, input.code)) throw conflict();
      const features = await planFeatures(tx, input.features ?? []);
      const [plan] = await tx
        .insert(plans)
        .values({
          id: newId("plan"),
          productId: input.productId,
          code: input.code,
          name: input.name,
          description: input.description ?? null,
          interval: input.interval,
          intervalCount,
          trialPeriodDays,
          features,
          active: input.active ?? true,
          metadata: input.metadata ?? {},
          createdAt: ctx.now,
        })
        .returning();
      if (!plan) throw new Error("plan insert returned nothing");
      await recordAudit(tx, ctx.actor, { action: "plan.created", entityType: "plan", entityId: plan.id, after: plan }, ctx.now, ctx.requestId);
      await enqueueEvent(tx, { type: "plan.created", entityId: plan.id, payload: { plan: plan.id, product: plan.productId } }, ctx.now);
      const created: PriceRow[] = [];
      for (const [i, terms] of priceTerms.entries()) created.push((await insertPriceVersion(ctx, tx, plan.id, terms, `prices[${i}].meter`)).price);
      return { plan, prices: created };
    });
  } catch (error) {
    // Two requests with the same code at once: the index decides, and the loser gets the same 409.
    if (isUniqueViolation(error, "plans_code_key")) throw conflict();
    throw error;
  }
}
