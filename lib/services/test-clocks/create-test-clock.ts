import { testClocks } from "@/db/schema";
import type { TestClockRow } from "@/db/queries/test-clocks";
import { recordAudit } from "@/lib/audit/record";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "../context";

export async function createTestClock(ctx: ServiceContext, input: { frozenTime: Date; name?: string | null }): Promise<TestClockRow> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(testClocks).values({ id: newId("testClock"), name: input.name ?? null, frozenTime: input.frozenTime, createdAt: ctx.now }).returning();
    if (!row) throw new Error("test clock insert returned nothing");
    await recordAudit(tx, ctx.actor, { action: "test_clock.created", entityType: "test_clock", entityId: row.id, after: row }, ctx.now, ctx.requestId);
    return row;
  });
}
