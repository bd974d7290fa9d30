"use client";

import { signOut } from "next-auth/react";
import { useActionState, useEffect, useRef, type ReactNode } from "react";
import { Alert, Button, buttonClasses, Card, CardBody, CardHeader, Input } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface PrivacySectionsProps {
  action: Action;
  email: string;
  /** What deleting does, worded for this customer (server-rendered). */
  consequences: ReactNode;
  /** One sentence with the money effect, repeated next to the button. */
  moneyEffect: string;
}

/**
 * Download my data, and delete my account. After a deletion the browser is signed out and both
 * sections give way to a confirmation, since nothing else on the page works any more.
 */
export function PrivacySections({ action, email, consequences, moneyEffect }: PrivacySectionsProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const doneHeading = useRef<HTMLHeadingElement>(null);
  const deleted = state.ok === true;

  useEffect(() => {
    if (!deleted) return;
    doneHeading.current?.focus();
    // The session is already refused on the server; this also clears the cookie.
    void signOut({ redirect: false }).catch(() => undefined);
  }, [deleted]);

  if (deleted) {
    return (
      <Card>
        <CardBody className="space-y-4">
          <h2 ref={doneHeading} tabIndex={-1} className="text-lg font-semibold text-slate-900 focus:outline-none">
            Your account has been deleted
          </h2>
          <p className="text-sm text-slate-700">
            We&apos;ve signed you out. Your name, email address, address and saved cards are gone. Your invoices, payments and credit notes, with the billing details printed on them, are kept until {state.message} because tax law requires it, and are deleted after that.
          </p>
          <a href="/sign-in" className={buttonClasses({ variant: "secondary" })}>
            Go to the sign-in page
          </a>
        </CardBody>
      </Card>
    );
  }

  return (
    <>
      <Card>
        <CardHeader title="Download your data" description="A JSON file with everything we hold about you." />
        <CardBody className="space-y-4">
          <p className="text-sm text-slate-700">
            It includes your profile and billing details, tax IDs, saved cards (brand, last four digits and expiry; never the card number), subscriptions and their history, invoices with every line, payments, refunds, credit notes, your credit balance history, the emails we sent you (subject and date) and the record of changes to your account.
          </p>
          <a href="/privacy/export" download className={buttonClasses({ variant: "secondary" })}>
            <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
              <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.614L6.295 8.235a.75.75 0 1 0-1.09 1.03l4.25 4.5a.75.75 0 0 0 1.09 0l4.25-4.5a.75.75 0 0 0-1.09-1.03l-2.955 3.129V2.75Z" />
              <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
            </svg>
            Download my data
          </a>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Delete your account" description="This can't be undone." />
        <CardBody className="space-y-5">
          <div className="space-y-3 text-sm text-slate-700">{consequences}</div>
          <form action={formAction} className="space-y-4 border-t border-slate-200 pt-5">
            {state.error && !state.fieldErrors?.confirm ? <Alert tone="danger">{state.error}</Alert> : null}
            <Input
              name="confirm"
              label="To confirm, type your email address or DELETE"
              hint={`Your email address is ${email}.`}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              required
              error={state.fieldErrors?.confirm}
            />
            <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
              <p className="text-[13px] text-slate-700">{moneyEffect}</p>
              <Button type="submit" variant="danger" loading={pending} className="w-full shrink-0 sm:w-auto">
                {pending ? "Deleting…" : "Delete my account"}
              </Button>
            </div>
          </form>
        </CardBody>
      </Card>
    </>
  );
}
