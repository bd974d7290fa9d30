import { and, eq } from "drizzle-orm";
import { meters } from "@/db/schema";
import { buildMeterRollups, latestMeterVersion, lockMeterCodes, type MeterRow } from "@/db/queries/usage";
import { recordAudit } from "@/lib/audit/record";
import { enqueueEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import { normalizeMeterTerms, type MeterTermsInput } from "@/lib/usage/meter-terms";
import type { ServiceContext } from "../context";

export interface CreateMeterInput extends MeterTermsInput {
  code: string;
  name: string;
}

/**
 * Meters are immutable versions, like prices: creating a meter with a code that exists makes the
 * next version the code's current one (incoming events are checked against it) and deactivates the
 * previous one, which keeps measuring whatever still uses it. The new version's rollups are built
 * from the code's stored events in the same transaction, under the code's exclusive lock.
 */
export async function createMeter(ctx: ServiceContext, input: CreateMeterInput): Promise<MeterRow> {
  const terms = normalizeMeterTerms(input);
  const livemode = ctx.actor.type === "api_key" ? ctx.actor.livemode : false;
  return ctx.db.transaction(async (tx) => {
    await lockMeterCodes(tx, livemode, [input.code], "exclusive");
    const previous = await latestMeterVersion(tx, livemode, input.code);
    const replaced = await tx
      .update(meters)
      .set({ active: false })
      .where(and(eq(meters.livemode, livemode), eq(meters.code, input.code), eq(meters.active, true)))
      .returning();
    const [row] = await tx
      .insert(meters)
      .values({ id: newId("meter"), code: input.code, version: (previous?.version ?? 0) + 1, active: true, name: input.name, ...terms, livemode, createdAt: ctx.now })
      .returning();
    if (!row) throw new Error("meter insert returned nothing");
    if (previous) await buildMeterRollups(tx, row.id);
    for (const old of replaced) {
      await recordAudit(tx, ctx.actor, { action: "meter.updated", entityType: "meter", entityId: old.id, before: { ...old, active: true }, after: old }, ctx.now, ctx.requestId);
    }
    await recordAudit(tx, ctx.actor, { action: "meter.created", entityType: "meter", entityId: row.id, after: row }, ctx.now, ctx.requestId);
    await enqueueEvent(tx, { type: "meter.created", entityId: row.id, payload: { meter: row.id, code: row.code, version: row.version } }, ctx.now);
    return row;
  });
}
