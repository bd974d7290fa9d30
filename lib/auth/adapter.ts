import { and, eq } from "drizzle-orm";
import type { Adapter, AdapterUser, VerificationToken } from "next-auth/adapters";
import { getDb } from "@/db/client";
import { users, verificationTokens } from "@/db/schema";
import type { UserRow } from "@/db/queries/staff";
import { systemActor } from "@/lib/actor";
import { createUser } from "@/lib/services/users/create-user";

function toAdapterUser(row: UserRow): AdapterUser {
  return { id: row.id, email: row.email, name: row.name, emailVerified: row.emailVerifiedAt, sessionVersion: row.sessionVersion } as AdapterUser;
}

/**
 * The few adapter methods magic-link sign-in needs, over Tally's own users table (sessions are JWTs).
 * A new email signing in becomes a subscriber with a customer of their own.
 */
export function tallyAdapter(): Adapter {
  return {
    async createUser(user: Omit<AdapterUser, "id">) {
      const db = await getDb();
      const row = await createUser({ db, actor: systemActor("signup"), now: new Date() }, { email: user.email, role: "subscriber", name: user.name ?? null, emailVerified: true });
      return toAdapterUser(row);
    },
    async getUser(id) {
      const db = await getDb();
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row ? toAdapterUser(row) : null;
    },
    async getUserByEmail(email) {
      const db = await getDb();
      const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
      return row && !row.deactivatedAt ? toAdapterUser(row) : null;
    },
    async getUserByAccount() {
      return null;
    },
    async updateUser(user) {
      const db = await getDb();
      const [row] = await db
        .update(users)
        .set({ emailVerifiedAt: user.emailVerified ?? undefined, name: user.name ?? undefined })
        .where(eq(users.id, user.id))
        .returning();
      if (!row) throw new Error("user vanished");
      return toAdapterUser(row);
    },
    async linkAccount() {
      return null;
    },
    async createVerificationToken(token: VerificationToken) {
      const db = await getDb();
      await db.insert(verificationTokens).values(token);
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      const db = await getDb();
      const [row] = await db
        .delete(verificationTokens)
        .where(and(eq(verificationTokens.identifier, identifier), eq(verificationTokens.token, token)))
        .returning();
      return row ?? null;
    },
  };
}
