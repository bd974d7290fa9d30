import { eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import type { SubscriptionRow } from "@/db/queries/subscriptions";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { assertMinorUnits } from "@/lib/money";
import type { ServiceContext } from "../context";
import { entitlementsChanged } from "../customers/entitlements-cache";
import { withSubscription } from "./with-subscription";

/**
 * A usage spend threshold: integer minor units in the subscription's currency, never negative;
 * null for none. Checked here as well as at the API edge, naming the field.
 */
export function checkUsageSpendThreshold(value: unknown, currency: string, param = "amount"): number | null {
  if (value === null || value === undefined) return null;
  const amount = assertMinorUnits(value, currency, param);
  if (amount < 0) throw new AppError("amount_invalid", { param, userMessage: `${param} must not be negative` });
  return amount;
}

/**
 * Set or clear the subscription's usage spend threshold (decision 030): from the next usage check
 * on, the period's projected usage cost reaching 80% and 100% of it sends a notice once per
 * (subscription, threshold, period). A threshold changed mid-period is a new threshold: its own
 * notices, even if the old one's were sent. The customer's cached entitlements go, so the cache
 * stops marking them as holding nothing to check.
 */
export async function setUsageSpendThreshold(ctx: ServiceContext, subscriptionId: string, value: number | null): Promise<SubscriptionRow> {
  const updated = await withSubscription(ctx, subscriptionId, async ({ tx, row }) => {
    if (row.status === "canceled" || row.status === "incomplete_expired") throw new AppError("conflict", { userMessage: "This subscription has ended." });
    const amount = checkUsageSpendThreshold(value, row.currency);
    if (amount === row.usageSpendThreshold) return row;
    const [saved] = await tx.update(subscriptions).set({ usageSpendThreshold: amount }).where(eq(subscriptions.id, row.id)).returning();
    if (!saved) throw new Error("subscription update returned nothing");
    await recordAudit(
      tx,
      ctx.actor,
      { action: "subscription.usage_spend_threshold_set", entityType: "subscription", entityId: row.id, before: { usage_spend_threshold: row.usageSpendThreshold }, after: { usage_spend_threshold: amount } },
      ctx.now,
      ctx.requestId,
    );
    return saved;
  });
  entitlementsChanged(updated.customerId);
  return updated;
}
