import { createMeter } from "@/lib/services/usage/create-meter";
import { ingestUsageEvents, type IngestOutcome } from "@/lib/services/usage/ingest-usage-events";
import { createPlan } from "@/lib/services/catalog/create-plan";
import type { PriceTermsInput } from "@/lib/services/catalog/price-terms";
import type { ServiceContext } from "@/lib/services/context";
import type { MeterTermsInput } from "@/lib/usage/meter-terms";
import { perRun } from "../scenarios/apply-modes";
import { makeProduct } from "../factories";

/**
 * A meter and a monthly plan whose AUD price bills it; `slug` names both, unique per test and per
 * apply-mode run (perRun), so a scenario run twice compares equal.
 */
export async function meteredPlan(
  ctx: ServiceContext,
  slug: string,
  meter: MeterTermsInput,
  price: Omit<PriceTermsInput, "currency" | "taxBehavior" | "usageType" | "meter"> & { taxBehavior?: "inclusive" | "exclusive" },
  name = "API calls",
) {
  const m = await createMeter(ctx, { code: perRun(slug), name, ...meter });
  const productId = await makeProduct(ctx.db, `${name} product`);
  const { plan, prices } = await createPlan(ctx, {
    productId,
    code: perRun(`plan-${slug}`),
    name,
    interval: "month",
    prices: [{ currency: "aud", taxBehavior: price.taxBehavior ?? "inclusive", usageType: "metered", meter: m.code, ...price }],
  });
  const priceRow = prices[0];
  if (!priceRow) throw new Error("no price");
  return { meter: m, plan, price: priceRow, priceId: priceRow.id };
}

/** Events for a customer, identified `<meter code>-<identifier>` (by default their index in the call plus `first`). */
export async function usage(
  ctx: ServiceContext,
  meterCode: string,
  customerId: string,
  events: { at: string | Date; properties?: Record<string, string | number>; identifier?: string }[],
  first = 0,
): Promise<IngestOutcome[]> {
  return ingestUsageEvents(
    ctx,
    events.map((e, i) => ({ identifier: `${meterCode}-${e.identifier ?? first + i}`, meter: meterCode, customer: customerId, timestamp: new Date(e.at), properties: e.properties ?? {} })),
  );
}
