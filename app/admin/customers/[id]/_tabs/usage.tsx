import Link from "next/link";
import { getDb } from "@/db/client";
import { listLiveSubscriptions } from "@/db/queries/subscriptions";
import { customerNow as clockNow } from "@/db/queries/customers";
import { customerMeters, lastUsageRebuild, searchUsageEvents } from "@/db/queries/usage-admin";
import { aggregationLabels } from "@/components/admin/catalog/terms";
import { isoDay } from "@/components/admin/customer/format";
import { ReaggregateDialog } from "@/components/admin/customer/ReaggregateDialog";
import { UsageChart } from "@/components/admin/customer/UsageChart";
import { Alert, Badge, Button, ButtonLink, Card, CardBody, CardHeader, EmptyState, Input, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { can } from "@/lib/auth/permissions";
import { viewerZone } from "@/lib/auth/viewer-zone";
import { usageFor, usageSeries } from "@/lib/services/usage/usage-for";
import { customerHref, type TabProps } from "./context";
import { consoleFormatter } from "@/lib/auth/console-formatter";

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;

const utcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
const parseDay = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null);

/** The range the person chose (whole UTC days, both ends included), or the last 30 days to today. */
function chosenRange(params: Record<string, string | undefined>, today: Date): { from: Date; to: Date; problem: string | null } {
  const fallback = { from: new Date(today.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS), to: new Date(today.getTime() + DAY_MS) };
  if (!params.from && !params.to) return { ...fallback, problem: null };
  const from = parseDay(params.from);
  const last = parseDay(params.to);
  if (!from || !last || Number.isNaN(from.getTime()) || Number.isNaN(last.getTime())) return { ...fallback, problem: "Enter both dates as dates, e.g. 2027-03-01. Showing the last 30 days." };
  if (last < from) return { ...fallback, problem: "The range ends before it starts. Showing the last 30 days." };
  if ((last.getTime() - from.getTime()) / DAY_MS + 1 > MAX_RANGE_DAYS) return { ...fallback, problem: `Choose at most ${MAX_RANGE_DAYS} days. Showing the last 30 days.` };
  return { from, to: new Date(last.getTime() + DAY_MS), problem: null };
}

