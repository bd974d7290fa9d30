import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { isSupportedLocale } from "@/lib/format";
import type { ServiceContext } from "../context";

/** A staff member's own console locale (null: their browser's, else the business's); audited. */
export async function setStaffLocale(ctx: ServiceContext, userId: string, locale: string | null): Promise<void> {
  if (locale !== null && !isSupportedLocale(locale)) throw new AppError("validation_failed", { param: "locale", userMessage: "Choose one of the listed locales." });
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
    if (!before) throw new AppError("not_found", { param: "id", userMessage: "No such staff member." });
    if (before.locale === locale) return;
    await tx.update(users).set({ locale }).where(eq(users.id, userId));
    await recordAudit(tx, ctx.actor, { action: "user.locale_changed", entityType: "user", entityId: userId, before, after: { locale } }, ctx.now, ctx.requestId);
  });
}
