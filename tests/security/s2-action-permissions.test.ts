/**
 * S2 over every server action: each action carries the permission it checks (validatedAction), and
 * for every role the permission table denies, calling it answers "not allowed" and the denial is
 * written to the audit log. Action modules are found on disk, so a new one is covered automatically.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, roles, type Role } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { can, type Permission } from "@/lib/auth/permissions";
import { createUser } from "@/lib/services/users/create-user";

const session: { uid?: string } = {};

vi.mock("next/headers", () => ({
  headers: async () => new Headers({ origin: "http://tally.test", host: "tally.test" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (session.uid ? { uid: session.uid } : null),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

type Action = ((previous: object, formData: FormData) => Promise<{ error?: string; ok?: boolean }>) & { permission?: Permission };

/** Every "use server" module: the routes' own and the shared ones components import (lib/actions). */
function actionModules(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...actionModules(full));
    else if (/\.tsx?$/.test(entry.name) && fs.readFileSync(full, "utf8").startsWith('"use server";')) found.push(full);
  }
  return found.sort();
}

/**
 * Actions a signed link authorizes instead of a session: the SCA confirm page is opened from an
 * email by someone who may not be signed in; its token names the payment (tested in tests/payments/sca.test.ts).
 */
const tokenAuthorized = new Set([path.join("app", "(public)", "pay", "[token]", "actions.ts")]);

const modules = [...actionModules("app"), ...actionModules(path.join("lib", "actions"))].filter((m) => !tokenAuthorized.has(m));
const users = {} as Record<Role, string>;

beforeAll(async () => {
  const db = await getDb();
  const ctx = { db, actor: systemActor("test"), now: new Date() };
  for (const role of roles) users[role] = (await createUser(ctx, { email: `s2-${role}@example.com`, role, name: role })).id;
});

describe("S2: every server action refuses the roles the permission table denies, and logs it", () => {
  it("finds the action modules", () => {
    expect(modules.length).toBeGreaterThanOrEqual(5);
    expect(modules).toContain(path.join("app", "admin", "staff", "actions.ts"));
    expect(modules).toContain(path.join("lib", "actions", "admin", "customers", "payments.ts"));
  });

  it.each(modules)("%s", async (file) => {
    const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
    const actions = Object.entries(mod).filter((e): e is [string, Action] => typeof e[1] === "function");
    expect(actions.length, `${file} exports no actions`).toBeGreaterThan(0);
    const db = await getDb();
    for (const [name, action] of actions) {
      expect(action.permission, `${file} → ${name} is not built with validatedAction`).toBeTruthy();
      const permission = action.permission!;
      for (const role of roles) {
        if (can(role, permission)) continue;
        session.uid = users[role];
        const result = await action({}, new FormData());
        expect(result.error, `${role} calling ${name}`).toBe("Your role does not allow this action.");
        const logged = await db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, "permission.denied"), eq(auditLog.actorId, users[role]), eq(auditLog.entityId, permission)));
        expect(logged.length, `denial of ${name} to ${role} logged`).toBeGreaterThan(0);
      }
      // Without a session nothing runs either.
      session.uid = undefined;
      expect((await action({}, new FormData())).error).toBe("Please sign in again.");
    }
  });
});
