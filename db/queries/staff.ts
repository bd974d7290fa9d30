import { ne } from "drizzle-orm";
import type { Executor } from "../client";
import { users } from "../schema";

export type UserRow = typeof users.$inferSelect;

/** Everyone who can use the console (deactivated accounts included, marked). */
export async function listStaff(tx: Executor) {
  return tx
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, deactivatedAt: users.deactivatedAt, createdAt: users.createdAt, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(ne(users.role, "subscriber"))
    .orderBy(users.email);
}
