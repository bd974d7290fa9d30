"use client";

import { Alert, Button, ButtonLink } from "@/components/ui";

/** A page that failed to load says so in plain words and offers to try again; nothing was charged. */
export default function PortalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-2xl">
      <h1 className="mb-4 text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">Something went wrong</h1>
      <Alert tone="danger" title="This page didn't load">
        Something went wrong on our side. Nothing was charged. Please try again in a moment.
      </Alert>
      <div className="mt-4 flex flex-col gap-2 sm:flex-row">
        <Button onClick={() => reset()}>Try again</Button>
        <ButtonLink href="/" variant="secondary">
          Back to billing overview
        </ButtonLink>
      </div>
    </div>
  );
}
