import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { plans, prices, subscriptionItems, subscriptions } from "@/db/schema";
import type { CustomerRow } from "@/db/queries/customers";
import { activeMetersByCode } from "@/db/queries/usage";
import { featureEntitlement, type Access, type FeatureEntitlement, type PlanFeature } from "@/lib/billing/features/features";
import { usageFor } from "../usage/usage-for";

/** Subscription statuses that still serve the customer (a past_due one is in its grace period). */
export const ACCESS_GRANTING = ["active", "trialing", "past_due"] as const;
const LIVE = ["active", "trialing", "past_due", "unpaid", "paused", "incomplete"] as const;

export interface Entitlements {
  access: Access;
  features: FeatureEntitlement[];
  subscriptions: { id: string; status: string; plan: string | null }[];
}

/** A limited metered feature as granted: where its usage is counted (what the threshold notices key on). */
export interface MeteredGrant {
  code: string;
  meter: string;
  limit: number;
  hard: boolean;
  subscriptionId: string;
  periodStart: Date;
  periodEnd: Date;
  used: string;
}

/** A live subscription with a usage spend threshold (minor units of its currency): what the spend notices key on. */
export interface SpendWatch {
  subscriptionId: string;
  spendThreshold: number;
}

export interface ComputedEntitlements {
  answer: Entitlements;
  /** The limited metered features, with their period and usage. */
  limited: MeteredGrant[];
  /** The live subscriptions that carry a usage spend threshold (their usage cost is checked after ingest). */
  spendWatched: SpendWatch[];
  /**
   * The earliest instant at which time alone changes the answer (a period ends, a trial ends, a
   * pause resumes: the subscriptions' next due instant), in real time; null for a customer on a
   * test clock, whose time moves only when the clock is advanced.
   */
  validUntil: Date | null;
}

type Customer = Pick<CustomerRow, "id" | "status" | "livemode" | "testClockId">;

/**
 * Whether to serve the customer and with what: each feature of the plans of the customer's live
 * subscriptions that grant access, once (the same code granted twice: the larger limit, a soft
 * limit before a hard one, then the oldest subscription). A metered feature's `used` is its
 * meter's usage (the code's current meter version) over the granting subscription's current
 * period; `allowed` is false once a hard limit is reached, and for every feature when dunning
 * blocked the customer.
 */
export async function computeEntitlements(tx: Executor, customer: Customer): Promise<ComputedEntitlements> {
  const subs = await tx
    .select({
      id: subscriptions.id,
      status: subscriptions.status,
      currentPeriodStart: subscriptions.currentPeriodStart,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      nextDueAt: subscriptions.nextDueAt,
      usageSpendThreshold: subscriptions.usageSpendThreshold,
    })
    .from(subscriptions)
    .where(and(eq(subscriptions.customerId, customer.id), inArray(subscriptions.status, [...LIVE])))
    .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id));
  const items = subs.length
    ? await tx
        .select({ subscriptionId: subscriptionItems.subscriptionId, planId: plans.id, features: plans.features })
        .from(subscriptionItems)
        .innerJoin(prices, eq(prices.id, subscriptionItems.priceId))
        .innerJoin(plans, eq(plans.id, prices.planId))
        .where(inArray(subscriptionItems.subscriptionId, subs.map((s) => s.id)))
        .orderBy(asc(subscriptionItems.id))
    : [];

  const granted = new Map<string, { feature: PlanFeature; sub: (typeof subs)[number] }>();
  for (const sub of subs) {
    if (!(ACCESS_GRANTING as readonly string[]).includes(sub.status)) continue;
    for (const item of items) {
      if (item.subscriptionId !== sub.id) continue;
      for (const feature of item.features) {
        const held = granted.get(feature.code);
        if (!held || moreGenerous(feature, held.feature)) granted.set(feature.code, { feature, sub });
      }
    }
  }

  const meterCodes = [...new Set([...granted.values()].flatMap((g) => (g.feature.meter === undefined ? [] : [g.feature.meter])))];
  const meters = await activeMetersByCode(tx, customer.livemode, meterCodes);
  const used = new Map<string, string>();
  await Promise.all(
    [...granted.values()].map(async ({ feature, sub }) => {
      const meter = feature.meter === undefined ? undefined : meters.get(feature.meter);
      if (!meter) return;
      used.set(feature.code, await usageFor({ db: tx }, { customer: customer.id, meter: meter.id, from: sub.currentPeriodStart, to: sub.currentPeriodEnd }));
    }),
  );

  const features = [...granted.values()]
    .map(({ feature }) => featureEntitlement(feature, customer.status, feature.meter === undefined ? null : (used.get(feature.code) ?? "0")))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const limited = [...granted.values()].flatMap(({ feature, sub }): MeteredGrant[] =>
    feature.meter !== undefined && feature.limit !== undefined
      ? [{ code: feature.code, meter: feature.meter, limit: feature.limit, hard: feature.hard, subscriptionId: sub.id, periodStart: sub.currentPeriodStart, periodEnd: sub.currentPeriodEnd, used: used.get(feature.code) ?? "0" }]
      : [],
  );
  const instants = subs.flatMap((s) => [s.currentPeriodEnd, ...(s.nextDueAt ? [s.nextDueAt] : [])]).map((d) => d.getTime());
  return {
    answer: {
      access: customer.status,
      features,
      subscriptions: subs.map((s) => ({ id: s.id, status: s.status, plan: items.find((i) => i.subscriptionId === s.id)?.planId ?? null })),
    },
    limited,
    spendWatched: subs.flatMap((s) => (s.usageSpendThreshold === null ? [] : [{ subscriptionId: s.id, spendThreshold: s.usageSpendThreshold }])),
    validUntil: customer.testClockId ? null : instants.length ? new Date(Math.min(...instants)) : null,
  };
}

/** Of two grants of one code: the unlimited or larger limit, then soft before hard. */
function moreGenerous(a: PlanFeature, b: PlanFeature): boolean {
  const limitA = a.limit ?? Infinity;
  const limitB = b.limit ?? Infinity;
  if (limitA !== limitB) return limitA > limitB;
  return !a.hard && b.hard;
}
