"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { Alert, Button, ConfirmDialog, Input, Select, useToast } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";
import { SecretShownOnce } from "./SecretShownOnce";

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

const secretHelp = "This is the only time Tally shows it: put it in your receiver's Standard Webhooks verification now.";

/** Adds an endpoint and shows its signing secret once (the action answers with it as its message). */
export function CreateWebhookEndpointForm({ action, eventsHint }: { action: Action; eventsHint: string }) {
  const [state, submit, pending] = useActionState(action, {});
  return (
    <div className="space-y-4">
      {state.ok && state.message && (
        <SecretShownOnce secret={state.message} title="Endpoint added: copy its signing secret now" testId="new-webhook-secret">
          <p>{secretHelp}</p>
        </SecretShownOnce>
      )}
      {state.error && !state.fieldErrors && <Alert tone="danger">{state.error}</Alert>}
      <form action={submit} className="grid gap-3 sm:grid-cols-2" noValidate>
        <Input label="Endpoint URL" name="url" type="url" placeholder="https://api.example.com/webhooks/tally" required wrapperClassName="sm:col-span-2" error={state.fieldErrors?.url} />
        <Input label="Description" name="description" error={state.fieldErrors?.description} />
        <Select
          label="Mode"
          name="mode"
          defaultValue="test"
          options={[
            { value: "test", label: "Test events" },
            { value: "live", label: "Live events (https only)" },
          ]}
        />
        <Input label="Events" name="events" defaultValue="*" hint={eventsHint} wrapperClassName="sm:col-span-2" error={state.fieldErrors?.events} />
        <div>
          <Button type="submit" loading={pending}>
            Add endpoint
          </Button>
        </div>
      </form>
    </div>
  );
}

/** Rotates the signing secret behind a confirmation and shows the new one to whoever confirmed, once. */
export function RotateSecretButton({ action, endpointId, overlapHours }: { action: Action; endpointId: string; overlapHours: number }) {
  const router = useRouter();
  const toast = useToast();
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      <ConfirmDialog
        triggerLabel="Rotate secret"
        triggerVariant="secondary"
        triggerSize="sm"
        title="Rotate the signing secret?"
        body={`Tally signs with a new secret from now on. For ${overlapHours} hours every delivery also carries a signature with the current secret, so your receiver keeps working while you switch it over.`}
        confirmLabel="Rotate secret"
        onConfirm={async () => {
          const form = new FormData();
          form.set("id", endpointId);
          const result = await action({}, form);
          if (result.error) toast.toast({ title: result.error, tone: "danger" });
          else setSecret(result.message ?? null);
          router.refresh();
        }}
      />
      {secret && (
        <SecretShownOnce secret={secret} title="New signing secret" testId="rotated-webhook-secret">
          <p>{secretHelp}</p>
        </SecretShownOnce>
      )}
    </div>
  );
}

/** Replays every event of a time range (UTC) to the endpoint, after a confirmation naming the range. */
export function ReplayRangeForm({ action, endpointId, url, defaultFrom, defaultTo }: { action: Action; endpointId: string; url: string; defaultFrom: string; defaultTo: string }) {
  const router = useRouter();
  const toast = useToast();
  const [from, setFrom] = useState(defaultFrom);
  const [to, setTo] = useState(defaultTo);
  return (
    <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
      <Input label="From (UTC)" name="from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
      <Input label="To (UTC)" name="to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
      <ConfirmDialog
        triggerLabel="Replay events"
        triggerVariant="secondary"
        title="Replay these events?"
        body={`Every event from ${from.replace("T", " ")} to ${to.replace("T", " ")} UTC that this endpoint listens to is sent to ${url} again, with its original webhook-id, including events it already received.`}
        confirmLabel="Replay"
        onConfirm={async () => {
          const form = new FormData();
          form.set("id", endpointId);
          form.set("from", from);
          form.set("to", to);
          const result = await action({}, form);
          if (result.error) toast.toast({ title: result.error, tone: "danger" });
          else toast.toast({ title: result.message ?? "Done.", tone: "success" });
          router.refresh();
        }}
      />
    </div>
  );
}
