"use client";

import { useActionState, useState } from "react";
import { Alert, Badge, Button, ButtonLink, ConfirmDialog, Dialog } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";
import type { ExpiryStatus } from "@/lib/services/payment-methods/card-display";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface CardView {
  id: string;
  label: string;
  /** "MM/YYYY" */
  expiry: string;
  expiryStatus: ExpiryStatus;
  isDefault: boolean;
  removal:
    | { allowed: true; body: string }
    /** The last card while a subscription renews with it: explained, with a way to add another. */
    | { allowed: false; body: string };
}

export interface PaymentMethodListProps {
  cards: CardView[];
  makeDefault: Action;
  remove: Action;
  addHref: string;
}

/**
 * The customer's saved cards with "Make default" and "Remove" (confirmed, saying what happens to
 * the next renewal). One status line above the list reports the last action's outcome.
 */
export function PaymentMethodList({ cards, makeDefault, remove, addHref }: PaymentMethodListProps) {
  const [state, run, pending] = useActionState(async (previous: ActionState, formData: FormData) => {
    return formData.get("intent") === "remove" ? remove(previous, formData) : makeDefault(previous, formData);
  }, {});

  return (
    <div className="space-y-4">
      <div aria-live="polite" className="empty:hidden">
        {state.error ? (
          <Alert tone="danger" title="That didn't work">
            {state.error}
          </Alert>
        ) : state.message ? (
          <Alert tone={state.ok ? "success" : "warning"}>{state.message}</Alert>
        ) : null}
      </div>
      <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-card" aria-label="Saved cards">
        {cards.map((card) => (
          <li key={card.id} className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-center sm:justify-between sm:px-5" data-testid="saved-card">
            <div className="flex min-w-0 items-start gap-3">
              <CardIcon />
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
                  <span>{card.label}</span>
                  {card.isDefault ? <Badge tone="info">Default</Badge> : null}
                  {card.expiryStatus === "expired" ? <Badge tone="danger">Expired</Badge> : null}
                  {card.expiryStatus === "expiring_soon" ? <Badge tone="warning">Expires soon</Badge> : null}
                </p>
                <p className={card.expiryStatus === "expired" ? "mt-0.5 text-[13px] text-danger-700" : "mt-0.5 text-[13px] text-slate-600"}>
                  {card.expiryStatus === "expired" ? `Expired ${card.expiry}` : `Expires ${card.expiry}`}
                </p>
              </div>
            </div>
            <div className="flex shrink-0 flex-wrap gap-2 pl-11 sm:pl-0">
              {!card.isDefault && card.expiryStatus !== "expired" ? (
                <form action={run}>
                  <input type="hidden" name="intent" value="make_default" />
                  <input type="hidden" name="payment_method" value={card.id} />
                  <Button type="submit" variant="secondary" size="sm" disabled={pending} aria-label={`Make ${card.label} your default card`}>
                    Make default
                  </Button>
                </form>
              ) : null}
              <RemoveCard card={card} run={run} pending={pending} addHref={addHref} />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function RemoveCard({ card, run, pending, addHref }: { card: CardView; run: (formData: FormData) => void; pending: boolean; addHref: string }) {
  const [open, setOpen] = useState(false);
  if (!card.removal.allowed) {
    return (
      <>
        <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-haspopup="dialog" aria-label={`Remove ${card.label}`}>
          Remove
        </Button>
        <Dialog
          open={open}
          onClose={() => setOpen(false)}
          title="Add another card first"
          description={card.removal.body}
          footer={
            <>
              <Button variant="secondary" onClick={() => setOpen(false)} data-autofocus="">
                Keep this card
              </Button>
              <ButtonLink href={addHref}>Add another card</ButtonLink>
            </>
          }
        />
      </>
    );
  }
  return (
    <>
      <Button variant="ghost" size="sm" disabled={pending} onClick={() => setOpen(true)} aria-haspopup="dialog" aria-label={`Remove ${card.label}`}>
        Remove
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Remove ${card.label}?`}
        body={card.removal.body}
        confirmLabel="Remove card"
        cancelLabel="Keep card"
        tone="danger"
        action={run}
        fields={{ intent: "remove", payment_method: card.id }}
      />
    </>
  );
}

function CardIcon() {
  return (
    <span className="mt-0.5 flex h-7 w-8 shrink-0 items-center justify-center rounded-md border border-slate-200 bg-slate-50 text-slate-500" aria-hidden="true">
      <svg viewBox="0 0 20 20" fill="currentColor" className="size-4">
        <path d="M2.5 4A1.5 1.5 0 0 0 1 5.5V6h18v-.5A1.5 1.5 0 0 0 17.5 4h-15ZM19 8.5H1v6A1.5 1.5 0 0 0 2.5 16h15a1.5 1.5 0 0 0 1.5-1.5v-6ZM3 13.25a.75.75 0 0 1 .75-.75h1.5a.75.75 0 0 1 0 1.5h-1.5a.75.75 0 0 1-.75-.75Zm4.75-.75a.75.75 0 0 0 0 1.5h3.5a.75.75 0 0 0 0-1.5h-3.5Z" />
      </svg>
    </span>
  );
}
