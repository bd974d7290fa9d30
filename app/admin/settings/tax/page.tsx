import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { AbnWarningBanner } from "@/components/admin/AbnWarningBanner";
import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { Alert, Badge, Button, Card, CardBody, CardHeader, Input, PageHeader, Select, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { taxSummary } from "@/lib/documents/tax-content";
import { loadAbnWarning } from "@/lib/services/settings/abn-warning";
import { previewTax, sampleCustomers, type TaxPreview } from "@/lib/services/tax/preview-tax";
import { listTaxRates, listTaxRegistrations } from "@/lib/services/tax/tax-settings";
import { jurisdictionName } from "@/lib/tax/engine";
import { localDateString } from "@/lib/time";
import { getSetting } from "@/lib/services/settings/settings";
import { sandboxIsGateway } from "@/lib/payments/mode";
import { addTaxRateAction, addTaxRegistrationAction, removeTaxRateAction, removeTaxRegistrationAction, setTaxProviderAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Tax · Settings · Tally Admin" };
export const dynamic = "force-dynamic";

type Query = { customer?: string; country?: string; region?: string; buyer?: string; vat?: string; currency?: string; amount?: string; behavior?: string };

const kindLabels: Record<string, string> = { gst: "GST / HST", vat: "VAT", sales_tax: "Sales tax" };
const place = (country: string, region: string | null) => `${country}${region ? `-${region}` : ""}`;
const days = (from: string | null, to: string | null) => (from ? (to ? `${from} to ${to}` : `from ${from}`) : to ? `until ${to}` : "always");

export default async function TaxSettingsPage({ searchParams }: { searchParams: Promise<Query> }) {
  await requirePageUser("settings.manage");
  const q = await searchParams;
  const db = await getDb();
  const now = new Date();
  const today = localDateString(now, "UTC");
  const [warning, registrations, rates, customers, provider] = await Promise.all([loadAbnWarning(db, now), listTaxRegistrations(db), listTaxRates(db), sampleCustomers(db), getSetting(db, "tax.provider")]);
  const asked = q.amount !== undefined;
  let preview: TaxPreview | null = null;
  let previewError: string | null = null;
  if (asked) {
    try {
      preview = await previewTax(
        db,
        {
          customerId: q.customer || undefined,
          country: q.country,
          region: q.region,
          buyer: q.buyer === "business" ? "business" : "consumer",
          vatNumber: q.vat,
          currency: q.currency || "aud",
          amount: q.amount ?? "",
          behavior: q.behavior === "inclusive" ? "inclusive" : "exclusive",
        },
        now,
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      previewError = error.userMessage;
    }
  }
  const stored = rates.filter((r) => r.source !== "built_in");
  const shipped = rates.filter((r) => r.source === "built_in");
  const inForce = (r: (typeof rates)[number]) => (r.effectiveFrom === null || r.effectiveFrom <= today) && (r.effectiveTo === null || today <= r.effectiveTo);

  return (
    <div className="space-y-6">
      <PageHeader
        back={{ href: "/admin/settings", label: "Settings" }}
        title="Tax"
        description="Where the business collects tax, at which rates, and what an invoice would charge. Every change is recorded in the audit log; issued invoices keep the tax they were issued with."
      />
      {warning ? <AbnWarningBanner warning={warning} canFix /> : null}

      <Card>
        <CardHeader
          title="Tax calculation"
          description="Who decides the rate for each customer. With Stripe Tax, each customer's place is asked once (again when their address, tax ids or exemption change, and monthly) and kept, so billing never waits on Stripe; until Stripe has answered for a customer, the registrations and rates below apply."
          actions={<Badge tone={provider === "stripe_tax" ? "info" : "neutral"}>{provider === "stripe_tax" ? "Stripe Tax" : "Tally's rate tables"}</Badge>}
        />
        <FieldsForm
          action={setTaxProviderAction}
          submitLabel="Save"
          fields={[
            {
              kind: "select",
              name: "provider",
              label: "Rates decided by",
              defaultValue: provider,
              options: [
                { value: "tally", label: "Tally's rate tables and registrations" },
                { value: "stripe_tax", label: sandboxIsGateway() ? "Stripe Tax (needs STRIPE_SECRET_KEY)" : "Stripe Tax" },
              ],
            },
          ]}
        />
      </Card>

      <Card>
        <CardHeader title="Registrations" description="Tax is charged only where the business is registered, from the day the registration starts. The One-Stop Shop (OSS) taxes consumers in other EU member states at their country's rate." />
        <Table bare caption="Tax registrations">
          <THead>
            <TR>
              <TH>Where</TH>
              <TH>Scheme</TH>
              <TH>Since</TH>
              <TH className="relative text-right">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {registrations.length === 0 ? (
              <TEmpty colSpan={4}>Not registered anywhere: no tax is charged.</TEmpty>
            ) : (
              registrations.map((r) => (
                <TR key={r.id ?? "default"}>
                  <TD>
                    <span className="font-medium text-slate-900">{place(r.country, r.region)}</span>
                    {r.id === null ? <span className="ml-2 text-xs text-slate-600">Business country (default)</span> : null}
                  </TD>
                  <TD>{r.scheme === "oss" ? <Badge tone="info">One-Stop Shop</Badge> : "Standard"}</TD>
                  <TD>{r.activeFrom ?? "Always"}</TD>
                  <TD className="text-right">
                    {r.id ? (
                      <ConfirmAction
                        action={removeTaxRegistrationAction}
                        fields={{ id: r.id }}
                        triggerLabel="Remove"
                        title={`Stop collecting tax in ${place(r.country, r.region)}?`}
                        body="New invoices to customers there will charge no tax from now on. Invoices already issued keep their tax."
                        confirmLabel="Remove registration"
                        tone="danger"
                      />
                    ) : null}
                  </TD>
                </TR>
              ))
            )}
          </TBody>
        </Table>
        <FieldsForm
          action={addTaxRegistrationAction}
          submitLabel="Add registration"
          fields={[
            { kind: "text", name: "country", label: "Country", defaultValue: "", placeholder: "IE", hint: "Two letters, e.g. NZ, GB, IE, CA, US.", required: true },
            { kind: "text", name: "region", label: "State or province", defaultValue: "", placeholder: "TX", hint: "US states register one by one; empty for the whole country." },
            {
              kind: "select",
              name: "scheme",
              label: "Scheme",
              defaultValue: "standard",
              options: [
                { value: "standard", label: "Standard" },
                { value: "oss", label: "EU One-Stop Shop (OSS)" },
              ],
            },
            { kind: "text", name: "activeFrom", label: "Registered from", defaultValue: "", placeholder: "YYYY-MM-DD", hint: "Empty: invoices from now on." },
          ]}
        />
      </Card>

      <Card>
        <CardHeader title="Rates set by staff" description="A rate applies to invoices dated on or after its first day and wins over the rate Tally ships for the same place. US sales tax is never shipped: add each state's rate and whether it taxes software as a service." />
        <RateTable
          caption="Rates set by staff"
          rates={stored}
          empty="No rates set: the shipped rates below apply."
          inForce={inForce}
          remove={(r) => (
            <ConfirmAction
              action={removeTaxRateAction}
              fields={{ id: r.source }}
              triggerLabel="Remove"
              title={`Remove the ${r.percentage}% rate for ${place(r.country, r.region)}?`}
              body="New invoices fall back to the shipped rate for that place, or charge no tax where there is none. Invoices already issued keep their tax."
              confirmLabel="Remove rate"
              tone="danger"
            />
          )}
        />
        <FieldsForm
          action={addTaxRateAction}
          submitLabel="Add rate"
          fields={[
            { kind: "text", name: "country", label: "Country", defaultValue: "", placeholder: "US", required: true },
            { kind: "text", name: "region", label: "State or province", defaultValue: "", placeholder: "TX", hint: "Empty for the whole country." },
            {
              kind: "select",
              name: "kind",
              label: "Tax",
              defaultValue: "gst",
              options: [
                { value: "gst", label: "GST / HST" },
                { value: "vat", label: "VAT" },
                { value: "sales_tax", label: "Sales tax" },
              ],
            },
            { kind: "text", name: "percentage", label: "Rate (%)", defaultValue: "", placeholder: "6.25", required: true },
            { kind: "text", name: "effectiveFrom", label: "In force from", defaultValue: "", placeholder: "YYYY-MM-DD", hint: "Empty: always." },
            { kind: "text", name: "effectiveTo", label: "Last day in force", defaultValue: "", placeholder: "YYYY-MM-DD", hint: "Empty: until superseded." },
            {
              kind: "select",
              name: "saasTaxable",
              label: "Software as a service",
              defaultValue: "yes",
              options: [
                { value: "yes", label: "Taxed at this rate" },
                { value: "no", label: "Not taxed here" },
              ],
            },
          ]}
        />
      </Card>

      <Card id="preview" className="scroll-mt-20">
        <CardHeader title="Preview an invoice" description="What an invoice of one line would charge, with the registrations and rates above, dated today." />
        <form method="get" action="/admin/settings/tax#preview">
          <CardBody className="grid gap-4 sm:grid-cols-2 [&>*]:min-w-0">
            <Select label="Sample customer" name="customer" defaultValue={q.customer ?? ""} placeholder="— or describe one below —" options={customers.map((c) => ({ value: c.id, label: c.label }))} wrapperClassName="sm:col-span-2" />
            <Input label="Country" name="country" defaultValue={q.country ?? ""} placeholder="DE" />
            <Input label="State or province" name="region" defaultValue={q.region ?? ""} placeholder="ON" />
            <Select
              label="Buyer"
              name="buyer"
              defaultValue={q.buyer ?? "consumer"}
              options={[
                { value: "consumer", label: "Consumer (B2C)" },
                { value: "business", label: "Business (B2B)" },
              ]}
            />
            <Input label="Buyer's VAT number" name="vat" defaultValue={q.vat ?? ""} placeholder="DE136695976" hint="For an EU business." />
            <Input label="Currency" name="currency" defaultValue={q.currency ?? "eur"} hint="A sample customer's own currency wins." />
            <Input label="Amount" name="amount" defaultValue={q.amount ?? "100.00"} inputMode="decimal" />
            <Select
              label="Prices"
              name="behavior"
              defaultValue={q.behavior ?? "exclusive"}
              options={[
                { value: "exclusive", label: "Exclusive of tax" },
                { value: "inclusive", label: "Inclusive of tax" },
              ]}
            />
            <div className="flex items-end">
              <Button type="submit">Preview</Button>
            </div>
          </CardBody>
        </form>
        {previewError ? (
          <div className="px-5 pb-5">
            <Alert tone="danger">{previewError}</Alert>
          </div>
        ) : null}
        {preview ? <PreviewResult preview={preview} /> : null}
      </Card>

      <Card>
        <CardHeader title="Rates Tally ships" description="Standard rates with their recent changes: AU and NZ GST, UK VAT, the 27 EU member states' VAT, Canadian GST and HST." />
        <RateTable caption="Shipped rates" rates={shipped} empty="None." inForce={inForce} />
      </Card>
    </div>
  );
}

function RateTable({ caption, rates, empty, inForce, remove }: { caption: string; rates: Awaited<ReturnType<typeof listTaxRates>>; empty: string; inForce: (r: Awaited<ReturnType<typeof listTaxRates>>[number]) => boolean; remove?: (r: Awaited<ReturnType<typeof listTaxRates>>[number]) => React.ReactNode }) {
  return (
    <Table bare caption={caption}>
      <THead>
        <TR>
          <TH>Where</TH>
          <TH>Tax</TH>
          <TH numeric>Rate</TH>
          <TH>In force</TH>
          {remove ? (
            <TH className="relative text-right">
              <span className="sr-only">Actions</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      <TBody>
        {rates.length === 0 ? (
          <TEmpty colSpan={remove ? 5 : 4}>{empty}</TEmpty>
        ) : (
          rates.map((r) => (
            <TR key={`${r.source}:${r.country}:${r.region ?? ""}:${r.effectiveFrom ?? ""}`}>
              <TD className="font-medium text-slate-900">{place(r.country, r.region)}</TD>
              <TD>
                {kindLabels[r.kind] ?? r.kind}
                {r.saasTaxable ? null : <span className="ml-2 text-xs text-slate-600">SaaS not taxed</span>}
              </TD>
              <TD numeric>{r.percentage}%</TD>
              <TD>
                {days(r.effectiveFrom, r.effectiveTo)}
                {inForce(r) ? (
                  <Badge tone="success" className="ml-2">
                    Today
                  </Badge>
                ) : null}
              </TD>
              {remove ? <TD className="text-right">{remove(r)}</TD> : null}
            </TR>
          ))
        )}
      </TBody>
    </Table>
  );
}

async function PreviewResult({ preview }: { preview: TaxPreview }) {
  const fmt = await consoleFormatter();
  const { invoice, decision } = preview;
  const money = (n: number) => fmt.money(n, invoice.currency);
  const line = invoice.lines[0];
  const jurisdiction = decision.kind === "charge" ? jurisdictionName(decision.rate) : decision.kind === "reverse_charge" ? `${decision.country} VAT (reverse charge)` : "No tax";
  return (
    <div className="space-y-3 border-t border-slate-200 px-5 py-4" data-testid="tax-preview">
      <p className="text-sm text-slate-700">
        For <span className="font-medium text-slate-900">{preview.customerLabel}</span>: <span className="font-medium text-slate-900">{jurisdiction}</span>
        {decision.kind === "none" ? <span className="text-slate-600"> — {decision.reason}</span> : null}
      </p>
      <Table caption="Preview invoice">
        <THead>
          <TR>
            <TH>Line</TH>
            <TH numeric>Amount</TH>
          </TR>
        </THead>
        <TBody>
          <TR>
            <TD>{line?.description}</TD>
            <TD numeric>{money(line?.amount ?? 0)}</TD>
          </TR>
          {taxSummary(invoice.lines).map((row) => (
            <TR key={row.label}>
              <TD>{row.label}</TD>
              <TD numeric>{money(row.amount)}</TD>
            </TR>
          ))}
          <TR>
            <TD className="font-semibold text-slate-900">Total</TD>
            <TD numeric className="font-semibold text-slate-900">
              {money(invoice.total)}
            </TD>
          </TR>
        </TBody>
      </Table>
      {preview.wording ? (
        <Alert tone="info" title="The invoice will say">
          {preview.wording}
        </Alert>
      ) : null}
    </div>
  );
}
