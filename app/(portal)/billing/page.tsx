import { portalFormatter } from "@/lib/portal/formatter";
import type { Metadata } from "next";
import { Card, CardBody, PageHeader } from "@/components/ui";
import { BillingDetailsForm } from "@/components/portal/BillingDetailsForm";
import { countryOptions } from "@/components/portal/countries";
import { portalCustomer } from "@/lib/portal/customer";
import { getDb } from "@/db/client";
import { taxCalculatorFor } from "@/lib/services/invoices/plan-invoice";
import { loadTaxSettings } from "@/lib/services/tax/tax-settings";
import { formatTaxId, isTaxIdType } from "@/lib/tax/tax-id";
import { saveBillingDetailsAction } from "./actions";

export const metadata: Metadata = { title: "Billing details · Tally" };

export default async function BillingDetailsPage() {
  const { user, customer } = await portalCustomer();
  const taxCalculator = taxCalculatorFor(await loadTaxSettings(await getDb()));
  const taxId = customer.taxIds[0];
  const address = customer.address;
  // Asked of the same calculator invoices use, so the notice about tax matches what invoices will do.
  const taxed = (country: string | null) =>
    taxCalculator.calculate({ customer: { address: { country }, taxExempt: customer.taxExempt, currency: customer.currency }, lines: [{ amount: 10_000, taxBehavior: "exclusive" }], asOf: new Date() })[0]!.length > 0;

  return (
    <div className="space-y-6">
      <PageHeader title="Billing details" description="Who your invoices are made out to, where they are sent, and your tax ID." />
      <Card className="max-w-2xl">
        <CardBody className="py-5">
          <BillingDetailsForm
            action={saveBillingDetailsAction}
            loginEmail={user.email}
            countries={countryOptions((await portalFormatter()).locale)}
            gst={{ au: taxed("AU"), none: taxed(null), other: taxed("US") }}
            initial={{
              name: customer.name ?? "",
              email: customer.email,
              line1: address.line1 ?? "",
              line2: address.line2 ?? "",
              city: address.city ?? "",
              state: address.state ?? "",
              postal_code: address.postal_code ?? "",
              country: (address.country ?? "").toUpperCase(),
              tax_id_type: taxId && isTaxIdType(taxId.type) ? taxId.type : "",
              tax_id: taxId && isTaxIdType(taxId.type) ? formatTaxId(taxId.type, taxId.value) : "",
            }}
          />
        </CardBody>
      </Card>
    </div>
  );
}
