import { eq } from "drizzle-orm";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { customerErasures, users, type Role } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { authOptions } from "./options";
import { can, isStaff, type Permission } from "./permissions";
import { sessionVersion } from "./session-version";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  customerId: string | null;
  /** The staff member's own console locale (null: their browser's, else the business's). */
  locale: string | null;
}

/**
 * The signed-in user, re-read from the database on every request (role changes apply at once), once
 * per rendered request: a page's own check (requirePageUser), its layout and its formatter
 * (consoleFormatter) share one read (React's cache; outside a render, every call reads).
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await getServerSession(authOptions)) as { uid?: string; sv?: number } | null;
  if (!session?.uid) return null;
  const db = await getDb();
  const [found] = await db
    .select({ user: users, erasedAt: customerErasures.erasedAt })
    .from(users)
    .leftJoin(customerErasures, eq(customerErasures.customerId, users.customerId))
    .where(eq(users.id, session.uid));
  // A deactivated user, or any user of a deleted customer's account, is signed out at once; so is a
  // cookie from before a sign-out, role, email or password change (users.session_version).
  if (!found || found.user.deactivatedAt || found.erasedAt) return null;
  if (found.user.sessionVersion !== sessionVersion(session.sv)) return null;
  const row = found.user;
  return { id: row.id, email: row.email, name: row.name, role: row.role, customerId: row.customerId, locale: row.locale };
});

export function actorOf(user: SessionUser): Actor {
  return { type: "user", id: user.id, role: user.role, customerId: user.customerId };
}

/** For pages: send visitors to sign in, and people without the permission to the right home. */
export async function requirePageUser(permission: Permission): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    const h = await headers();
    const next = h.get("x-tally-path") ?? "/";
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(next)}`);
  }
  if (!can(user.role, permission)) {
    // Staff opening the portal's home simply belong in the console; anything else is a denial.
    if (permission === "portal.self" && isStaff(user.role)) redirect("/admin");
    await logDenial(user, permission);
    redirect(user.role === "subscriber" ? "/" : "/admin?denied=1");
  }
  return user;
}

/** For server actions and route handlers: 401 without a session, 403 (logged) without the permission. */
export async function requireUser(permission: Permission): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthenticated", { userMessage: "Please sign in again." });
  if (!can(user.role, permission)) {
    await logDenial(user, permission);
    throw new AppError("forbidden", { userMessage: "Your role does not allow this action." });
  }
  return user;
}

async function logDenial(user: SessionUser, permission: Permission): Promise<void> {
  const db = await getDb();
  await recordAudit(db, actorOf(user), { action: "permission.denied", entityType: "permission", entityId: permission, after: { role: user.role } }, new Date());
}
