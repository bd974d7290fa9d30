"use client";

import { useActionState, useRef, useState, useTransition } from "react";
import { Alert, Button, Dialog, DialogFooter, Input, Select, Spinner, useToast } from "@/components/ui";
import { changePlanAction, previewChangeAction } from "@/lib/actions/admin/customers/subscriptions";
import type { ActionState } from "@/lib/actions/validated-action";
import type { ChangePreviewView } from "@/lib/actions/admin/customers/change-preview";
import type { PriceChoice, SubscriptionSummary } from "./types";

type PreviewState = ActionState & { preview?: ChangePreviewView };

/**
 * Change plan or quantity: choose, see the proration preview the change itself computes
 * ("$X today, then $Y on <date>"), then confirm. Changing a choice clears the preview.
 */
export function ChangePlanDialog({ customerId, subscription: s, prices }: { customerId: string; subscription: SubscriptionSummary; prices: PriceChoice[] }) {
  const [open, setOpen] = useState(false);
  const [round, setRound] = useState(0);
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        aria-haspopup="dialog"
        onClick={() => {
          setRound((r) => r + 1);
          setOpen(true);
        }}
      >
        Change plan
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Change ${s.plan}`} description={`Now ${s.quantity > 1 ? `${s.quantity} × ` : ""}${s.plan} at ${s.price}; the period ends ${s.periodEnd}.`} size="lg" className="text-left font-normal whitespace-normal">
        {open ? <ChangePlanForm key={round} customerId={customerId} subscription={s} prices={prices} onClose={() => setOpen(false)} /> : null}
      </Dialog>
    </>
  );
}

function ChangePlanForm({ customerId, subscription: s, prices, onClose }: { customerId: string; subscription: SubscriptionSummary; prices: PriceChoice[]; onClose: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<PreviewState>({});
  const [previewing, startPreview] = useTransition();
  const { toast } = useToast();
  const [state, dispatch] = useActionState(async (previous: ActionState, data: FormData) => {
    const result = await changePlanAction(previous, data);
    if (result.ok) {
      toast({ title: result.message ?? "Plan changed.", tone: "success" });
      onClose();
    }
    return result;
  }, {});
  const [confirming, startConfirm] = useTransition();

  const runPreview = () => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    startPreview(async () => setPreview(await previewChangeAction({}, data)));
  };
  const errors = { ...(preview.fieldErrors ?? {}), ...(state.fieldErrors ?? {}) };
  const error = state.error ?? preview.error;
  const shown = preview.preview;

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startConfirm(() => dispatch(data));
      }}
      onInput={() => setPreview({})}
    >
      <input type="hidden" name="customerId" value={customerId} />
      <input type="hidden" name="subscriptionId" value={s.id} />
      <div className="space-y-4 px-5 pb-4 text-sm text-slate-700">
        {s.changeRefusal ? <Alert tone="warning">{s.changeRefusal} Change its items through the API (PATCH /api/v1/subscriptions/{s.id}).</Alert> : null}
        {error && !Object.values(errors).includes(error) ? <Alert tone="danger">{error}</Alert> : null}
        {s.addOns.length > 0 ? (
          <p className="text-[13px] text-slate-600" data-testid="kept-add-ons">
            {s.addOns.join(", ")} {s.addOns.length === 1 ? "stays" : "stay"} on the subscription at {s.addOns.length === 1 ? "its" : "their"} price: usage keeps counting and is billed at the end of the period.
          </p>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
          <Select label="Plan" name="priceId" defaultValue={s.priceId} error={errors.priceId ?? errors["items[0].price"]} options={prices.map((p) => ({ value: p.priceId, label: p.label }))} data-autofocus="" />
          <Input label="Quantity" name="quantity" type="number" min={1} max={10000} step={1} defaultValue={String(s.quantity)} error={errors.quantity} inputMode="numeric" />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Select
            label="When"
            name="effective"
            defaultValue="now"
            error={errors.effective}
            options={[
              { value: "now", label: "Now" },
              { value: "period_end", label: `At the end of the period (${s.periodEnd})` },
            ]}
          />
          <Select
            label="Proration"
            name="prorationBehavior"
            defaultValue="always_invoice"
            error={errors.prorationBehavior}
            options={[
              { value: "always_invoice", label: "Invoice the difference now" },
              { value: "create_prorations", label: "Add it to the next invoice" },
              { value: "none", label: "No proration" },
            ]}
          />
        </div>
        <div role="status" aria-live="polite" data-testid="money-effect" className="rounded-lg border border-slate-200 bg-slate-50 px-3.5 py-3 leading-relaxed text-slate-900">
          {previewing ? (
            <span className="inline-flex items-center gap-2 text-slate-600">
              <Spinner size="sm" /> Computing the proration…
            </span>
          ) : shown ? (
            <div className="space-y-2.5">
              {shown.lines.length > 0 ? (
                <ul className="divide-y divide-slate-200 text-[13px]">
                  {shown.lines.map((line, i) => (
                    <li key={i} className="flex items-start justify-between gap-4 py-1.5">
                      <span className="min-w-0 text-slate-700">{line.description}</span>
                      <span className="shrink-0 font-medium tabular-nums">{line.amount}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-[13px] text-slate-600">No proration lines.</p>
              )}
              <p className="font-medium" data-testid="change-summary">
                {shown.dueNow} today{shown.next ? `, then ${shown.next.amount} on ${shown.next.date}` : ""}.{shown.next?.credit ? <span className="font-normal text-slate-600"> ({shown.next.credit} of credit balance used.)</span> : null}
              </p>
              <p className="text-[13px] text-slate-600">{shown.timing}</p>
            </div>
          ) : (
            <span className="text-slate-600">Preview the change to see what the customer pays today and at the next renewal.</span>
          )}
        </div>
      </div>
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        {shown ? (
          <Button type="submit" loading={confirming}>
            Confirm change{shown.dueNowMinor > 0 ? ` and charge ${shown.dueNow}` : ""}
          </Button>
        ) : (
          <Button variant="primary" onClick={runPreview} loading={previewing} disabled={s.changeRefusal !== null}>
            Preview change
          </Button>
        )}
      </DialogFooter>
    </form>
  );
}
