import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { listAuditEntries } from "@/db/queries/audit";
import type { Actor } from "@/lib/actor";
import { createApiKey } from "@/lib/api/keys";
import { recordAudit } from "@/lib/audit/record";
import { createUser } from "@/lib/services/users/create-user";
import { changeStaffRole } from "@/lib/services/users/staff";

const now = new Date("2026-11-21T00:00:00Z");

describe("the audit log as staff read it", () => {
  it("names who acted (staff by name and email, keys by name, Tally's jobs), says what happened in words, and finds a person by email or a key by name", async () => {
    const db = await getDb();
    const boot = { db, actor: { type: "system", id: "cli" } as Actor, now };
    const root = await createUser(boot, { email: "root.audit@example.com", role: "super_admin", name: "Rhea Root" });
    const helper = await createUser(boot, { email: "helper.audit@example.com", role: "support", name: "Hal Helper" });
    await changeStaffRole({ db, actor: { type: "user", id: root.id, role: "super_admin" }, now }, { userId: helper.id, role: "billing_admin" });
    const key = await createApiKey(db, { name: "Audit test app", livemode: false, createdBy: "test" });
    await recordAudit(db, { type: "api_key", id: key.id, livemode: false }, { action: "customer.created", entityType: "customer", entityId: "cus_audit1" }, now);

    const { rows } = await listAuditEntries(db, {});
    const roleChange = rows.find((r) => r.action === "user.role_changed");
    expect(roleChange).toMatchObject({ actor: "Rhea Root (root.audit@example.com)", summary: "Role changed from support to billing admin" });
    expect(rows.find((r) => r.action === "customer.created")).toMatchObject({ actor: "API key “Audit test app”", summary: "Customer created" });
    expect(rows.find((r) => r.action === "user.created" && r.entityId === helper.id)).toMatchObject({ actor: "Tally (the command line)" });

    expect((await listAuditEntries(db, { actor: "Root.Audit@example.com" })).rows.map((r) => r.action)).toEqual(["user.role_changed"]);
    expect((await listAuditEntries(db, { actor: "Audit test app" })).rows.map((r) => r.action)).toEqual(["customer.created"]);
    expect((await listAuditEntries(db, { actor: root.id })).rows.map((r) => r.action)).toEqual(["user.role_changed"]);
  });
});
