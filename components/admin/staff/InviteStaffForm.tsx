"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert, Button, Input, Select } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

export function InviteStaffForm({
  action,
  roles,
}: {
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  roles: { value: string; label: string }[];
}) {
  const [state, submit, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={submit} className="space-y-3" noValidate>
      {state.error && !state.fieldErrors && <Alert tone="danger">{state.error}</Alert>}
      {state.ok && state.message && <Alert tone="success">{state.message}</Alert>}
      <div className="grid gap-3 sm:grid-cols-3">
        <Input label="Email" name="email" type="email" autoComplete="off" required error={state.fieldErrors?.email} />
        <Input label="Name" name="name" autoComplete="off" error={state.fieldErrors?.name} />
        <Select label="Role" name="role" required defaultValue="support" options={roles} error={state.fieldErrors?.role} />
      </div>
      <Button type="submit" loading={pending}>
        Send invitation
      </Button>
    </form>
  );
}
