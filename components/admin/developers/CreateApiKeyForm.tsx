"use client";

import { useActionState } from "react";
import { Alert, Button, Input, Select } from "@/components/ui";
import { SecretShownOnce } from "./SecretShownOnce";
import type { ActionState } from "@/lib/actions/validated-action";

/**
 * Creates a key and shows it once, with a copy button; Tally cannot show it again. Live keys are
 * offered only when the gateway can take live payments (`liveRefusedBecause` says why not).
 */
export function CreateApiKeyForm({ action, liveRefusedBecause }: { action: (previous: ActionState, formData: FormData) => Promise<ActionState>; liveRefusedBecause: string | null }) {
  const [state, submit, pending] = useActionState(action, {});
  const key = state.ok ? state.message : undefined;
  return (
    <div className="space-y-4">
      {key && (
        <SecretShownOnce secret={key} title="Copy your new key now" testId="new-api-key">
          <p>This is the only time Tally shows it. Store it in your secrets manager; if it is lost, create another and revoke this one.</p>
        </SecretShownOnce>
      )}
      {state.error && !state.fieldErrors && <Alert tone="danger">{state.error}</Alert>}
      <form action={submit} className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-start" noValidate>
        <Input label="Name" name="name" placeholder="e.g. Production backend" required error={state.fieldErrors?.name} />
        <Select
          label="Mode"
          name="mode"
          defaultValue="test"
          options={[
            { value: "test", label: "Test (tk_test_)" },
            { value: "live", label: liveRefusedBecause ? "Live (tk_live_): needs Stripe" : "Live (tk_live_)", disabled: liveRefusedBecause !== null },
          ]}
        />
        <Button type="submit" loading={pending} className="sm:mt-6">
          Create key
        </Button>
      </form>
      {liveRefusedBecause && <p className="text-xs text-slate-500">{liveRefusedBecause}</p>}
    </div>
  );
}
