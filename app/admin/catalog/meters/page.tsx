import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listMeterCodes } from "@/db/queries/usage-admin";
import { ConfirmedForm } from "@/components/admin/catalog/ConfirmedForm";
import { meterFormFields } from "@/components/admin/catalog/meterFields";
import { MeterStatus } from "@/components/admin/catalog/MeterStatus";
import { aggregationLabels, meterFiltersLabel } from "@/components/admin/catalog/terms";
import { Card, CardBody, CardHeader, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { createMeterAction } from "./actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Meters · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function MetersPage() {
  const user = await requirePageUser("catalog.read");
  const fmt = await consoleFormatter();
  const canWrite = can(user.role, "catalog.write");
  const codes = await listMeterCodes(await getDb());
  const testVersions = Object.fromEntries(codes.filter((c) => !c.current.livemode).map((c) => [c.current.code, c.current.version]));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Meters"
        description="A meter turns a customer's usage events into one number per period: a sum, a count, a maximum, a unique count or the last value. Meters are versioned: a new version applies to new periods, and open periods keep the version they started under."
      />
      <Card>
        <CardHeader title="All meters" description={`${codes.length} meter${codes.length === 1 ? "" : "s"}, each shown at its current version`} />
        {codes.length === 0 ? (
          <CardBody>
            <EmptyState
              title="No meters yet"
              description={canWrite ? "Create one below, or with POST /meters. Usage events name a meter by its code." : "A billing admin creates meters, here or through the API."}
            />
          </CardBody>
        ) : (
          <>
            {/* Phones get a list: seven columns would show only the codes. */}
            <ul className="divide-y divide-slate-100 sm:hidden">
              {codes.map(({ current: m, versions }) => (
                <li key={m.id} className="px-5 py-3">
                  <div className="flex items-start justify-between gap-3">
                    <Link href={`/admin/catalog/meters/${m.id}`} className="min-w-0 rounded-sm text-sm font-medium break-words text-brand-700 hover:underline">
                      {m.name}
                    </Link>
                    <MeterStatus active={m.active} livemode={m.livemode} />
                  </div>
                  <p className="mt-0.5 font-mono text-xs break-all text-slate-500">{m.code}</p>
                  <p className="mt-1 text-[13px] text-slate-700">
                    {aggregationLabels[m.aggregation]}
                    {m.valueProperty ?? m.uniqueProperty ? ` of ${m.valueProperty ?? m.uniqueProperty}` : ""} · v{m.version}
                    {versions > 1 ? ` of ${versions}` : ""}
                  </p>
                  {Object.keys(m.filters).length > 0 ? <p className="mt-0.5 text-[13px] break-words text-slate-600">Filters: {meterFiltersLabel(m.filters)}</p> : null}
                </li>
              ))}
            </ul>
            <Table bare wrapperClassName="hidden sm:block" caption="Meters at their current version">
              <THead>
                <TR>
                  <TH>Meter</TH>
                  <TH>Aggregation</TH>
                  <TH>Property</TH>
                  <TH>Filters</TH>
                  <TH numeric>Version</TH>
                  <TH>Status</TH>
                </TR>
              </THead>
              <TBody>
                {codes.map(({ current: m, versions }) => (
                  <TR key={m.id} interactive>
                    <TD wrap className="min-w-40">
                      <Link href={`/admin/catalog/meters/${m.id}`} className="rounded-sm font-medium text-brand-700 hover:underline">
                        {m.name}
                      </Link>
                      <p className="font-mono text-xs break-all text-slate-500">{m.code}</p>
                    </TD>
                    <TD>{aggregationLabels[m.aggregation]}</TD>
                    <TD>{m.valueProperty ?? m.uniqueProperty ? <span className="font-mono text-[13px]">{m.valueProperty ?? m.uniqueProperty}</span> : <span className="text-slate-500">—</span>}</TD>
                    <TD wrap muted className="max-w-64">
                      {meterFiltersLabel(m.filters)}
                    </TD>
                    <TD numeric>
                      v{m.version}
                      {versions > 1 ? <span className="block text-xs text-slate-500">{versions} versions</span> : null}
                    </TD>
                    <TD>
                      <MeterStatus active={m.active} livemode={m.livemode} />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </>
        )}
      </Card>

      {canWrite ? (
        <Card>
          <CardHeader title="New meter" description="Created in test mode. Live meters are created with a live API key." />
          <ConfirmedForm reader={fmt.reader}
            action={createMeterAction}
            submitLabel="Create meter…"
            confirmTitle="Create this meter?"
            confirmLabel="Create meter"
            summary="meter"
            context={{ meterVersions: testVersions }}
            fields={meterFormFields()}
          />
        </Card>
      ) : null}
    </div>
  );
}
