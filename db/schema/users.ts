import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./columns";

export const roles = ["subscriber", "support", "billing_admin", "finance_viewer", "super_admin"] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name"),
    role: text("role").$type<Role>().notNull(),
    passwordHash: text("password_hash"),
    customerId: text("customer_id"),
    emailVerifiedAt: ts("email_verified_at"),
    deactivatedAt: ts("deactivated_at"),
    /** A staff member's own locale for the console (lib/format SUPPORTED_LOCALES); null: their browser's, else the business's. */
    locale: text("locale"),
    /**
     * Session cookies carry the version they were issued under and stop working once it moves on:
     * sign-out bumps it, and so (by trigger, drizzle/0025) does a change of role, email, password or
     * deactivation.
     */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email), index("users_customer_idx").on(t.customerId)],
);

/** Magic-link tokens (stored hashed by next-auth before they reach the adapter). */
export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: ts("expires").notNull(),
  },
  (t) => [uniqueIndex("verification_tokens_token_key").on(t.identifier, t.token)],
);
