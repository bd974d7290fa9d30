"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { setStaffLocale } from "@/lib/services/users/staff-locale";

export const saveStaffLocaleAction = validatedAction("console.access", z.object({ locale: z.string().default("") }), async (input, user, ctx) => {
  await setStaffLocale(ctx, user.id, input.locale === "" ? null : input.locale);
  revalidatePath("/admin", "layout");
  return { ok: true, message: "Saved. The console writes amounts, dates and counts in this locale from now on." };
});
