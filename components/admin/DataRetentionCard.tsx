import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { Card, CardBody, CardHeader, DescriptionList } from "@/components/ui";
import type { ActionState } from "@/lib/actions/validated-action";
import type { RetentionCounts, RetentionPlan } from "@/lib/services/privacy/data-retention";
import type { Formatter } from "@/lib/format";

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

export interface DataRetentionSettings {
  financialYears: number;
  auditYears: number;
  eventsYears: number;
  automatic: boolean;
}

/** What would go, in words, per category: the same sentence in the list and the confirmation. */
function countRows(counts: RetentionCounts, plan: RetentionPlan, fmt: Formatter) {
  return [
    { key: "audit", label: `Audit entries recorded before ${fmt.date(plan.auditBefore)}`, value: `${fmt.count(counts.auditEntries)} moved to the archive` },
    { key: "outbox", label: `Dispatched events before ${fmt.date(plan.eventsBefore)}`, value: `${fmt.count(counts.outboxEvents)} deleted` },
    { key: "stripe", label: `Processed Stripe events before ${fmt.date(plan.eventsBefore)}`, value: `${fmt.count(counts.stripeEvents)} deleted` },
    { key: "emails", label: `Stored emails before ${fmt.date(plan.eventsBefore)}`, value: `${fmt.count(counts.emails)} deleted` },
    {
      key: "billto",
      label: "Deleted accounts past their retention date",
      value: `${fmt.count(counts.erasures)} ${counts.erasures === 1 ? "account" : "accounts"}: ${fmt.count(counts.billToBlocks)} invoice bill-to ${counts.billToBlocks === 1 ? "block" : "blocks"} pseudonymized`,
    },
  ];
}

/**
 * Settings › Data retention: how long each kind of record is kept, what the retention run would
 * remove now (the dry run), the daily job's last run, and "Apply now" behind a confirmation that
 * states the counts. Decision 014.
 */
export function DataRetentionCard({
  fmt,
  settings,
  plan,
  lastRun,
  saveAction,
  applyAction,
}: {
  fmt: Formatter;
  settings: DataRetentionSettings;
  plan: RetentionPlan;
  lastRun: { at: Date | null; status: string | null; mode: string | null } | null;
  saveAction: Action;
  applyAction: Action;
}) {
  const rows = countRows(plan.counts, plan, fmt);
  const total = Object.entries(plan.counts).reduce((sum, [k, n]) => (k === "erasures" ? sum : sum + n), 0);
  return (
    <Card id="data-retention" className="scroll-mt-20">
      <CardHeader
        title="Data retention"
        description="When a customer deletes their account, personal data is removed at once; financial records are kept for the period below. Old audit entries, events and emails go after theirs."
      />
      <FieldsForm
        action={saveAction}
        fields={[
          { kind: "number", name: "financialYears", label: "Keep invoices, payments and credit notes for (years)", defaultValue: String(settings.financialYears), hint: "Between 5 and 12 years. After it, a deleted account's invoices keep their amounts but name “Deleted customer”." },
          { kind: "number", name: "auditYears", label: "Keep audit entries for (years)", defaultValue: String(settings.auditYears), hint: "Between 1 and 20. Older entries move to the audit archive." },
          { kind: "number", name: "eventsYears", label: "Keep events and emails for (years)", defaultValue: String(settings.eventsYears), hint: "Between 1 and 20. Dispatched events, processed Stripe events and stored emails." },
          {
            kind: "select",
            name: "automatic",
            label: "Daily retention job",
            defaultValue: settings.automatic ? "on" : "off",
            options: [
              { value: "off", label: "Report only (apply by hand)" },
              { value: "on", label: "Apply every day" },
            ],
          },
        ]}
      />
      <CardBody className="space-y-4 border-t border-slate-100">
        <div>
          <h3 className="text-sm font-semibold text-slate-900">What would go now</h3>
          <p className="mt-1 text-[13px] text-slate-600">A dry run with the settings saved above; nothing has been removed.</p>
        </div>
        <DescriptionList items={rows} />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-[13px] text-slate-600">
            {lastRun
              ? `Daily job last ran ${fmt.dateTime(lastRun.at)} (${lastRun.status ?? "unknown"}${lastRun.mode ? `, ${lastRun.mode === "applied" ? "applied" : "dry run only"}` : ""}).`
              : "The daily job has not run yet."}
          </p>
          <ConfirmAction
            action={applyAction}
            fields={{}}
            triggerLabel="Apply now"
            triggerVariant="danger"
            tone="danger"
            title="Apply data retention now?"
            body={
              <div className="space-y-2">
                <p>{total === 0 ? "Nothing is old enough to go: the run will only record that it ran." : "This cannot be undone. The run will:"}</p>
                {total === 0 ? null : (
                  <ul className="list-disc space-y-1 pl-5">
                    {rows.map((r) => (
                      <li key={r.key}>
                        {r.label}: {r.value}
                      </li>
                    ))}
                  </ul>
                )}
                <p>Invoices, their amounts and payments stay. The run is recorded in the audit log.</p>
              </div>
            }
            confirmLabel="Apply retention"
          />
        </div>
      </CardBody>
    </Card>
  );
}
