"use client";

import { useActionState } from "react";
import { Button, Select } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

/** Role picker for one staff member; the outcome shows beside it. */
export function StaffRoleForm({
  action,
  userId,
  role,
  roles,
  name,
}: {
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  userId: string;
  role: string;
  roles: { value: string; label: string }[];
  name: string;
}) {
  const [state, submit, pending] = useActionState(action, {});
  return (
    <form action={submit} className="flex items-start gap-2">
      <input type="hidden" name="userId" value={userId} />
      <Select label={`Role for ${name}`} hideLabel name="role" defaultValue={role} options={roles} wrapperClassName="w-40" error={state.error} />
      <Button type="submit" variant="secondary" size="sm" loading={pending} className="mt-0.5">
        Save
      </Button>
    </form>
  );
}
