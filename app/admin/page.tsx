import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { consoleCounts, listJobRuns, recentInvoices } from "@/db/queries/admin";
import { Alert, Card, CardBody, CardHeader, PageHeader, Stat, StatGrid, StatusBadge, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { loadAbnWarning } from "@/lib/services/settings/abn-warning";
import { AbnWarningBanner } from "@/components/admin/AbnWarningBanner";
import { describeJobResult } from "@/lib/jobs/describe-result";
import { ingestHealth } from "@/lib/services/usage/ingest-health";
import { IngestHealthCard } from "@/components/admin/IngestHealthCard";
import { budgetsReachedThisMonth } from "@/lib/services/api-costs/budgets";
import { BudgetBanner } from "./api-costs/BudgetBanner";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Overview · Tally Admin" };

export default async function AdminOverviewPage({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageUser("console.access");
  const fmt = await consoleFormatter();
  const { denied } = await searchParams;
  const db = await getDb();
  const now = new Date();
  const seesApiCosts = can(user.role, "api_costs.read");
  const [counts, invoices, runs, abn, ingest, budgetsReached] = await Promise.all([
    consoleCounts(db),
    recentInvoices(db),
    listJobRuns(db),
    loadAbnWarning(db, now),
    ingestHealth({ db }, { now }),
    seesApiCosts ? budgetsReachedThisMonth(db, false, now) : Promise.resolve([]),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description="The state of billing right now." />
      {denied ? <Alert tone="warning">Your role does not have access to that page.</Alert> : null}
      <AbnWarningBanner warning={abn} canFix={can(user.role, "settings.manage")} />
      <BudgetBanner reached={budgetsReached} />
      <StatGrid columns={4}>
        <Stat label="Customers" value={fmt.count(counts.customers)} />
        <Stat label="Live subscriptions" value={fmt.count(counts.activeSubscriptions)} hint="active, trialing or past due" />
        <Stat label="Open invoices" value={fmt.count(counts.openInvoices)} />
        <Stat label="Paid invoices" value={fmt.count(counts.paidInvoices)} />
      </StatGrid>
      <Card>
        <CardHeader title="Recent invoices" />
        <CardBody className="p-0">
          <Table bare>
            <THead>
              <TR>
                <TH>Invoice</TH>
                <TH>Customer</TH>
                <TH>Status</TH>
                <TH>Date</TH>
                <TH numeric>Total</TH>
              </TR>
            </THead>
            <TBody>
              {invoices.length === 0 ? (
                <TEmpty colSpan={5}>No invoices yet.</TEmpty>
              ) : (
                invoices.map(({ invoice, customer }) => (
                  <TR key={invoice.id}>
                    <TD className="font-medium text-slate-900">{invoice.number}</TD>
                    <TD>
                      <Link href={`/admin/customers/${customer.id}`} className="text-brand-700 hover:underline">
                        {customer.name ?? customer.email}
                      </Link>
                    </TD>
                    <TD>
                      <StatusBadge status={invoice.status} />
                    </TD>
                    <TD muted>{fmt.dateTime(invoice.createdAt)}</TD>
                    <TD numeric>{fmt.money(invoice.total, invoice.currency)}</TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
        </CardBody>
      </Card>
      <IngestHealthCard fmt={fmt} health={ingest} />
      <Card>
        <CardHeader title="Background jobs" description="The local job runner in this server process." />
        <CardBody className="p-0">
          <Table bare>
            <THead>
              <TR>
                <TH>Job</TH>
                <TH>Last run</TH>
                <TH>Status</TH>
                <TH>Outcome</TH>
              </TR>
            </THead>
            <TBody>
              {runs.length === 0 ? (
                <TEmpty colSpan={4}>No job has run yet.</TEmpty>
              ) : (
                runs.map((run) => (
                  <TR key={run.name}>
                    <TD className="font-mono text-xs">{run.name}</TD>
                    <TD muted>{fmt.dateTime(run.lastFinishedAt ?? run.lastStartedAt)}</TD>
                    <TD>{run.lastStatus ? <StatusBadge status={run.lastStatus === "ok" ? "succeeded" : run.lastStatus === "error" ? "failed" : "open"}>{run.lastStatus}</StatusBadge> : null}</TD>
                    <TD muted wrap>{run.lastError ?? describeJobResult(run.name, run.lastResult) ?? "—"}</TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
        </CardBody>
      </Card>
    </div>
  );
}
