import { eq } from "drizzle-orm";
import { meters } from "@/db/schema";
import { findCustomer } from "@/db/queries/customers";
import { customerRollupFingerprints, lockMeterCodes, rebuildCustomerRollups } from "@/db/queries/usage";
import { recordAudit } from "@/lib/audit/record";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "../context";

export interface ReaggregateResult {
  customer: string;
  /** Meter codes whose rollups were rebuilt (every code of the customer's mode). */
  meterCodes: number;
  /** Rollup rows (hourly aggregates and unique_count values) after the rebuild. */
  rows: number;
  /** Rows the rebuild changed, added and removed: all zero when the rollups were already right. */
  changed: number;
  added: number;
  removed: number;
}

/**
 * Rebuild a customer's usage rollups from their raw events: delete every rollup row of the
 * customer (every meter version of their mode) and compute them again with ingest's own SQL, in
 * one transaction under the exclusive lock of every meter code, so neither ingest nor a new meter
 * version writes in between. Aggregates never change unless a rollup row was wrong; the result
 * says how many rows the rebuild repaired. Audited on the customer.
 */
export async function reaggregateCustomerUsage(ctx: ServiceContext, customerId: string): Promise<ReaggregateResult> {
  const customer = await findCustomer(ctx.db, customerId);
  if (!customer) throw notFound("customer", "customer");
  const livemode = customer.livemode;
  return ctx.db.transaction(async (tx) => {
    const codes = (await tx.selectDistinct({ code: meters.code }).from(meters).where(eq(meters.livemode, livemode))).map((r) => r.code);
    await lockMeterCodes(tx, livemode, codes, "exclusive");
    const before = await customerRollupFingerprints(tx, livemode, customerId);
    await rebuildCustomerRollups(tx, livemode, customerId);
    const after = await customerRollupFingerprints(tx, livemode, customerId);
    let changed = 0;
    let added = 0;
    for (const [key, fingerprint] of after) {
      const old = before.get(key);
      if (old === undefined) added += 1;
      else if (old !== fingerprint) changed += 1;
    }
    const removed = [...before.keys()].filter((key) => !after.has(key)).length;
    const result: ReaggregateResult = { customer: customerId, meterCodes: codes.length, rows: after.size, changed, added, removed };
    await recordAudit(tx, ctx.actor, { action: "customer.usage_reaggregated", entityType: "customer", entityId: customerId, after: result }, ctx.now, ctx.requestId);
    return result;
  });
}

