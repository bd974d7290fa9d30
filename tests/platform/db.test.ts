import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit/record";
import { auditLog } from "@/db/schema";

describe("database", () => {
  it("is migrated and the audit log refuses updates and deletes", async () => {
    const db = await getDb();
    await recordAudit(db, { type: "system", id: "test" }, { action: "setting.updated", entityType: "setting", entityId: "t1", after: { ok: true } }, new Date("2026-01-01T00:00:00Z"));
    const rows = await db.select().from(auditLog);
    expect(rows).toHaveLength(1);
    await expect(db.execute(sql`update audit_log set action = 'x'`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
    await expect(db.execute(sql`delete from audit_log`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
    expect((await db.select().from(auditLog))[0]?.action).toBe("setting.updated");
  });
});
