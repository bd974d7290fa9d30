import type { Metadata } from "next";
import Link from "next/link";
import { Button, Card, CardBody, CardHeader, Input, PageHeader } from "@/components/ui";
import { reportKinds, type ReportKind } from "@/db/queries/reports";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { parseReportRange } from "@/lib/reports/date-range";
import { REPORT_COLUMNS, REPORT_FILE_NAMES } from "@/lib/services/reports/export-report";

export const metadata: Metadata = { title: "Exports · Tally Admin" };
export const dynamic = "force-dynamic";

const reportLabels: Record<ReportKind, { title: string; rows: string; button: string }> = {
  invoices: { title: "Invoices", rows: "Invoices finalized in the range (drafts are not issued yet).", button: "Download invoices" },
  payments: { title: "Payments", rows: "Payments made in the range, whatever their outcome.", button: "Download payments" },
  mrr_movements: { title: "MRR movements", rows: "One row per customer, currency and day on which its MRR moved.", button: "Download MRR movements" },
};

export default async function ExportsPage({ searchParams }: { searchParams: Promise<{ from?: string; to?: string }> }) {
  const user = await requirePageUser("reports.export");
  const search = await searchParams;
  const range = parseReportRange(search.from, search.to, new Date());
  const defaults = "error" in range ? parseReportRange(null, null, new Date()) : range;
  const from = "error" in defaults ? "" : defaults.from;
  const to = "error" in defaults ? "" : defaults.to;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Exports"
        description={
          <>
            Invoices, payments and MRR movements for a range of days (UTC, both included), as CSV with amounts in major units. Every export is recorded in the audit log with its range and row count.
            {can(user.role, "leakage.read") && (
              <>
                {" "}
                See also{" "}
                <Link href="/admin/leakage" className="font-medium text-brand-700 hover:underline">
                  Revenue leakage
                </Link>
                .
              </>
            )}
          </>
        }
      />
      <form method="get" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-card" aria-label="Export a report">
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:max-w-md">
          <Input label="From" name="from" type="date" required defaultValue={from} />
          <Input label="To" name="to" type="date" required defaultValue={to} />
        </div>
        <div className="flex flex-wrap gap-2">
          {reportKinds.map((kind) => (
            <Button key={kind} type="submit" variant="secondary" formAction={`/admin/exports/${REPORT_FILE_NAMES[kind]}.csv`}>
              {reportLabels[kind].button}
            </Button>
          ))}
        </div>
      </form>
      <div className="grid gap-4 lg:grid-cols-3">
        {reportKinds.map((kind) => (
          <Card key={kind}>
            <CardHeader title={reportLabels[kind].title} description={reportLabels[kind].rows} as="h2" />
            <CardBody>
              <p className="text-[13px] break-words text-slate-600">
                Columns: <span className="font-mono text-xs">{REPORT_COLUMNS[kind].map(([name]) => name).join(", ")}</span>
              </p>
            </CardBody>
          </Card>
        ))}
      </div>
    </div>
  );
}
