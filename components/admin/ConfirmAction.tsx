"use client";

import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { ConfirmDialog, useToast, type ButtonSize, type ButtonVariant } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

/**
 * A console action behind a confirmation: the dialog says what will happen, confirming runs the
 * server action with `fields`, and the outcome comes back as a toast.
 */
export function ConfirmAction({
  action,
  fields,
  triggerLabel,
  triggerVariant = "secondary",
  triggerSize = "sm",
  title,
  body,
  confirmLabel,
  tone,
}: {
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  triggerLabel: ReactNode;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  title: ReactNode;
  body: ReactNode;
  confirmLabel: ReactNode;
  tone?: "default" | "danger";
}) {
  const router = useRouter();
  const toast = useToast();
  return (
    <ConfirmDialog
      triggerLabel={triggerLabel}
      triggerVariant={triggerVariant}
      triggerSize={triggerSize}
      title={title}
      body={body}
      confirmLabel={confirmLabel}
      tone={tone}
      onConfirm={async () => {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.set(k, v);
        const result = await action({}, form);
        if (result.error) toast.toast({ title: result.error, tone: "danger" });
        else toast.toast({ title: result.message ?? "Done.", tone: "success" });
        router.refresh();
      }}
    />
  );
}
