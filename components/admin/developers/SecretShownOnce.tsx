"use client";

import { useState, type ReactNode } from "react";
import { Alert, Button } from "@/components/ui";

/** A secret (API key, webhook signing secret) shown to the person who made it, once, with a copy button. */
export function SecretShownOnce({ secret, title, children, testId }: { secret: string; title: string; children: ReactNode; testId: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <Alert tone="success" title={title}>
      {children}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code data-testid={testId} className="rounded-md border border-emerald-200 bg-white px-2 py-1 font-mono text-[13px] break-all text-slate-900">
          {secret}
        </code>
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(secret).catch(() => undefined);
            setCopied(secret);
          }}
        >
          {copied === secret ? "Copied" : "Copy"}
        </Button>
      </div>
    </Alert>
  );
}
