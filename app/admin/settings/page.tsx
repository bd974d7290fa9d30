import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { ButtonLink, Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { listNumberSeries, numberSeriesLabels } from "@/lib/services/settings/number-series";
import { getSetting } from "@/lib/services/settings/settings";
import { loadAbnWarning } from "@/lib/services/settings/abn-warning";
import { AbnWarningBanner, BUSINESS_PROFILE_ANCHOR } from "@/components/admin/AbnWarningBanner";
import { DataRetentionCard } from "@/components/admin/DataRetentionCard";
import { listJobRuns } from "@/db/queries/admin";
import { planRetention, type RetentionJobResult } from "@/lib/services/privacy/data-retention";
import { localeLabel, SUPPORTED_LOCALES } from "@/lib/format";
import { applyRetentionAction, saveBusinessProfileAction, saveCollectionAction, saveLocaleAction, saveNumberingAction, saveRetentionAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Settings · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  await requirePageUser("settings.manage");
  const fmt = await consoleFormatter();
  const db = await getDb();
  const now = new Date();
  const [abn, profile, branding, missingTaxNumber, retry, dunning, finalAction, finalInvoiceState, financialYears, auditYears, eventsYears, automatic, series, plan, jobRuns] = await Promise.all([
    loadAbnWarning(db, now),
    getSetting(db, "business.profile"),
    getSetting(db, "business.branding"),
    getSetting(db, "documents.missing_tax_number"),
    getSetting(db, "payments.retry_schedule_days"),
    getSetting(db, "dunning.schedule_days"),
    getSetting(db, "dunning.final_action"),
    getSetting(db, "dunning.final_invoice_state"),
    getSetting(db, "retention.financial_records_years"),
    getSetting(db, "retention.audit_years"),
    getSetting(db, "retention.events_years"),
    getSetting(db, "retention.automatic"),
    listNumberSeries(db),
    planRetention({ db, now }),
    listJobRuns(db),
  ]);
  const locale = await getSetting(db, "business.locale");
  const retentionRun = jobRuns.find((r) => r.name === "retention.run");
  const prefixOf = (s: string) => series.find((x) => x.series === s);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Settings"
        description="How Tally bills on your behalf. Every change is recorded in the audit log."
        actions={
          <ButtonLink href="/admin/settings/tax" variant="secondary">
            Tax registrations and rates
          </ButtonLink>
        }
      />

      <Card id={BUSINESS_PROFILE_ANCHOR} className="scroll-mt-20">
        <CardHeader title="Business profile and branding" description="Shown in the customer portal, on invoices and in billing emails." />
        {abn ? (
          <div className="px-5 pt-4">
            <AbnWarningBanner warning={abn} canFix onSettingsPage />
          </div>
        ) : null}
        <FieldsForm
          action={saveBusinessProfileAction}
          fields={[
            { kind: "text", name: "name", label: "Business name", defaultValue: profile.name, required: true },
            { kind: "text", name: "taxNumber", label: "ABN / VAT number", defaultValue: profile.taxNumber, hint: "Printed on invoices; an 11-digit number as “ABN …”." },
            { kind: "email", name: "supportEmail", label: "Billing support email", defaultValue: profile.supportEmail, hint: "Where customers reply to billing emails." },
            { kind: "url", name: "logoUrl", label: "Logo URL", defaultValue: branding.logoUrl, placeholder: "https://…/logo.png", hint: "PDFs show it when it is a PNG or JPEG served by Tally itself (public/)." },
            { kind: "textarea", name: "address", label: "Business address", defaultValue: profile.address, wide: true },
            { kind: "textarea", name: "invoiceFooter", label: "Invoice footer", defaultValue: profile.invoiceFooter, hint: "E.g. payment terms or a thank-you note.", wide: true },
            { kind: "color", name: "brandColor", label: "Accent colour", defaultValue: branding.brandColor, hint: "Hex, e.g. #4F46E5." },
            {
              kind: "select",
              name: "missingTaxNumber",
              label: "Tax invoice without a required tax number",
              defaultValue: missingTaxNumber,
              hint: "E.g. no ABN on an Australian tax invoice. Flag: its PDF says what is missing. Refuse: no PDF until it is added.",
              options: [
                { value: "flag", label: "Flag it on the PDF" },
                { value: "refuse", label: "Refuse the PDF" },
              ],
            },
          ]}
        />
      </Card>

      <Card>
        <CardHeader title="Invoice numbering" description="Numbers run without gaps. A new prefix applies to documents issued from now on; issued ones keep their numbers." />
        <FieldsForm
          action={saveNumberingAction}
          fields={["default", "credit_note"].map((s) => ({
            kind: "text" as const,
            name: `prefix_${s}`,
            label: `${numberSeriesLabels[s]} prefix`,
            defaultValue: prefixOf(s)?.prefix ?? "",
            hint: `Next: ${prefixOf(s)?.prefix ?? ""}${String(prefixOf(s)?.nextNumber ?? 1).padStart(6, "0")}`,
          }))}
        />
      </Card>

      <Card>
        <CardHeader title="Failed payments" description="When Tally retries soft declines, and how dunning escalates for an unpaid invoice (days after the first failed charge)." />
        <FieldsForm
          action={saveCollectionAction}
          fields={[
            { kind: "text", name: "retryDays", label: "Retry on days", defaultValue: retry.join(", "), hint: "Soft declines only; e.g. 1, 3, 7, 14. Empty: no automatic retries.", wide: true },
            { kind: "number", name: "reminder", label: "Reminder email on day", defaultValue: String(dunning.reminder) },
            { kind: "number", name: "warning", label: "Warning on day", defaultValue: String(dunning.warning), hint: "The customer's status becomes warning." },
            { kind: "number", name: "blocked", label: "Block on day", defaultValue: String(dunning.blocked), hint: "Entitlements say blocked; the final action runs." },
            {
              kind: "select",
              name: "finalAction",
              label: "Then the subscription",
              defaultValue: finalAction,
              options: [
                { value: "unpaid", label: "Becomes unpaid (recovers when paid)" },
                { value: "cancel", label: "Is canceled" },
                { value: "past_due", label: "Stays past due" },
              ],
            },
            {
              kind: "select",
              name: "finalInvoiceState",
              label: "And the invoice",
              defaultValue: finalInvoiceState,
              options: [
                { value: "open", label: "Stays open" },
                { value: "uncollectible", label: "Is marked uncollectible" },
              ],
            },
          ]}
        />
      </Card>

      <Card>
        <CardHeader title="Locale" description="How amounts, dates and counts are written for customers and staff who have not chosen a locale of their own. A customer's preferred locales (API) and a staff member's own choice come first." />
        <FieldsForm
          action={saveLocaleAction}
          fields={[{ kind: "select", name: "locale", label: "Business locale", defaultValue: locale, options: SUPPORTED_LOCALES.map((l) => ({ value: l, label: localeLabel(l) })) }]}
        />
      </Card>

      <Card>
        <CardHeader title="Tax" />
        <CardBody className="space-y-2 text-sm text-slate-700">
          <p>Australian GST at 10% applies to customers with an Australian billing address. Prices marked inclusive contain GST; exclusive prices have it added.</p>
          <p>Customers elsewhere are billed without tax. Each invoice keeps the tax it was issued with.</p>
        </CardBody>
      </Card>

      <DataRetentionCard fmt={fmt}
        settings={{ financialYears, auditYears, eventsYears, automatic }}
        plan={plan}
        lastRun={retentionRun ? { at: retentionRun.lastFinishedAt ?? retentionRun.lastStartedAt, status: retentionRun.lastStatus, mode: (retentionRun.lastResult as RetentionJobResult | null)?.mode ?? null } : null}
        saveAction={saveRetentionAction}
        applyAction={applyRetentionAction}
      />
    </div>
  );
}
