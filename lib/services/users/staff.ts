import { and, eq, isNull, ne } from "drizzle-orm";
import { createElement } from "react";
import type { Executor } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { StaffInviteEmail, staffInviteSubject } from "@/emails/staff-invite";
import { renderEmail } from "@/emails/render";
import { recordAudit } from "@/lib/audit/record";
import { roleLabels, staffRoles } from "@/lib/auth/permissions";
import { sendEmail } from "@/lib/email/transport";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "../context";
import { createUser } from "./create-user";
import type { UserRow } from "@/db/queries/staff";

/**
 * Staff management (super admins only, checked by the caller's permission): invite, change role,
 * deactivate and reactivate. The console never loses its last active super admin, and nobody
 * changes or deactivates their own account here.
 */
function assertStaffRole(role: string): asserts role is Role {
  if (!staffRoles.includes(role as Role)) throw new AppError("validation_failed", { param: "role", userMessage: "Choose a staff role." });
}

export async function inviteStaff(ctx: ServiceContext, input: { email: string; name?: string | null; role: string; invitedBy: string }): Promise<UserRow> {
  assertStaffRole(input.role);
  const user = await createUser(ctx, { email: input.email, name: input.name ?? null, role: input.role });
  const email = user.email;
  const { html, text } = await renderEmail(
    createElement(StaffInviteEmail, { signInUrl: `${appUrl()}/sign-in?callbackUrl=%2Fadmin`, role: roleLabels[input.role], invitedBy: input.invitedBy }),
  );
  await sendEmail(ctx.db, { to: email, subject: staffInviteSubject, html, text, template: "staff-invite", eventId: `invite:${user.id}` });
  return user;
}

async function loadStaff(tx: Executor, id: string) {
  const [row] = await tx.select().from(users).where(eq(users.id, id)).for("update");
  if (!row || !staffRoles.includes(row.role)) throw new AppError("not_found", { userMessage: "No such staff member." });
  return row;
}

async function otherActiveSuperAdmins(tx: Executor, exceptId: string): Promise<number> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "super_admin"), isNull(users.deactivatedAt), ne(users.id, exceptId)))
    .for("update");
  return rows.length;
}

function assertNotSelf(ctx: ServiceContext, id: string, what: string): void {
  if (ctx.actor.type === "user" && ctx.actor.id === id) {
    throw new AppError("validation_failed", { userMessage: `You can't ${what} your own account. Ask another super admin.` });
  }
}

export async function changeStaffRole(ctx: ServiceContext, input: { userId: string; role: string }): Promise<void> {
  assertStaffRole(input.role);
  const role = input.role;
  assertNotSelf(ctx, input.userId, "change the role of");
  await ctx.db.transaction(async (tx) => {
    const row = await loadStaff(tx, input.userId);
    if (row.role === role) return;
    if (row.role === "super_admin" && !row.deactivatedAt && (await otherActiveSuperAdmins(tx, row.id)) === 0) {
      throw new AppError("validation_failed", { param: "role", userMessage: "This is the last active super admin. Make someone else a super admin first." });
    }
    await tx.update(users).set({ role }).where(eq(users.id, row.id));
    await recordAudit(tx, ctx.actor, { action: "user.role_changed", entityType: "user", entityId: row.id, before: { role: row.role }, after: { role } }, ctx.now, ctx.requestId);
  });
}

export async function setStaffActive(ctx: ServiceContext, input: { userId: string; active: boolean }): Promise<void> {
  assertNotSelf(ctx, input.userId, input.active ? "reactivate" : "deactivate");
  await ctx.db.transaction(async (tx) => {
    const row = await loadStaff(tx, input.userId);
    if (!input.active === Boolean(row.deactivatedAt)) return;
    if (!input.active && row.role === "super_admin" && (await otherActiveSuperAdmins(tx, row.id)) === 0) {
      throw new AppError("validation_failed", { userMessage: "This is the last active super admin. Make someone else a super admin first." });
    }
    const deactivatedAt = input.active ? null : ctx.now;
    await tx.update(users).set({ deactivatedAt }).where(eq(users.id, row.id));
    await recordAudit(
      tx,
      ctx.actor,
      { action: input.active ? "user.reactivated" : "user.deactivated", entityType: "user", entityId: row.id, before: { deactivatedAt: row.deactivatedAt }, after: { deactivatedAt } },
      ctx.now,
      ctx.requestId,
    );
  });
}
