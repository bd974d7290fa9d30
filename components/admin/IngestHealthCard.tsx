import { Card, CardBody, CardHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { IngestHealth } from "@/lib/services/usage/ingest-health";
import type { Formatter } from "@/lib/format";

/** What each rejection code means to whoever reads the card (the API's problem codes). */
const REASONS: Record<string, string> = {
  not_found: "Unknown customer",
  meter_unknown: "Unknown meter",
  usage_value_missing: "Value property missing",
  usage_value_invalid: "Value not a non-negative number",
  usage_event_in_future: "Timestamp in the future",
  usage_event_too_old: "Older than the late window",
  validation_failed: "Malformed event",
};

const perMinute = (fmt: Formatter, n: number) => (n >= 100 ? fmt.count(Math.round(n)) : fmt.count(n, 1));

function Figure({ label, value, tone }: { label: string; value: string; tone?: "danger" }) {
  return (
    <div>
      <dt className="text-[13px] font-medium text-slate-600">{label}</dt>
      <dd className={tone === "danger" ? "mt-1 text-xl font-semibold tabular-nums text-red-700" : "mt-1 text-xl font-semibold tabular-nums text-slate-900"}>{value}</dd>
    </div>
  );
}

/** The console's ingest health: events per minute over the last hour, what became of them, and rejections by reason. */
export function IngestHealthCard({ health, fmt }: { health: IngestHealth; fmt: Formatter }) {
  const peak = Math.max(1, ...health.perMinute.map((m) => m.accepted + m.duplicates + m.rejected));
  return (
    <Card>
      <CardHeader title="Usage ingest" description={`Events received per minute over the last ${health.minutes === 60 ? "hour" : `${health.minutes} minutes`}, live and test mode.`} />
      {health.received === 0 ? (
        <div className="px-5 py-8 text-center">
          <p className="text-sm font-medium text-slate-900">No usage events in the last hour.</p>
          <p className="mt-1 text-sm text-slate-600">Events sent to POST /api/v1/usage_events or /usage_events/batch show here within a minute, with any rejections and their reasons.</p>
        </div>
      ) : (
        <>
          <div className="space-y-4 px-5 py-4">
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Figure label="Events / min" value={perMinute(fmt, health.eventsPerMinute)} />
              <Figure label="Accepted" value={fmt.count(health.accepted)} />
              <Figure label="Duplicates" value={fmt.count(health.duplicates)} />
              <Figure label="Rejected" value={fmt.count(health.rejected)} tone={health.rejected > 0 ? "danger" : undefined} />
            </dl>
            {/* Bars as SVG attributes, not inline styles: the console's CSP allows no style attributes. */}
            <svg className="block h-12 w-full" viewBox={`0 0 ${health.minutes * 4} 48`} preserveAspectRatio="none" role="img" aria-label={`Events per minute over ${health.minutes} minutes, peak ${fmt.count(peak)}`}>
              {health.perMinute.map((m, i) => {
                const total = m.accepted + m.duplicates + m.rejected;
                const height = (total / peak) * 48;
                const rejected = (m.rejected / peak) * 48;
                return (
                  <g key={m.minute.getTime()}>
                    <title>{`${m.minute.toISOString().slice(11, 16)} UTC: ${fmt.count(total)} events, ${fmt.count(m.rejected)} rejected`}</title>
                    <rect x={i * 4} y={48 - height} width={3} height={Math.max(height - rejected, total > m.rejected ? 1 : 0)} className="fill-brand-500" />
                    {m.rejected > 0 && <rect x={i * 4} y={48 - rejected} width={3} height={Math.max(rejected, 1)} className="fill-red-400" />}
                  </g>
                );
              })}
            </svg>
            <div className="flex justify-between text-xs text-slate-500">
              <span>{health.from.toISOString().slice(11, 16)} UTC</span>
              <span>now</span>
            </div>
          </div>
          <CardBody className="border-t border-slate-200 p-0">
            <Table bare aria-label="Rejections by reason">
              <THead>
                <TR>
                  <TH>Rejection reason</TH>
                  <TH className="hidden sm:table-cell">Code</TH>
                  <TH numeric>Events</TH>
                </TR>
              </THead>
              <TBody>
                {health.rejections.length === 0 ? (
                  <TR>
                    <TD colSpan={3} muted>
                      No rejections in the last hour.
                    </TD>
                  </TR>
                ) : (
                  health.rejections.map((r) => (
                    <TR key={r.code}>
                      <TD wrap className="font-medium text-slate-900">{REASONS[r.code] ?? r.code}</TD>
                      <TD className="hidden font-mono text-xs sm:table-cell" muted>
                        {r.code}
                      </TD>
                      <TD numeric>{fmt.count(r.count)}</TD>
                    </TR>
                  ))
                )}
              </TBody>
            </Table>
          </CardBody>
        </>
      )}
    </Card>
  );
}
