import { Badge, Card, CardBody, CardHeader } from "@/components/ui";
import type { FiredAlert } from "@/lib/services/api-costs/budget-alerts";
import type { Formatter } from "@/lib/format";

function describe(alert: FiredAlert, names: ReadonlyMap<string, string>, fmt: Formatter): string {
  const name = (code: string | null) => (code === null ? "All providers" : (names.get(code) ?? code));
  if (alert.kind === "budget") {
    return `${name(alert.provider)} budget ${alert.threshold >= 100 ? "reached" : "at"} ${alert.threshold}%: ${fmt.money(alert.spent, alert.currency)} of ${fmt.money(alert.amount, alert.currency)}`;
  }
  const window = alert.period === "day" ? `on ${fmt.dayMonth(alert.periodStart)}` : "this month";
  return `${name(alert.provider)} quota ${alert.threshold >= 100 ? "reached" : "at"} ${alert.threshold}% ${window}: ${fmt.usage(alert.used)} of ${fmt.usage(alert.limit)} units`;
}

/** The budget thresholds and quota warnings fired in the month (each emailed the billing admins once), newest first. */
export function AlertHistory({ alerts, providerNames, title, fmt }: { alerts: readonly FiredAlert[]; providerNames: ReadonlyMap<string, string>; title: string; fmt: Formatter }) {
  return (
    <Card data-testid="alert-history">
      <CardHeader title="Alerts" description={`Budget thresholds and quota warnings sent ${title}, newest first; each goes once per period to the billing admins.`} />
      {alerts.length === 0 ? (
        <CardBody>
          <p className="text-sm text-slate-600">No alerts {title}.</p>
        </CardBody>
      ) : (
        <ul className="divide-y divide-slate-100">
          {alerts.map((a) => (
            <li key={`${a.kind}-${a.kind === "budget" ? a.budget : `${a.provider}-${a.period}-${a.periodStart.toISOString()}`}-${a.threshold}`} className="flex items-start gap-3 px-5 py-3" data-testid="alert">
              <Badge tone={a.threshold >= 100 ? "danger" : a.threshold >= 80 ? "warning" : "info"}>{a.kind === "budget" ? "Budget" : "Quota"}</Badge>
              <div className="min-w-0 flex-1 gap-3 sm:flex sm:items-start sm:justify-between">
                <p className="text-sm break-words text-slate-900">{describe(a, providerNames, fmt)}</p>
                <p className="mt-0.5 text-xs text-slate-500 sm:mt-0 sm:shrink-0 sm:whitespace-nowrap">{fmt.dateTime(a.at)}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
