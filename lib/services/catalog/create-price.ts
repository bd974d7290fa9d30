import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { prices } from "@/db/schema";
import { latestPriceVersion, lockPlan, type PriceRow } from "@/db/queries/catalog";
import { activeMetersByCode, findMeter } from "@/db/queries/usage";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";
import { normalizePriceTerms, type PriceTerms, type PriceTermsInput } from "./price-terms";

export interface CreatePriceInput extends PriceTermsInput {
  planId: string;
}

export interface CreatedPrice {
  price: PriceRow;
  /** The versions this one replaced as the plan's current price in its currency (now inactive). */
  replaced: PriceRow[];
}

/**
 * Prices are immutable versions: a new price for (plan, currency) becomes version max + 1 and the
 * plan's current price, and the previous active version is deactivated. Subscriptions keep pointing
 * at the row they were created with (grandfathering) until they are migrated.
 */
export async function createPrice(ctx: ServiceContext, input: CreatePriceInput): Promise<CreatedPrice> {
  const terms = normalizePriceTerms(input);
  return ctx.db.transaction(async (tx) => {
    const plan = await lockPlan(tx, input.planId);
    if (!plan) throw notFound("plan", "plan");
    return insertPriceVersion(ctx, tx, plan.id, terms);
  });
}

/** The caller holds the plan's row lock, so two versions of one (plan, currency) are never numbered at once. */
export async function insertPriceVersion(ctx: ServiceContext, tx: Tx, planId: string, given: PriceTerms, param = "meter"): Promise<CreatedPrice> {
  const terms = given.meterId ? { ...given, meterId: await resolveMeter(ctx, tx, given.meterId, param) } : given;
  const version = (await latestPriceVersion(tx, planId, terms.currency)) + 1;
  const replaced = await tx
    .update(prices)
    .set({ active: false })
    .where(and(eq(prices.planId, planId), eq(prices.currency, terms.currency), eq(prices.active, true)))
    .returning();
  const [price] = await tx
    .insert(prices)
    .values({ id: newId("price"), planId, version, active: true, ...terms, createdAt: ctx.now })
    .returning();
  if (!price) throw new Error("price insert returned nothing");
  for (const old of replaced) {
    await recordAudit(tx, ctx.actor, { action: "price.updated", entityType: "price", entityId: old.id, before: { ...old, active: true }, after: old }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "price.updated", entityId: old.id, payload: { price: old.id, plan: planId, active: false, replaced_by: price.id } }, ctx.now);
  }
  await recordAudit(tx, ctx.actor, { action: "price.created", entityType: "price", entityId: price.id, after: price }, ctx.now, ctx.requestId);
  await enqueueEvent(tx, { type: "price.created", entityId: price.id, payload: { price: price.id, plan: planId, version } }, ctx.now);
  return { price, replaced };
}

/** A metered price's meter, given by id (that version) or by code (the code's current version); 404 naming `param` otherwise. */
async function resolveMeter(ctx: ServiceContext, tx: Tx, ref: string, param: string): Promise<string> {
  const livemode = ctx.actor.type === "api_key" ? ctx.actor.livemode : false;
  const meter = ref.startsWith("mtr_") ? await findMeter(tx, ref) : (await activeMetersByCode(tx, livemode, [ref])).get(ref);
  if (!meter || meter.livemode !== livemode) throw notFound("meter", param);
  return meter.id;
}
