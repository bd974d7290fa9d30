import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { takeInvoiceNumber } from "@/db/queries/invoices";
import { listAuditEntries } from "@/db/queries/audit";
import { emails, users } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { listNumberSeries, setNumberPrefix } from "@/lib/services/settings/number-series";
import { createUser } from "@/lib/services/users/create-user";
import { changeStaffRole, inviteStaff, setStaffActive } from "@/lib/services/users/staff";
import { formatterFor } from "@/lib/format";

const fmt = formatterFor({ locale: "en-AU" });

const now = new Date("2026-11-21T00:00:00Z");

async function superAdmin(email: string) {
  const db = await getDb();
  const boot = { db, actor: { type: "system", id: "test" } as Actor, now };
  const admin = await createUser(boot, { email, role: "super_admin", name: "Root" });
  const ctx = { db, actor: { type: "user", id: admin.id, role: "super_admin" } as Actor, now };
  return { db, admin, ctx };
}

describe("staff management", () => {
  it("invites with an email, changes roles and deactivates, never leaving the console without a super admin", async () => {
    const { db, admin, ctx } = await superAdmin("root@example.com");
    const invited = await inviteStaff(ctx, { email: "New.Person@Example.com", role: "support", invitedBy: "Root" });
    expect(invited).toMatchObject({ email: "new.person@example.com", role: "support", customerId: null });
    const [mail] = await db.select().from(emails).where(eq(emails.to, "new.person@example.com"));
    expect(mail).toMatchObject({ template: "staff-invite", eventId: `invite:${invited.id}` });
    expect(mail!.html).toContain("/sign-in?callbackUrl=%2Fadmin");
    await expect(inviteStaff(ctx, { email: "x@example.com", role: "subscriber", invitedBy: "Root" })).rejects.toMatchObject({ param: "role" });
    await expect(inviteStaff(ctx, { email: "new.person@example.com", role: "support", invitedBy: "Root" })).rejects.toMatchObject({ code: "conflict" });

    await changeStaffRole(ctx, { userId: invited.id, role: "billing_admin" });
    expect((await db.select().from(users).where(eq(users.id, invited.id)))[0]!.role).toBe("billing_admin");

    // Nobody edits themselves, and the last super admin stays.
    await expect(changeStaffRole(ctx, { userId: admin.id, role: "support" })).rejects.toThrow(/your own account/);
    await expect(setStaffActive(ctx, { userId: admin.id, active: false })).rejects.toThrow(/your own account/);
    await changeStaffRole(ctx, { userId: invited.id, role: "super_admin" });
    const other = { ...ctx, actor: { type: "user", id: invited.id, role: "super_admin" } as Actor };
    await setStaffActive(other, { userId: admin.id, active: false });
    // The test database holds no other super admin, so `invited` is now the last active one.
    await expect(setStaffActive(ctx, { userId: invited.id, active: false })).rejects.toThrow(/last active super admin/);
    await setStaffActive(other, { userId: admin.id, active: true });
    expect((await db.select().from(users).where(eq(users.id, admin.id)))[0]!.deactivatedAt).toBeNull();

    const audit = await listAuditEntries(db, { entityType: "user" }, fmt);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["user.created", "user.role_changed", "user.deactivated"]));
  });

  it("refuses to deactivate or demote the last active super admin", async () => {
    const { db, ctx } = await superAdmin("root2@example.com");
    const helper = await inviteStaff(ctx, { email: "helper2@example.com", role: "super_admin", invitedBy: "Root" });
    const helperCtx = { ...ctx, actor: { type: "user", id: helper.id, role: "super_admin" } as Actor };
    // Deactivate every other super admin in this database first.
    const supers = await db.select().from(users).where(eq(users.role, "super_admin"));
    for (const s of supers) if (s.id !== helper.id && s.id !== ctx.actor.id) await setStaffActive(helperCtx, { userId: s.id, active: false });
    await setStaffActive(helperCtx, { userId: ctx.actor.id, active: false });
    // helper is now the only active super admin: root (deactivated, but acting here) cannot remove it.
    await expect(setStaffActive(ctx, { userId: helper.id, active: false })).rejects.toThrow(/last active super admin/);
    await expect(changeStaffRole(ctx, { userId: helper.id, role: "support" })).rejects.toThrow(/last active super admin/);
  });
});

describe("invoice numbering", () => {
  it("a new prefix applies to the next number and the counter carries on without a gap", async () => {
    const { db, ctx } = await superAdmin("root3@example.com");
    const first = await db.transaction((tx) => takeInvoiceNumber(tx));
    await setNumberPrefix(ctx, { series: "default", prefix: "INV-" });
    const second = await db.transaction((tx) => takeInvoiceNumber(tx));
    expect(Number(second.slice(4))).toBe(Number(first.slice(4)) + 1);
    expect(second.startsWith("INV-")).toBe(true);
    await expect(setNumberPrefix(ctx, { series: "credit_note", prefix: "INV-" })).rejects.toThrow(/collide/);
    await expect(setNumberPrefix(ctx, { series: "default", prefix: "bad prefix!" })).rejects.toMatchObject({ param: "prefix_default" });
    const series = await listNumberSeries(db);
    expect(series.find((s) => s.series === "default")).toMatchObject({ prefix: "INV-", nextNumber: Number(second.slice(4)) + 1 });
  });
});
