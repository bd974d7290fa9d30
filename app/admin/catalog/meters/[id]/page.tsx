import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { meterVersions } from "@/db/queries/usage-admin";
import { ConfirmedForm } from "@/components/admin/catalog/ConfirmedForm";
import { meterFormFields } from "@/components/admin/catalog/meterFields";
import { MeterStatus } from "@/components/admin/catalog/MeterStatus";
import { aggregationLabels, meterFiltersLabel, meterMeasures } from "@/components/admin/catalog/terms";
import { Card, CardBody, CardHeader, DescriptionList, FlashToast, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { createMeterAction } from "../actions";
import { consoleFormatter } from "@/lib/auth/console-formatter";

export const metadata: Metadata = { title: "Meter · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function MeterPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ notice?: string }> }) {
  const user = await requirePageUser("catalog.read");
  const fmt = await consoleFormatter();
  const [{ id }, { notice }] = await Promise.all([params, searchParams]);
  const versions = await meterVersions(await getDb(), id);
  const newest = versions[0];
  if (!newest) notFound();
  // Versions are made in test mode from the console; a live code gets its versions from a live API key.
  const canWrite = can(user.role, "catalog.write") && !newest.livemode;
  const property = newest.valueProperty ?? newest.uniqueProperty;

  return (
    <div className="space-y-6">
      {notice ? <FlashToast message={notice} tone="success" /> : null}
      <PageHeader
        title={newest.name}
        back={{ href: "/admin/catalog/meters", label: "Meters" }}
        meta={<MeterStatus active={newest.active} livemode={newest.livemode} />}
        description={`${newest.code} · measures ${meterMeasures(newest)} per customer and period`}
      />

      <Card>
        <CardHeader
          title="Versions"
          description="Events name the code; each version measures them by its own definition. The current version checks new events and measures new periods; an open period keeps the version it started under."
        />
        <Table bare caption={`Versions of ${newest.code}`}>
          <THead>
            <TR>
              <TH>Version</TH>
              <TH>Measures</TH>
              <TH className="hidden md:table-cell">Filters</TH>
              <TH className="hidden sm:table-cell">Created</TH>
            </TR>
          </THead>
          <TBody>
            {versions.map((v) => (
              <TR key={v.id}>
                <TD>
                  <span className="font-medium">v{v.version}</span> <MeterStatus active={v.active} livemode={false} />
                  <p className="hidden font-mono text-xs text-slate-500 sm:block">{v.id}</p>
                </TD>
                <TD wrap className="sm:min-w-36">
                  {aggregationLabels[v.aggregation]}
                  {v.valueProperty ?? v.uniqueProperty ? <span className="font-mono text-[13px]"> {v.valueProperty ?? v.uniqueProperty}</span> : null}
                  {v.name !== newest.name ? <span className="block text-xs text-slate-500">named {v.name}</span> : null}
                  <span className="block text-xs text-slate-500 md:hidden">Filters: {meterFiltersLabel(v.filters)}</span>
                </TD>
                <TD wrap muted className="hidden max-w-72 md:table-cell">
                  {meterFiltersLabel(v.filters)}
                </TD>
                <TD muted className="hidden sm:table-cell">
                  {fmt.dateTime(v.createdAt)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="min-w-0">
          <CardHeader title="Current definition" />
          <CardBody className="py-1">
            <DescriptionList
              items={[
                { label: "Code", value: <span className="font-mono text-[13px] break-all">{newest.code}</span> },
                { label: "Aggregation", value: aggregationLabels[newest.aggregation] ?? newest.aggregation },
                { label: "Property", value: property ? <span className="font-mono text-[13px]">{property}</span> : "None (counts events)" },
                { label: "Filters", value: meterFiltersLabel(newest.filters) },
                { label: "Version", value: `v${newest.version} of ${versions.length}` },
                { label: "Mode", value: newest.livemode ? "Live" : "Test" },
              ]}
            />
          </CardBody>
        </Card>
        {canWrite ? (
          <Card className="min-w-0">
            <CardHeader title="New version" description="Meters are never edited: a change is a new version. It applies to new periods; open periods finish on the version they started under." />
            <ConfirmedForm reader={fmt.reader}
              action={createMeterAction}
              hidden={{ code: newest.code, version_of: newest.id }}
              submitLabel="Create version…"
              confirmTitle={`Create version ${newest.version + 1} of ${newest.code}?`}
              confirmLabel="Create version"
              summary="meter"
              context={{ meterVersions: { [newest.code]: newest.version } }}
              fields={meterFormFields(newest)}
            />
          </Card>
        ) : null}
      </div>
    </div>
  );
}
