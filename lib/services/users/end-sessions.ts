import { and, eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import type { ServiceContext } from "../context";

/**
 * Sign-out: every session cookie the user holds stops working (the version they carry is no longer
 * the user's). A stale cookie signing out changes nothing. Role, email, password and deactivation
 * changes end sessions the same way, by trigger (drizzle/0025_session_version.sql).
 */
export async function endSessions(ctx: ServiceContext, input: { userId: string; sessionVersion: number }): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(and(eq(users.id, input.userId), eq(users.sessionVersion, input.sessionVersion)))
      .returning({ sessionVersion: users.sessionVersion });
    if (!row) return false;
    await recordAudit(tx, ctx.actor, { action: "user.signed_out", entityType: "user", entityId: input.userId, before: { sessionVersion: input.sessionVersion }, after: { sessionVersion: row.sessionVersion } }, ctx.now, ctx.requestId);
    return true;
  });
}