export async function UsageTab({ customer, role, params, now }: TabProps) {
  const fmt = await consoleFormatter();
  const db = await getDb();
  const [customerNow, meters, live, rebuild, { timeZone }] = await Promise.all([
    clockNow(db, customer, now),
    customerMeters(db, customer.id, customer.livemode),
    listLiveSubscriptions(db, customer.id),
    lastUsageRebuild(db, customer.id),
    viewerZone(),
  ]);
  const canRebuild = can(role, "usage.reaggregate");
  const today = utcDay(customerNow);
  const used = meters.filter((m) => m.hasEvents);

  if (meters.length === 0) {
    return (
      <EmptyState
        title="No meters yet"
        description="Usage is reported against meters. Once a meter exists and this customer's usage events arrive, their totals, a daily chart and the events show here."
        action={
          <Link href="/admin/catalog/meters" className="text-sm font-medium text-brand-700 hover:underline">
            Go to meters
          </Link>
        }
      />
    );
  }
  if (used.length === 0) {
    return (
      <div className="space-y-4">
        <EmptyState
          title="No usage reported yet"
          description={`No usage events for this customer on any of the ${meters.length} meter${meters.length === 1 ? "" : "s"}. Events sent with POST /usage_events (customer ${customer.id}) show here as they arrive.`}
        />
        {rebuild ? <RebuildNote rebuild={rebuild} timeZone={timeZone} /> : null}
      </div>
    );
  }

  // The current period: the earliest open period among live subscriptions, or this calendar month without one.
  const open = live.filter((s) => s.currentPeriodStart && s.currentPeriodEnd).sort((a, b) => a.currentPeriodStart!.getTime() - b.currentPeriodStart!.getTime())[0];
  const period = open
    ? { from: open.currentPeriodStart!, to: open.currentPeriodEnd!, label: `Current period, ${fmt.period(open.currentPeriodStart, open.currentPeriodEnd, customer.timezone)}` }
    : {
        from: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)),
        to: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1)),
        label: "This month (UTC); no subscription",
      };
  const range = chosenRange(params, today);
  const rangeLabel = fmt.period(range.from, new Date(range.to.getTime() - DAY_MS));
  const chartMeter = used.find((m) => m.meter.code === params.meter) ?? used[0]!;

  const ctx = { db };
  const [totals, series, page] = await Promise.all([
    Promise.all(
      used.map(async ({ meter }) => ({
        meter,
        period: await usageFor(ctx, { customer: customer.id, meter: meter.id, from: period.from, to: period.to }),
        range: await usageFor(ctx, { customer: customer.id, meter: meter.id, from: range.from, to: range.to }),
      })),
    ),
    usageSeries(ctx, { customer: customer.id, meter: chartMeter.meter.id, from: range.from, to: range.to, interval: "day" }),
    searchUsageEvents(db, { customerId: customer.id, q: params.q, meterCode: params.emeter || null, lateOnly: params.late === "1", after: params.after, limit: 25 }),
  ]);
  const points = series.map((b) => ({ day: b.start.toISOString().slice(0, 10), label: fmt.dayMonth(b.start), value: Number(b.value), text: fmt.usage(b.value) }));
  const busiest = series.reduce<{ start: Date; value: string } | null>((best, b) => (best === null || Number(b.value) > Number(best.value) ? b : best), null);

  // Every link and form keeps the rest of the tab's state.
  const state = { tab: "usage", from: params.from, to: params.to, meter: params.meter, q: params.q, emeter: params.emeter, late: params.late };
  const href = (changes: Record<string, string | undefined>) => customerHref(customer.id, { ...state, ...changes });
  const hidden = (names: (keyof typeof state)[]) => names.map((n) => (state[n] ? <input key={n} type="hidden" name={n} value={state[n]} /> : null));
  const searching = Boolean(params.q || params.emeter || params.late);

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title="Usage by meter"
          description={`Measured by each meter's current version. ${period.label}; range ${rangeLabel} (UTC days).`}
          actions={canRebuild ? <ReaggregateDialog customerId={customer.id} meters={meters.length} /> : undefined}
        />
        <form method="get" action={`/admin/customers/${customer.id}`} className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-5 pt-4 pb-4" aria-label="Usage range">
          <input type="hidden" name="tab" value="usage" />
          {hidden(["meter", "q", "emeter", "late"])}
          <Input label="From" name="from" type="date" defaultValue={isoDay(range.from, "UTC")} wrapperClassName="w-40" />
          <Input label="To" name="to" type="date" defaultValue={isoDay(new Date(range.to.getTime() - DAY_MS), "UTC")} wrapperClassName="w-40" />
          <Button type="submit" variant="secondary">
            Show range
          </Button>
        </form>
        {range.problem ? (
          <CardBody className="pb-0">
            <Alert tone="warning">{range.problem}</Alert>
          </CardBody>
        ) : null}
        <Table bare caption="Usage per meter in the current period and the chosen range">
          <THead>
            <TR>
              <TH>Meter</TH>
              <TH numeric>{open ? "Current period" : "This month"}</TH>
              <TH numeric>Range</TH>
            </TR>
          </THead>
          <TBody>
            {totals.map((t) => (
              <TR key={t.meter.id}>
                <TD wrap className="min-w-32">
                  <Link href={`/admin/catalog/meters/${t.meter.id}`} className="rounded-sm font-medium text-brand-700 hover:underline">
                    {t.meter.name}
                  </Link>
                  <p className="text-xs break-words text-slate-500">
                    <span className="font-mono break-all">{t.meter.code}</span> · {aggregationLabels[t.meter.aggregation]}
                    {t.meter.valueProperty ?? t.meter.uniqueProperty ? ` of ${t.meter.valueProperty ?? t.meter.uniqueProperty}` : ""} · v{t.meter.version}
                  </p>
                </TD>
                <TD numeric className="font-medium">
                  {fmt.usage(t.period)}
                </TD>
                <TD numeric>{fmt.usage(t.range)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
        {rebuild ? (
          <CardBody className="border-t border-slate-100 py-3">
            <RebuildNote rebuild={rebuild} timeZone={timeZone} />
          </CardBody>
        ) : null}
      </Card>

      <Card>
        <CardHeader
          title={`Daily usage: ${chartMeter.meter.name}`}
          description={busiest && Number(busiest.value) > 0 ? `Busiest day: ${fmt.date(busiest.start)}, ${fmt.usage(busiest.value)}. Days are UTC.` : "No usage on this meter in the range."}
          actions={
            used.length > 1 ? (
              <form method="get" action={`/admin/customers/${customer.id}`} className="flex items-end gap-2" aria-label="Chart meter">
                <input type="hidden" name="tab" value="usage" />
                {hidden(["from", "to", "q", "emeter", "late"])}
                <Select label="Meter" hideLabel name="meter" defaultValue={chartMeter.meter.code} options={used.map((m) => ({ value: m.meter.code, label: m.meter.name }))} className="h-8" />
                <Button type="submit" variant="secondary" size="sm">
                  Show
                </Button>
              </form>
            ) : undefined
          }
        />
        <CardBody>
          <UsageChart reader={fmt.reader} points={points} unit={chartMeter.meter.name} whole={points.every((p) => Number.isInteger(p.value))} />
          <table className="sr-only">
            <caption>Daily usage of {chartMeter.meter.name}</caption>
            <tbody>
              {points.map((p) => (
                <tr key={p.day}>
                  <th scope="row">{p.label}</th>
                  <td>{p.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Events" description="Newest first, by when the usage happened. Late events arrived after their period was invoiced: a supplemental invoice bills them." />
        <form method="get" action={`/admin/customers/${customer.id}`} role="search" className="grid grid-cols-2 items-end gap-3 border-b border-slate-100 px-5 pt-4 pb-4 sm:flex sm:flex-wrap">
          <input type="hidden" name="tab" value="usage" />
          {hidden(["from", "to", "meter"])}
          <Input
            label="Search events"
            name="q"
            type="search"
            defaultValue={params.q ?? ""}
            placeholder="Identifier, meter or property"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            wrapperClassName="col-span-2 sm:w-72"
          />
          <Select label="Meter" name="emeter" defaultValue={params.emeter ?? ""} placeholder="All meters" options={used.map((m) => ({ value: m.meter.code, label: m.meter.code }))} wrapperClassName="sm:w-44" />
          <label className="flex h-9 items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="late" value="1" defaultChecked={params.late === "1"} className="size-4 rounded border-slate-300" />
            Late only
          </label>
          <div className="col-span-2 flex gap-2">
            <Button type="submit">Search</Button>
            {searching ? (
              <ButtonLink href={href({ q: undefined, emeter: undefined, late: undefined, after: undefined })} variant="ghost">
                Clear
              </ButtonLink>
            ) : null}
          </div>
        </form>
        {page.events.length === 0 ? (
          <CardBody>
            <EmptyState
              title={params.after ? "No older events" : searching ? "No events match" : "No events"}
              description={searching ? "Nothing matches this search. Identifiers, meter codes and property values are searched, in any case." : "This customer has no stored usage events."}
            />
          </CardBody>
        ) : (
          <>
            <ul className="divide-y divide-slate-100 sm:hidden" aria-label="Usage events">
              {page.events.map((e) => (
                <li key={e.id} className="space-y-1 px-5 py-3 text-sm">
                  <div className="flex items-start justify-between gap-3">
                    <span className="min-w-0 font-mono text-[13px] break-all text-slate-900">{e.identifier}</span>
                    {e.late ? <LateBadge /> : null}
                  </div>
                  <p className="text-[13px] text-slate-600">
                    <span className="font-mono">{e.meterCode}</span> · {fmt.dateTime(e.timestamp, timeZone, { zoneName: true })}
                  </p>
                  <Properties value={e.properties} />
                </li>
              ))}
            </ul>
            <Table bare wrapperClassName="hidden sm:block" caption="Usage events">
              <THead>
                <TR>
                  <TH>Happened</TH>
                  <TH>Identifier</TH>
                  <TH>Meter</TH>
                  <TH>Properties</TH>
                  <TH className="hidden lg:table-cell">Received</TH>
                </TR>
              </THead>
              <TBody>
                {page.events.map((e) => (
                  <TR key={e.id}>
                    <TD muted>
                      {fmt.dateTime(e.timestamp, timeZone, { zoneName: true })}
                      {e.late ? (
                        <span className="mt-0.5 block">
                          <LateBadge />
                        </span>
                      ) : null}
                    </TD>
                    <TD wrap className="max-w-56">
                      <span className="font-mono text-[13px] break-all">{e.identifier}</span>
                    </TD>
                    <TD>
                      <span className="font-mono text-[13px]">{e.meterCode}</span>
                    </TD>
                    <TD wrap className="max-w-72">
                      <Properties value={e.properties} />
                    </TD>
                    <TD muted className="hidden lg:table-cell">
                      {fmt.dateTime(e.createdAt, timeZone, { zoneName: true })}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </>
        )}
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-5 py-3 text-sm">
          {params.after ? (
            <Link href={href({ after: undefined })} className="font-medium text-brand-700 hover:underline">
              ← Newest
            </Link>
          ) : (
            <span className="text-slate-600">Times are in {timeZone === "UTC" ? "UTC" : `your time zone (${timeZone})`}.</span>
          )}
          {page.nextCursor ? (
            <Link href={href({ after: page.nextCursor })} className="font-medium text-brand-700 hover:underline">
              Older events →
            </Link>
          ) : null}
        </div>
      </Card>
    </div>
  );
}

function LateBadge() {
  return (
    <span title="Arrived after its period was invoiced: billed on a supplemental invoice">
      <Badge tone="warning" dot>
        Late
      </Badge>
    </span>
  );
}

function Properties({ value }: { value: Record<string, string | number> }) {
  const entries = Object.entries(value);
  if (entries.length === 0) return <span className="text-[13px] text-slate-500">No properties</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {entries.map(([k, v]) => (
        <code key={k} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs break-all text-slate-700">
          {k}: {String(v)}
        </code>
      ))}
    </span>
  );
}

async function RebuildNote({ rebuild, timeZone }: { rebuild: { at: Date; by: string | null; after: unknown }; timeZone: string }) {
  const fmt = await consoleFormatter();
  const r = rebuild.after as { rows?: number; changed?: number; added?: number; removed?: number } | null;
  const repaired = (r?.changed ?? 0) + (r?.added ?? 0) + (r?.removed ?? 0);
  return (
    <p className="text-[13px] text-slate-600" data-testid="last-rebuild">
      Rollups last rebuilt {fmt.dateTime(rebuild.at, timeZone, { zoneName: true })}
      {rebuild.by ? ` by ${rebuild.by}` : ""}: {r?.rows ?? 0} rows, {repaired === 0 ? "nothing needed repair" : `${repaired} repaired (${r?.changed ?? 0} corrected, ${r?.added ?? 0} missing, ${r?.removed ?? 0} extra)`}.
    </p>
  );
}
