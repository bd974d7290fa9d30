"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import { Alert, Button, Input, Select } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";
import { taxIdExamples, taxIdTypeForCountry, taxIdTypeLabels, TAX_ID_TYPES, type TaxIdType } from "@/lib/tax/tax-id";

export interface BillingDetailsValues {
  name: string;
  email: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
  tax_id_type: string;
  tax_id: string;
}

export interface BillingDetailsFormProps {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  initial: BillingDetailsValues;
  countries: { value: string; label: string }[];
  /** The email the customer signs in with (unchanged by the billing email). */
  loginEmail: string;
  /** Whether Australian GST applies with an Australian address, with none, and with any other country (from the tax calculator). */
  gst: { au: boolean; none: boolean; other: boolean };
}

const taxTypeOptions = [{ value: "", label: "No tax ID" }, ...TAX_ID_TYPES.map((t) => ({ value: t, label: taxIdTypeLabels[t] }))];

/**
 * Billing details: name, billing email, address and tax ID. Controlled fields, so a refused save
 * keeps what was typed; errors come back next to their field.
 */
export function BillingDetailsForm({ action, initial, countries, loginEmail, gst }: BillingDetailsFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const [values, setValues] = useState(initial);
  const [saved, setSaved] = useState(initial);
  const [lastState, setLastState] = useState(state);
  // A successful save makes the submitted values the new baseline for the tax notice.
  if (state !== lastState) {
    setLastState(state);
    if (state.ok) setSaved(values);
  }
  const set = (field: keyof BillingDetailsValues) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));
  const errors = state.fieldErrors ?? {};

  const gstFor = (country: string) => (country === "AU" ? gst.au : country === "" ? gst.none : gst.other);
  const gstChange = gstFor(values.country) === gstFor(saved.country) ? null : gstFor(values.country) ? "gains" : "loses";

  function chooseCountry(event: { target: { value: string } }) {
    const country = event.target.value;
    setValues((v) => {
      // Suggest the usual tax ID for the country while none has been typed.
      const suggested = v.tax_id.trim() === "" ? (taxIdTypeForCountry(country) ?? "") : v.tax_id_type;
      return { ...v, country, tax_id_type: suggested };
    });
  }

  // Submitted by hand rather than through <form action>: React resets a form after its action,
  // which would put the selects back to their first render's value while the state keeps the new one.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => formAction(form));
  }

  const taxType = values.tax_id_type as TaxIdType | "";
  return (
    <form action={formAction} onSubmit={submit} className="space-y-6" noValidate>
      {state.error ? (
        <Alert tone="danger" title="Not saved">
          {state.error}
        </Alert>
      ) : state.ok && state.message ? (
        <Alert tone="success">{state.message}</Alert>
      ) : null}

      <fieldset className="space-y-4">
        <legend className="text-[15px] font-semibold text-slate-900">Contact</legend>
        <Input label="Name on invoices" name="name" autoComplete="organization" value={values.name} onChange={set("name")} error={errors.name} hint="Your name or your business's name." />
        <Input
          label="Billing email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={values.email}
          onChange={set("email")}
          error={errors.email}
          hint={`Invoices, receipts and payment reminders go here. You still sign in with ${loginEmail}.`}
        />
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-[15px] font-semibold text-slate-900">Address</legend>
        <Select label="Country" name="country" value={values.country} onChange={chooseCountry} options={countries} placeholder="Choose a country…" error={errors.country} autoComplete="country" />
        {gstChange ? (
          <Alert tone="info" title="This changes the tax on future invoices">
            {gstChange === "gains"
              ? "With this address, future invoices will include Australian GST (10%)."
              : "With this address, future invoices won't include Australian GST."}{" "}
            Invoices already issued keep the tax they were issued with.
          </Alert>
        ) : null}
        <Input label="Address line 1" name="line1" autoComplete="address-line1" value={values.line1} onChange={set("line1")} error={errors.line1} />
        <Input label="Address line 2" name="line2" autoComplete="address-line2" value={values.line2} onChange={set("line2")} error={errors.line2} hint="Optional: suite, unit or floor." />
        <div className="grid gap-4 sm:grid-cols-2">
          <Input label="City" name="city" autoComplete="address-level2" value={values.city} onChange={set("city")} error={errors.city} />
          <Input label="State or region" name="state" autoComplete="address-level1" value={values.state} onChange={set("state")} error={errors.state} />
        </div>
        <div className="sm:w-1/2 sm:pr-2">
          <Input label="Postal code" name="postal_code" autoComplete="postal-code" value={values.postal_code} onChange={set("postal_code")} error={errors.postal_code} />
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-[15px] font-semibold text-slate-900">Tax ID</legend>
        <p className="-mt-2 text-[13px] text-slate-600">Shown on your invoices if you are a business. We check its format and check digits; we don&apos;t look it up with the tax office.</p>
        <Select label="Tax ID type" name="tax_id_type" value={values.tax_id_type} onChange={set("tax_id_type")} options={taxTypeOptions} error={errors.tax_id_type} />
        {taxType ? (
          <Input
            label={taxIdTypeLabels[taxType]}
            name="tax_id"
            autoComplete="off"
            spellCheck={false}
            value={values.tax_id}
            onChange={set("tax_id")}
            error={errors.tax_id}
            placeholder={taxIdExamples[taxType]}
            hint={`For example ${taxIdExamples[taxType]}.`}
          />
        ) : (
          <input type="hidden" name="tax_id" value="" />
        )}
      </fieldset>

      <div className="flex flex-col gap-3 border-t border-slate-200 pt-5 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-[13px] text-slate-600">Changes apply to invoices issued from now on; issued invoices keep the details they were issued with.</p>
        <Button type="submit" loading={pending} className="shrink-0">
          {pending ? "Saving…" : "Save billing details"}
        </Button>
      </div>
    </form>
  );
}
