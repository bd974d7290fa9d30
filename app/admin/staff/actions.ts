"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { changeStaffRole, inviteStaff, setStaffActive } from "@/lib/services/users/staff";

export const inviteStaffAction = validatedAction(
  "staff.manage",
  z.object({ email: z.email("Enter an email address, e.g. sam@example.com."), name: z.string().trim().max(200).optional(), role: z.string().min(1, "Choose a role.") }),
  async (input, user, ctx) => {
    const invited = await inviteStaff(ctx, { email: input.email, name: input.name || null, role: input.role, invitedBy: user.name ?? user.email });
    revalidatePath("/admin/staff");
    return { ok: true, message: `Invitation sent to ${invited.email}.` };
  },
);

export const changeStaffRoleAction = validatedAction("staff.manage", z.object({ userId: z.string().min(1), role: z.string().min(1) }), async (input, _user, ctx) => {
  await changeStaffRole(ctx, input);
  revalidatePath("/admin/staff");
  return { ok: true, message: "Role changed." };
});

export const setStaffActiveAction = validatedAction("staff.manage", z.object({ userId: z.string().min(1), active: z.enum(["true", "false"]) }), async (input, _user, ctx) => {
  await setStaffActive(ctx, { userId: input.userId, active: input.active === "true" });
  revalidatePath("/admin/staff");
  return { ok: true, message: input.active === "true" ? "Account reactivated." : "Account deactivated. They are signed out at their next request." };
});
