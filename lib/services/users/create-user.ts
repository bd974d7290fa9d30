import { eq } from "drizzle-orm";
import { users, type Role } from "@/db/schema";
import type { UserRow } from "@/db/queries/staff";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { signupDefaults } from "@/lib/settings/defaults";
import type { ServiceContext } from "../context";
import { createCustomer } from "../customers/create-customer";

export interface CreateUserInput {
  email: string;
  role: Role;
  name?: string | null;
  password?: string | null;
  /** For subscribers: the customer they manage. Created when absent. */
  customerId?: string | null;
  emailVerified?: boolean;
}

/** A person who signs in: a subscriber (with their customer) or a staff member with a role. */
export async function createUser(ctx: ServiceContext, input: CreateUserInput): Promise<UserRow> {
  const email = input.email.trim().toLowerCase();
  if (input.password != null && input.password.length < 10) {
    throw new AppError("validation_failed", { param: "password", userMessage: "Passwords need at least 10 characters." });
  }
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw new AppError("conflict", { param: "email", userMessage: `A user with the email ${email} already exists.` });
  let customerId = input.customerId ?? null;
  if (input.role === "subscriber" && !customerId) {
    const customer = await createCustomer(ctx, {
      email,
      name: input.name ?? null,
      currency: signupDefaults.currency,
      timezone: signupDefaults.timezone,
      address: { country: signupDefaults.country },
    });
    customerId = customer.id;
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        id: newId("user"),
        email,
        name: input.name ?? null,
        role: input.role,
        passwordHash,
        customerId,
        emailVerifiedAt: input.emailVerified ? ctx.now : null,
        createdAt: ctx.now,
      })
      .returning();
    if (!row) throw new Error("user insert returned nothing");
    const { passwordHash: _hidden, ...visible } = row;
    await recordAudit(tx, ctx.actor, { action: "user.created", entityType: "user", entityId: row.id, after: visible }, ctx.now, ctx.requestId);
    return row;
  });
}
